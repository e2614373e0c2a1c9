import { isAfter, parseTimestamp } from '../dates.ts';
import { noteSignals, resolveStatus, type StoryDraft } from '../draft.ts';
import { StoryParseError } from '../errors.ts';
import { exchangeName } from '../exchanges.ts';
import { SEND_ACCEPTED_FORMATS } from '../input.ts';
import { htmlParagraphs, taggedTextParagraphs, xmlParagraphs } from '../markup.ts';
import { authorsFromByline, looksLikePersonName } from '../names.ts';
import {
  cleanDateline,
  cleanLine,
  datelineFromParagraph,
  derivedId,
  plainTextParagraphs,
  trimEndChars,
  uniqueClean,
} from '../text.ts';
import { attr, child, children, descendant, descendants, parseXml, textOf, type XmlElement } from '../xml.ts';
import { type NitfContent, nitfContent, takeBylineParagraph } from './nitf.ts';

const STORY_ITEMS = ['newsItem', 'packageItem'];
const OTHER_ITEMS = ['knowledgeItem', 'planningItem', 'catalogItem'];
/** Bare `contentSet` / `contentMeta` fragments (as in the NewsML-G2 specification listings). */
const FRAGMENTS = ['contentSet', 'contentMeta'];

/** Name of a concept: its `name` child, else its `literal`, else `qcode` resolved through `assert`. */
function conceptName(
  element: XmlElement | undefined,
  asserted: ReadonlyMap<string, string>,
  codeAsName = true,
): string | undefined {
  if (element === undefined) return undefined;
  const name = cleanLine(textOf(child(element, 'name')));
  if (name !== '') return name;
  const qcode = attr(element, 'qcode');
  const resolved =
    qcode === undefined ? undefined : (asserted.get(qcode) ?? (codeAsName ? qcode : undefined));
  return attr(element, 'literal') ?? resolved;
}

/**
 * Tickers of an organisation subject: a Reuters instrument code as its qcode (`R:BKR.N` -> `NYSE:BKR`) and
 * `related` ticker or symbol entries (`<related rel="...:hasTicker" literal="NYSE:BKR"/>`, or a qcode whose
 * code part is the ticker).
 */
function organisationTickers(subject: XmlElement): string[] {
  const tickers: string[] = [];
  const qcode = attr(subject, 'qcode');
  if (qcode?.startsWith('R:')) {
    const [symbol = '', suffix] = qcode.slice(2).split('.');
    if (symbol !== '') tickers.push(suffix === undefined ? symbol : `${exchangeName(suffix)}:${symbol}`);
  }
  for (const related of children(subject, 'related')) {
    if (!/ticker|symbol/i.test(attr(related, 'rel') ?? '')) continue;
    const value = attr(related, 'literal') ?? attr(related, 'qcode')?.split(':').slice(1).join(':');
    if (value !== undefined && value !== '') tickers.push(value);
  }
  return tickers;
}

function assertedNames(item: XmlElement): Map<string, string> {
  const names = new Map<string, string>();
  for (const assertion of children(item, 'assert')) {
    const qcode = attr(assertion, 'qcode');
    const name = cleanLine(textOf(child(assertion, 'name')));
    if (qcode !== undefined && name !== '') names.set(qcode, name);
  }
  return names;
}

/** Text of the first rendition that has any, with the NITF fields when the rendition is NITF. */
function content(contentSet: XmlElement | undefined): { paragraphs: string[]; nitf?: NitfContent } {
  for (const rendition of children(contentSet, 'inlineXML', 'inlineData')) {
    const type = attr(rendition, 'contenttype')?.toLowerCase() ?? '';
    if (rendition.name === 'inlineData') {
      const raw = textOf(rendition);
      const paragraphs = type.includes('html')
        ? htmlParagraphs(raw)
        : raw.includes('<')
          ? taggedTextParagraphs(raw)
          : plainTextParagraphs(raw);
      if (paragraphs.length > 0) return { paragraphs };
      continue;
    }
    const nitf = descendant(rendition, 'nitf');
    if (nitf !== undefined) {
      const parsed = nitfContent(nitf);
      if (parsed.paragraphs.length > 0 || parsed.headline !== '')
        return { paragraphs: parsed.paragraphs, nitf: parsed };
      continue;
    }
    const html = descendant(rendition, 'html');
    const paragraphs = xmlParagraphs(child(html, 'body') ?? html ?? rendition).paragraphs;
    if (paragraphs.length > 0) return { paragraphs };
  }
  return { paragraphs: [] };
}

