import { isAfter, parseTimestamp } from '../dates.ts';
import { resolveStatus, type StoryDraft } from '../draft.ts';
import { StoryParseError } from '../errors.ts';
import { htmlParagraphs } from '../markup.ts';
import { authorsFromByline, looksLikePersonName } from '../names.ts';
import { datelineFromParagraph, plainTextParagraphs } from '../text.ts';
import { parseXml } from '../xml.ts';
import { nitfContent } from './nitf.ts';

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field lookup that ignores case: ninjs 1.x/2.0 write `versioncreated`, ninjs 3.0 `versionCreated`. */
function field(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : object[key];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Names from an array of strings or of `{name}` / `{literal}` / `{code}` objects. */
function names(value: unknown): string[] {
  return list(value).flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    if (!isObject(entry)) return [];
    const name = text(field(entry, 'name')) ?? text(field(entry, 'literal')) ?? text(field(entry, 'code'));
    return name === undefined ? [] : [name];
  });
}

/** Codes of `{name, code}` or `{name, uri}` entries that also have a name (a code alone is already a name). */
function codes(value: unknown): string[] {
  return list(value).flatMap((entry) => {
    if (!isObject(entry) || text(field(entry, 'name')) === undefined) return [];
    const code = text(field(entry, 'code')) ?? text(field(entry, 'uri'));
    return code === undefined ? [] : [code];
  });
}

/** ninjs organisation `symbols` (`[{"ticker": "BKR", "exchange": "NYSE"}]`) -> `NYSE:BKR`. */
function symbols(value: unknown): string[] {
  return list(value).flatMap((organisation) =>
    isObject(organisation)
      ? list(field(organisation, 'symbols')).flatMap((symbol) => {
          if (!isObject(symbol)) return [];
          const ticker = text(field(symbol, 'ticker'));
          const exchange = text(field(symbol, 'exchange'));
          if (ticker === undefined) return [];
          return [exchange === undefined ? ticker : `${exchange}:${ticker}`];
        })
      : [],
  );
}

/** `{role, value}` entries (ninjs 2.0/3.0 `headlines`, `bodies`, `descriptions`). */
function roleValues(value: unknown): { role: string; type: string; value: string }[] {
  return list(value).flatMap((entry) => {
    if (!isObject(entry)) return [];
    const content = text(field(entry, 'value'));
    if (content === undefined) return [];
    const role = String(field(entry, 'role') ?? '').toLowerCase();
    return [{ role, type: String(field(entry, 'contenttype') ?? '').toLowerCase(), value: content }];
  });
}

/** Body paragraphs, preferring plain text, then (X)HTML, then an NITF body. */
function bodyParagraphs(story: JsonObject): string[] {
  const bodies = roleValues(field(story, 'bodies'));
  const plain =
    text(field(story, 'body_text')) ??
    bodies.find((body) => body.role === 'text' || body.type === 'text/plain')?.value;
  if (plain !== undefined) return plainTextParagraphs(plain);
  const html =
    text(field(story, 'body_html')) ??
    text(field(story, 'body_xhtml')) ??
    bodies.find((body) => /html/.test(body.role) || /html/.test(body.type))?.value;
  if (html !== undefined) return htmlParagraphs(html);
  const nitf = bodies.find((body) => body.role === 'nitf' || body.type.includes('nitf'));
  if (nitf !== undefined) return nitfContent(parseXml(nitf.value, 'ninjs NITF body')).paragraphs;
  return [];
}

function headlineOf(story: JsonObject): string {
  const headlines = roleValues(field(story, 'headlines'));
  const main = headlines.find((headline) => headline.role === 'main' || headline.role === '') ?? headlines[0];
  return text(field(story, 'headline')) ?? main?.value ?? text(field(story, 'title')) ?? '';
}

function authorsOf(story: JsonObject): string[] {
  const byline = text(field(story, 'by')) ?? text(field(story, 'byline'));
  const fromByline = authorsFromByline(byline);
  if (fromByline.length > 0) return fromByline;
  const bylines = list(field(story, 'bylines')).flatMap((entry) =>
    isObject(entry) ? authorsFromByline(text(field(entry, 'byline')) ?? text(field(entry, 'name'))) : [],
  );
  if (bylines.length > 0) return bylines;
  return list(field(story, 'authors')).flatMap((entry) =>
    isObject(entry) && !/editor/i.test(String(field(entry, 'role') ?? '')) ? names([entry]) : [],
  );
}

/** A ninjs 1.x, 2.0 or 3.0 story. `uri` is required (older Superdesk ninjs: `guid`). */
export function ninjsDraft(story: JsonObject): StoryDraft {
  const id = text(field(story, 'uri')) ?? text(field(story, 'guid'));
  if (id === undefined) {
    throw new StoryParseError(
      'missing-field',
      'ninjs story has no "uri", the one required ninjs field; add it',
    );
  }
  const headline = headlineOf(story);
  const paragraphs = bodyParagraphs(story);
  const publishedAt = parseTimestamp(
    text(field(story, 'versioncreated')) ??
      text(field(story, 'firstpublished')) ??
      text(field(story, 'firstcreated')),
  );
  const pubStatus = String(field(story, 'pubstatus') ?? '').toLowerCase();
  const embargoed = parseTimestamp(text(field(story, 'embargoed')));
  const descriptions = roleValues(field(story, 'descriptions')).map((description) => description.value);
  const descriptionHtml = text(field(story, 'description_html'));
  const summaryText = text(field(story, 'description_text'));
  return {
    id,
    headline,
    authors: authorsOf(story),
    dateline: text(field(story, 'located')) ?? datelineFromParagraph(paragraphs[0]),
    paragraphs,
    summary:
      summaryText !== undefined
        ? [summaryText]
        : descriptions.length > 0
          ? descriptions
          : descriptionHtml !== undefined
            ? htmlParagraphs(descriptionHtml)
            : [],
    publishedAt,
    language: text(field(story, 'language')),
    status: resolveStatus({
      killed: pubStatus === 'canceled' || pubStatus === 'cancelled',
      withheld: pubStatus === 'withheld' || isAfter(embargoed, publishedAt),
      correction: /^correct(?:ed|ion)?\b/i.test(headline),
      update: /^update\b/i.test(headline),
    }),
    version: Number(field(story, 'version') ?? 1),
    urgency: Number(field(story, 'urgency') ?? Number.NaN),
    slugline: text(field(story, 'slugline')),
    url: /^https?:\/\//i.test(id) ? id : undefined,
    keywords: names(field(story, 'keywords')),
    subjects: [...names(field(story, 'subjects')), ...names(field(story, 'subject'))],
    people: [...names(field(story, 'people')), ...names(field(story, 'person'))].filter(looksLikePersonName),
    organisations: [...names(field(story, 'organisations')), ...names(field(story, 'organisation'))],
    subjectCodes: [...codes(field(story, 'subjects')), ...codes(field(story, 'subject'))],
    places: [...names(field(story, 'places')), ...names(field(story, 'place'))],
    tickers: [...symbols(field(story, 'organisations')), ...symbols(field(story, 'organisation'))],
    source: text(field(story, 'source')) ?? text(field(story, 'copyrightholder')),
  };
}

/** True when a JSON object looks like ninjs. */
export function isNinjs(json: JsonObject): boolean {
  return ['uri', 'guid', 'headline', 'headlines', 'body_text', 'body_html', 'bodies', 'versioncreated'].some(
    (name) => field(json, name) !== undefined,
  );
}
