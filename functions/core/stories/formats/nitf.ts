import { parseTimestamp } from '../dates.ts';
import { noteSignals, resolveStatus, type StoryDraft } from '../draft.ts';
import { StoryParseError } from '../errors.ts';
import { SEND_ACCEPTED_FORMATS } from '../input.ts';
import { organisationTicker, xmlParagraphs } from '../markup.ts';
import { authorsFromByline, isBylineLine, looksLikePersonName, titleCaseIfUpper } from '../names.ts';
import { cleanDateline, cleanLine, datelineFromParagraph, derivedId } from '../text.ts';
import {
  attr,
  child,
  children,
  descendant,
  descendants,
  parseXml,
  path,
  textOf,
  type XmlElement,
} from '../xml.ts';

/** The text part of an NITF document, shared with NewsML-G2 items that carry NITF in `inlineXML`. */
export interface NitfContent {
  readonly headline: string;
  readonly authors: string[];
  readonly dateline: string | undefined;
  readonly paragraphs: string[];
  readonly summary: string[];
  readonly people: string[];
  readonly organisations: string[];
  /** Tickers of `<org idsrc value>` elements (identified-content and inline). */
  readonly tickers: string[];
  /** `identified-content` locations and countries. */
  readonly places: string[];
}

/** Authors of an NITF `byline`: tagged `<person>`s when present, else the text without `<byttl>` titles. */
function bylineAuthors(byline: XmlElement): string[] {
  const persons = descendants(byline, 'person').flatMap((person) => authorsFromByline(textOf(person)));
  if (persons.length > 0) return persons;
  return authorsFromByline(textOf(byline, ['byttl']));
}

function datelinePlace(dateline: XmlElement | undefined): string | undefined {
  if (dateline === undefined) return undefined;
  const city = descendant(dateline, 'city');
  if (city !== undefined) return cleanDateline(textOf(city));
  const location = descendant(dateline, 'location');
  return cleanDateline(textOf(location ?? dateline, ['story.date']));
}

/** A `By Name` paragraph among the first few is a byline, not text (BusinessDesk, Reuters XHTML). */
export function takeBylineParagraph(paragraphs: string[]): string[] {
  const index = paragraphs.slice(0, 5).findIndex(isBylineLine);
  if (index === -1) return [];
  const [byline] = paragraphs.splice(index, 1);
  return authorsFromByline(byline);
}

/** Headline, byline, dateline, abstract and body paragraphs of an `<nitf>` element. */
export function nitfContent(nitf: XmlElement): NitfContent {
  const body = child(nitf, 'body');
  const bodyHead = child(body, 'body.head');
  const headline = cleanLine(
    textOf(path(bodyHead, 'hedline', 'hl1') ?? child(bodyHead, 'headline') ?? path(nitf, 'head', 'title')),
  );
  const text = xmlParagraphs(child(body, 'body.content'));
  const paragraphs = [...text.paragraphs];
  const authors = children(bodyHead, 'byline').flatMap(bylineAuthors);
  authors.push(...takeBylineParagraph(paragraphs));
  const abstract = child(bodyHead, 'abstract');
  const summary = abstract === undefined ? [] : xmlParagraphs(abstract).paragraphs;
  const identified = path(nitf, 'head', 'docdata', 'identified-content');
  return {
    headline,
    authors: authors.map(titleCaseIfUpper),
    dateline: datelinePlace(child(bodyHead, 'dateline')) ?? datelineFromParagraph(paragraphs[0]),
    paragraphs,
    summary,
    people: [...children(identified, 'person').map((person) => textOf(person)), ...text.people].filter(
      looksLikePersonName,
    ),
    organisations: [...children(identified, 'org').map((org) => textOf(org)), ...text.organisations],
    tickers: [
      ...children(identified, 'org').flatMap((org) => organisationTicker(org) ?? []),
      ...text.tickers,
    ],
    places: ['location', 'country', 'city', 'state', 'region'].flatMap((name) =>
      descendants(identified, name).map((place) => textOf(place)),
    ),
  };
}