function mainHeadline(contentMeta: XmlElement | undefined): string {
  const headlines = children(contentMeta, 'headline');
  const main = headlines.find((headline) => {
    const role = attr(headline, 'role');
    return role === undefined || /main/i.test(role);
  });
  return cleanLine(textOf(main ?? headlines[0]));
}

function statusOf(
  item: XmlElement,
  headline: string,
  slugline: string,
  publishedAt?: string,
): StoryDraft['status'] {
  const itemMeta = child(item, 'itemMeta');
  const pubStatus = attr(child(itemMeta, 'pubStatus'), 'qcode')?.toLowerCase() ?? '';
  const signals = children(itemMeta, 'signal').map((signal) => attr(signal, 'qcode')?.toLowerCase() ?? '');
  const embargoed = parseTimestamp(textOf(child(itemMeta, 'embargoed')));
  const notes = children(itemMeta, 'edNote').map((note) => textOf(note));
  return resolveStatus(...notes.map(noteSignals), {
    killed: /:cancel+ed$/.test(pubStatus),
    // Embargoed until after the version was created: held back, for now (see docs/story-envelope.md).
    withheld: pubStatus.endsWith(':withheld') || isAfter(embargoed, publishedAt),
    correction:
      signals.some((signal) => signal === 'sig:correction' || signal === 'edstat:c') ||
      /^correct(?:ed|ion)?\b/i.test(headline) ||
      /\bcorrected\b/i.test(slugline),
    update:
      signals.some((signal) => signal === 'sig:update' || signal === 'edstat:u') ||
      /^update\b/i.test(headline) ||
      /\bupdate \d|\bLd-Writethru\b|\bwritethru\b/i.test(slugline),
  });
}

