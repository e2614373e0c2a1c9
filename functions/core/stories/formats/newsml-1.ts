import { parseTimestamp } from '../dates.ts';
import { noteSignals, resolveStatus, type StoryDraft } from '../draft.ts';
import { StoryParseError } from '../errors.ts';
import { SEND_ACCEPTED_FORMATS } from '../input.ts';
import { authorsFromByline, looksLikePersonName } from '../names.ts';
import { cleanDateline, cleanLine, datelineFromParagraph, derivedId } from '../text.ts';
import { attr, child, children, descendant, descendants, parseXml, textOf, type XmlElement } from '../xml.ts';
import { components, dropSignature, MEDIA_ROLES, storyText } from './newsml-1-text.ts';
import { takeBylineParagraph } from './nitf.ts';

/** Roots read as NewsML 1.x: the document, or one `NewsItem` sent on its own. */
export const NEWSML_1_ROOTS = ['NewsML', 'NewsItem'];

/** Stable id: the PublicIdentifier URN without its revision, else one built from the NewsIdentifier. */
function itemId(identifier: XmlElement | undefined): string | undefined {
  const publicId = cleanLine(textOf(child(identifier, 'PublicIdentifier')));
  // urn:newsml:ProviderId:DateId:NewsItemId:RevisionId[Update]; every revision shares the rest.
  const revision = /^(urn:newsml:[^:]+:[^:]+:.+):\d+[NAU]?$/i.exec(publicId);
  if (revision !== null) return revision[1];
  if (publicId !== '') return publicId;
  const [provider, date, newsItemId] = ['ProviderId', 'DateId', 'NewsItemId'].map((name) =>
    cleanLine(textOf(child(identifier, name))),
  );
  if (newsItemId === undefined || newsItemId === '') return undefined;
  return provider !== '' && date !== '' ? `urn:newsml:${provider}:${date}:${newsItemId}` : newsItemId;
}

/** `STOCKHOLM, Aug 29, 2014 (AFP) -` -> `STOCKHOLM`: the credit and the date after the place dropped. */
function datelinePlace(dateline: string): string | undefined {
  return cleanDateline(cleanLine(dateline).replace(/,[^,]*\d.*$/, ''));
}

/** Subject names through the item's TopicSets (`09003000` -> `Employment/Unemployment`), else `subj:` codes. */
function topics(item: XmlElement): { names: Map<string, string>; people: string[]; organisations: string[] } {
  const names = new Map<string, string>();
  const people: string[] = [];
  const organisations: string[] = [];
  for (const topic of descendants(item, 'Topic')) {
    const code = cleanLine(textOf(child(topic, 'FormalName')));
    const descriptions = children(topic, 'Description');
    const named = descriptions.filter((description) => /name/i.test(attr(description, 'Variant') ?? 'name'));
    const english = named.find((description) => /^en\b/i.test(attr(description, 'lang') ?? ''));
    const name = cleanLine(textOf(english ?? named[0] ?? descriptions[0])) || code;
    if (code !== '' && name !== '') names.set(code, name);
    const type = attr(child(topic, 'TopicType'), 'FormalName') ?? '';
    if (/person/i.test(type)) people.push(name);
    else if (/compan|organi[sz]ation/i.test(type)) organisations.push(name);
  }
  return { names, people, organisations };
}

function statusOf(
  item: XmlElement,
  headline: string,
  slugline: string,
  notes: string[],
): StoryDraft['status'] {
  const management = child(item, 'NewsManagement');
  const status = attr(child(management, 'Status'), 'FormalName')?.toLowerCase() ?? '';
  const instructions = children(management, 'Instruction')
    .map((instruction) => attr(instruction, 'FormalName') ?? '')
    .join(' ');
  return resolveStatus(...notes.map(noteSignals), {
    killed: /^(?:cancel+ed|killed|kill)$/.test(status) || /\b(?:kill|withdraw|cancel)/i.test(instructions),
    withheld: status === 'withheld' || status === 'embargoed',
    correction:
      /rectif|correct/i.test(instructions) ||
      /^correct(?:ed|ion)?\b/i.test(headline) ||
      /\bcorrected\b/i.test(slugline),
    update: /update|writethru|replace/i.test(instructions) || /^update\b/i.test(headline),
  });
}