/** `management-status`: usable, embargoed, withheld or canceled. */
function managementStatus(docdata: XmlElement | undefined, headline: string): StoryDraft['status'] {
  const status = attr(docdata, 'management-status')?.toLowerCase();
  return resolveStatus(
    {
      killed: status === 'canceled' || status === 'cancelled',
      withheld: status === 'embargoed' || status === 'withheld',
      correction: /^correct(?:ed|ion)?\b/i.test(headline),
      update: /^update\b/i.test(headline),
    },
    noteSignals(attr(child(docdata, 'ed-msg'), 'info')),
  );
}

function keywords(head: XmlElement | undefined, docdata: XmlElement | undefined): string[] {
  const fromKeyList = children(child(docdata, 'key-list'), 'keyword').map(
    (keyword) => attr(keyword, 'key') ?? textOf(keyword),
  );
  const anpaKeyword = children(head, 'meta').find((meta) => attr(meta, 'name') === 'anpa-keyword');
  return [...fromKeyList, attr(anpaKeyword, 'content') ?? ''];
}

/** `tobject.subject` codes (`subj:15000000`). */
function subjectCodes(head: XmlElement | undefined): string[] {
  return descendants(head, 'tobject.subject').flatMap((subject) => {
    const code = attr(subject, 'tobject.subject.refnum');
    return code === undefined ? [] : [`subj:${code}`];
  });
}

function subjects(head: XmlElement | undefined): string[] {
  return descendants(head, 'tobject.subject').map((subject) => {
    const name =
      attr(subject, 'tobject.subject.detail') ??
      attr(subject, 'tobject.subject.matter') ??
      attr(subject, 'tobject.subject.type');
    const code = attr(subject, 'tobject.subject.refnum');
    return name ?? (code === undefined ? '' : `subj:${code}`);
  });
}

/** An NITF document (`<nitf>` root). */
export function parseNitf(text: string): StoryDraft {
  const root = parseXml(text, 'NITF story');
  if (root.name !== 'nitf') {
    throw new StoryParseError(
      'unknown-format',
      `expected an NITF document (root <nitf>) but the root element is <${root.name}>; ${SEND_ACCEPTED_FORMATS}`,
    );
  }
  return nitfDraft(root);
}

/** Story fields of a parsed `<nitf>` element. */
export function nitfDraft(root: XmlElement): StoryDraft {
  const head = child(root, 'head');
  const docdata = child(head, 'docdata');
  const content = nitfContent(root);
  const issued =
    attr(child(docdata, 'date.issue'), 'norm') ??
    attr(child(docdata, 'date.release'), 'norm') ??
    attr(descendant(root, 'story.date'), 'norm') ??
    attr(child(head, 'pubdata'), 'date.publication');
  const publishedAt = parseTimestamp(issued);
  const docId = attr(child(docdata, 'doc-id'), 'id-string');
  const urgency = attr(child(docdata, 'urgency') ?? child(head, 'urgency'), 'ed-urg');
  const holder = attr(child(docdata, 'doc.copyright'), 'holder');
  const distributor = cleanLine(textOf(descendant(root, 'distributor')));
  return {
    id:
      docId ??
      derivedId(
        'nitf',
        content.headline,
        publishedAt ?? '',
        content.paragraphs[0] ?? content.summary[0] ?? '',
      ),
    ...content,
    publishedAt,
    language: attr(root, 'baselang') ?? attr(root, 'lang') ?? attr(descendant(root, 'p'), 'lang'),
    status: managementStatus(docdata, content.headline),
    version: Number(attr(child(docdata, 'du-key'), 'version') ?? 1),
    urgency: urgency === undefined ? undefined : Number(urgency),
    keywords: keywords(head, docdata),
    subjects: subjects(head),
    subjectCodes: subjectCodes(head),
    source: holder ?? (distributor || attr(child(docdata, 'doc-id'), 'regsrc')),
  };
}