/** Story fields of one `newsItem` or `packageItem` (or a bare fragment). */
function itemDraft(item: XmlElement, header: XmlElement | undefined): StoryDraft {
  const itemMeta = child(item, 'itemMeta');
  const contentMeta = item.name === 'contentMeta' ? item : child(item, 'contentMeta');
  const contentSet = item.name === 'contentSet' ? item : child(item, 'contentSet');
  const asserted = assertedNames(item);
  const { paragraphs, nitf } = content(contentSet);
  const bodyAuthors = nitf === undefined ? takeBylineParagraph(paragraphs) : [];
  const headline = mainHeadline(contentMeta) || nitf?.headline || cleanLine(textOf(child(itemMeta, 'title')));
  const slugline = cleanLine(textOf(child(contentMeta, 'slugline')));
  const publishedAt = parseTimestamp(
    [child(itemMeta, 'versionCreated'), child(itemMeta, 'firstCreated'), child(contentMeta, 'contentCreated')]
      .map((element) => textOf(element).trim())
      .find((value) => value !== '') ?? textOf(child(header, 'sent')),
  );
  const subjects = children(contentMeta, 'subject');
  const ofType = (pattern: RegExp): XmlElement[] =>
    subjects.filter((subject) => pattern.test(attr(subject, 'type') ?? ''));
  const creators = children(contentMeta, 'creator').map((creator) => conceptName(creator, asserted) ?? '');
  const packageHeadlines = descendants(child(item, 'groupSet'), 'itemRef').map((ref) =>
    textOf(child(ref, 'headline') ?? child(ref, 'title')),
  );
  const descriptions = children(contentMeta, 'description').filter((description) =>
    /summary|lead/i.test(attr(description, 'role') ?? 'summary'),
  );
  const urgency = textOf(child(contentMeta, 'urgency')).trim();
  const guid = attr(item, 'guid');
  const title =
    headline !== '' || paragraphs.length > 0
      ? headline
      : metadataTitle(contentMeta, asserted, packageHeadlines);
  return {
    id: guid ?? derivedId('g2', title, publishedAt ?? '', paragraphs[0] ?? ''),
    headline: title,
    authors: [
      ...authorsFromByline(textOf(child(contentMeta, 'by'))),
      ...(nitf?.authors ?? bodyAuthors),
      ...creators.filter(looksLikePersonName),
    ],
    dateline:
      cleanDateline(textOf(child(contentMeta, 'dateline'))) ??
      nitf?.dateline ??
      datelineFromParagraph(paragraphs[0]) ??
      conceptName(child(contentMeta, 'located'), asserted, false),
    paragraphs,
    summary: [
      ...descriptions.map((description) => textOf(description)),
      ...(nitf?.summary ?? []),
      ...packageHeadlines,
    ],
    publishedAt,
    language: attr(child(contentMeta, 'language'), 'tag') ?? attr(item, 'lang'),
    status: statusOf(item, headline, slugline, publishedAt),
    version: Number(attr(item, 'version') ?? 1),
    urgency: urgency === '' ? undefined : Number(urgency),
    slugline,
    keywords: children(contentMeta, 'keyword').map((keyword) => textOf(keyword)),
    subjects: subjects
      .filter((subject) => !/cpnat:(?:person|organi[sz]ation)/.test(attr(subject, 'type') ?? ''))
      .map((subject) => conceptName(subject, asserted)),
    people: [
      ...ofType(/cpnat:person/).map((subject) => conceptName(subject, asserted)),
      ...(nitf?.people ?? []),
    ],
    organisations: [
      ...ofType(/cpnat:organi[sz]ation/).map((subject) => conceptName(subject, asserted)),
      ...(nitf?.organisations ?? []),
    ],
    subjectCodes: subjects
      .filter((subject) => !/cpnat:(?:person|organi[sz]ation)/.test(attr(subject, 'type') ?? ''))
      .map((subject) => attr(subject, 'qcode')),
    places: [
      conceptName(child(contentMeta, 'located'), asserted, false),
      ...ofType(/cpnat:(?:geoArea|poi)/).map((subject) => conceptName(subject, asserted, false)),
      ...(nitf?.places ?? []),
    ],
    tickers: [...ofType(/cpnat:organi[sz]ation/).flatMap(organisationTickers), ...(nitf?.tickers ?? [])],
    source:
      trimEndChars(cleanLine(textOf(child(contentMeta, 'creditline'))), ' -\u2013\u2014') ||
      conceptName(child(child(item, 'rightsInfo'), 'copyrightHolder'), asserted) ||
      conceptName(child(itemMeta, 'provider'), asserted) ||
      creators.find((creator) => creator !== '' && !looksLikePersonName(creator)),
  };
}

/**
 * A title for an item that has metadata but no headline and no text (a video's subject metadata, a
 * `contentMeta` fragment): any description, the slugline, the dateline as written, else the names of
 * its subjects. Undefined names (bare qcodes) are not used. Empty when the item describes nothing.
 */
function metadataTitle(
  contentMeta: XmlElement | undefined,
  asserted: ReadonlyMap<string, string>,
  packageHeadlines: readonly string[],
): string {
  const candidates = [
    ...children(contentMeta, 'description').map((description) => textOf(description)),
    textOf(child(contentMeta, 'slugline')),
    textOf(child(contentMeta, 'dateline')),
    ...packageHeadlines,
  ];
  const title = candidates.map(cleanLine).find((candidate) => candidate !== '');
  if (title !== undefined) return title;
  const subjects = children(contentMeta, 'subject').map((subject) => conceptName(subject, asserted, false));
  return uniqueClean(subjects).join('; ');
}