/** Story fields of one NewsItem (see docs/story-envelope.md, NewsML 1.x). */
function itemDraft(item: XmlElement, envelope: XmlElement | undefined): StoryDraft {
  const identification = child(item, 'Identification');
  const identifier = child(identification, 'NewsIdentifier');
  const management = child(item, 'NewsManagement');
  const parts = components(item);
  // The story's own NewsLines and metadata, shallowest first; not those of its pictures and clips.
  const primary = parts
    .filter((part) => !MEDIA_ROLES.test(part.role ?? ''))
    .sort((a, b) => a.depth - b.depth);
  const lines = primary.flatMap((part) => children(part.element, 'NewsLines'));
  const lineTexts = (name: string): string[] =>
    lines.flatMap((newsLines) => children(newsLines, name)).map((line) => cleanLine(textOf(line)));
  const firstLine = (name: string): string => lineTexts(name).find((line) => line !== '') ?? '';
  const descriptive = primary.flatMap((part) => children(part.element, 'DescriptiveMetadata'));
  const administrative = primary.flatMap((part) => children(part.element, 'AdministrativeMetadata'));
  const parties = (role: string): string[] =>
    administrative.flatMap((meta) =>
      children(meta, role).flatMap((holder) =>
        children(holder, 'Party').map((party) => attr(party, 'FormalName') ?? ''),
      ),
    );

  const text = storyText(parts);
  const paragraphs = dropSignature(text.paragraphs);
  const bodyAuthors = text.nitf === undefined ? takeBylineParagraph(paragraphs) : [];
  const headline = firstLine('HeadLine') || text.headline || text.nitf?.headline || '';
  const slugline = firstLine('SlugLine') || cleanLine(textOf(child(identification, 'NameLabel')));
  const publishedAt = parseTimestamp(
    [
      textOf(child(management, 'ThisRevisionCreated')),
      textOf(child(management, 'FirstCreated')),
      textOf(child(envelope, 'DateAndTime')),
      textOf(child(identifier, 'DateId')),
    ].find((value) => parseTimestamp(value) !== undefined),
  );
  const subjectCodes = descriptive.flatMap((meta) =>
    children(meta, 'SubjectCode').flatMap((code) =>
      children(code, 'Subject', 'SubjectMatter', 'SubjectDetail').map((subject) =>
        attr(subject, 'FormalName'),
      ),
    ),
  );
  const known = topics(item);
  const properties = (metas: XmlElement[], pattern: RegExp): string[] =>
    metas.flatMap((meta) =>
      children(meta, 'Property')
        .filter((property) => pattern.test(attr(property, 'FormalName') ?? ''))
        .map((property) => attr(property, 'Value') ?? ''),
    );
  const metadata = primary.flatMap((part) => children(part.element, 'Metadata'));
  const notes = lines
    .flatMap((newsLines) => children(newsLines, 'NewsLine'))
    .filter((line) => /note|advisory/i.test(attr(child(line, 'NewsLineType'), 'FormalName') ?? ''))
    .map((line) => textOf(child(line, 'NewsLineText')));
  const urgency =
    attr(child(management, 'Urgency'), 'FormalName') ?? attr(child(envelope, 'Priority'), 'FormalName');
  const language = descriptive.map((meta) => attr(child(meta, 'Language'), 'FormalName')).find(Boolean);
  const id = itemId(identifier);
  return {
    id: id ?? derivedId('newsml', headline, publishedAt ?? '', paragraphs[0] ?? ''),
    headline,
    authors: [
      ...lineTexts('ByLine').flatMap(authorsFromByline),
      ...(text.nitf?.authors ?? bodyAuthors),
      ...parties('Creator').filter(looksLikePersonName),
    ],
    dateline:
      datelinePlace(firstLine('DateLine')) ??
      text.nitf?.dateline ??
      datelineFromParagraph(paragraphs[0]) ??
      properties(
        descriptive.flatMap((meta) => children(meta, 'Location')),
        /^city$/i,
      )[0],
    paragraphs,
    summary: [...lineTexts('SubHeadLine'), ...text.summary, ...(text.nitf?.summary ?? [])],
    publishedAt,
    language: (language ?? attr(item, 'lang'))?.replace(/^[A-Za-z]+/, (primaryTag) =>
      primaryTag.toLowerCase(),
    ),
    status: statusOf(item, headline, slugline, notes),
    version: Number(textOf(child(identifier, 'RevisionId')).trim() || 1),
    urgency: urgency === undefined ? undefined : Number(urgency),
    slugline,
    keywords: [...lineTexts('KeywordLine'), ...properties(descriptive, /^keywords?$/i)],
    subjects: [
      ...subjectCodes.map((code) =>
        code === undefined ? undefined : (known.names.get(code) ?? `subj:${code}`),
      ),
      // Provider keyword sets (Business Wire `BWIndustryKeywords`, `BWCountryKeywords`): what the story is about.
      ...properties(metadata, /.keywords$/i),
    ],
    people: [...known.people, ...(text.nitf?.people ?? [])],
    organisations: [...known.organisations, ...(text.nitf?.organisations ?? [])],
    subjectCodes: subjectCodes.map((code) => (code === undefined ? undefined : `subj:${code}`)),
    places: [
      ...descriptive
        .flatMap((meta) => children(meta, 'Location'))
        .flatMap((location) => children(location, 'Property').map((property) => attr(property, 'Value'))),
      ...(text.nitf?.places ?? []),
    ],
    tickers: text.nitf?.tickers ?? [],
    source:
      parties('Provider')[0] ||
      firstLine('CreditLine') ||
      attr(descendant(child(envelope, 'SentFrom'), 'Party'), 'FormalName') ||
      attr(child(envelope, 'NewsService'), 'FormalName') ||
      cleanLine(textOf(child(identifier, 'ProviderId'))),
  };
}

/**
 * A NewsML 1.x document: one story per `NewsItem` (`parseStories` keeps those with text when there
 * are several), or a bare `NewsItem`.
 */
export function parseNewsMl1(text: string): StoryDraft[] {
  const root = parseXml(text, 'NewsML 1 story');
  if (root.name === 'NewsItem') return [itemDraft(root, undefined)];
  if (root.name !== 'NewsML') {
    throw new StoryParseError(
      'unknown-format',
      `expected a NewsML 1.x document (root <NewsML>) but the root element is <${root.name}>; ${SEND_ACCEPTED_FORMATS}`,
    );
  }
  const items = children(root, 'NewsItem');
  if (items.length === 0) {
    throw new StoryParseError(
      'missing-field',
      'NewsML 1 document has no NewsItem; send a document with a story in it',
    );
  }
  const envelope = child(root, 'NewsEnvelope');
  return items.map((item) => itemDraft(item, envelope));
}