/**
 * A `conceptItem` (a person, organisation, place... described by a provider): the concept's name is
 * the headline and its definition and notes the text, so that a watch on the name can see it.
 */
function conceptDraft(item: XmlElement): StoryDraft {
  const itemMeta = child(item, 'itemMeta');
  const concept = child(item, 'concept');
  const asserted = assertedNames(item);
  const name = cleanLine(textOf(child(concept, 'name')));
  // A note is read as plain text: markup rules skip NITF-style <note> elements.
  const paragraphs = children(concept, 'definition', 'note').flatMap((element) =>
    element.name === 'note' ? [textOf(element)] : xmlParagraphs(element).paragraphs,
  );
  const type = attr(child(concept, 'type'), 'qcode') ?? '';
  const publishedAt = parseTimestamp(
    [child(itemMeta, 'versionCreated'), child(itemMeta, 'firstCreated')]
      .map((element) => textOf(element).trim())
      .find((value) => value !== ''),
  );
  const affiliations = descendants(child(concept, 'personDetails'), 'affiliation').map((affiliation) =>
    conceptName(affiliation, asserted, false),
  );
  const person = /cpnat:person/.test(type);
  const organisation = /cpnat:organi[sz]ation/.test(type);
  return {
    id: attr(item, 'guid') ?? derivedId('g2', name, publishedAt ?? '', paragraphs[0] ?? ''),
    headline: name || cleanLine(textOf(child(itemMeta, 'title'))),
    paragraphs,
    publishedAt,
    language: attr(child(concept, 'name'), 'lang') ?? attr(item, 'lang'),
    status: statusOf(item, name, '', publishedAt),
    version: Number(attr(item, 'version') ?? 1),
    subjects: person || organisation ? [] : [name],
    people: person ? [name] : [],
    organisations: [...(organisation ? [name] : []), ...affiliations],
    source:
      conceptName(child(child(item, 'rightsInfo'), 'copyrightHolder'), asserted) ||
      conceptName(child(itemMeta, 'provider'), asserted),
  };
}

function notAStory(name: string): StoryParseError {
  return new StoryParseError(
    'unknown-format',
    `NewsML-G2 ${name} is not a story (it carries no news content); send a newsItem or packageItem, or ${SEND_ACCEPTED_FORMATS}`,
  );
}

/**
 * A NewsML-G2 document: a `newsMessage` (every `newsItem` in it, or its `packageItem`s when it has
 * no news item), a single `newsItem` or `packageItem`, or a bare `contentSet`/`contentMeta` fragment.
 */
export function parseNewsMlG2(text: string): StoryDraft[] {
  const root = parseXml(text, 'NewsML-G2 story');
  if (root.name === 'conceptItem') return [conceptDraft(root)];
  if (OTHER_ITEMS.includes(root.name)) throw notAStory(root.name);
  if (STORY_ITEMS.includes(root.name) || FRAGMENTS.includes(root.name)) return [itemDraft(root, undefined)];
  if (root.name !== 'newsMessage') {
    throw new StoryParseError(
      'unknown-format',
      `expected a NewsML-G2 newsMessage, newsItem or packageItem but the root element is <${root.name}>; ${SEND_ACCEPTED_FORMATS}`,
    );
  }
  const header = child(root, 'header');
  const itemSet = child(root, 'itemSet');
  const newsItems = children(itemSet, 'newsItem');
  const items = newsItems.length > 0 ? newsItems : children(itemSet, 'packageItem');
  if (items.length === 0) {
    const concepts = children(itemSet, 'conceptItem');
    if (concepts.length > 0) return concepts.map(conceptDraft);
    const other = children(itemSet, ...OTHER_ITEMS)[0];
    if (other !== undefined) throw notAStory(other.name);
    throw new StoryParseError(
      'missing-field',
      'NewsML-G2 newsMessage has no newsItem or packageItem in its itemSet; send a message with a story in it',
    );
  }
  return items.map((item) => itemDraft(item, header));
}
