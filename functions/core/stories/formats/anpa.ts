import { isoUtc, utcFromFields } from '../dates.ts';
import { noteSignals, resolveStatus, type StoryDraft } from '../draft.ts';
import { authorsFromByline } from '../names.ts';
import { cleanLine, datelineFromParagraph, derivedId, plainTextParagraphs } from '../text.ts';

const SYN = '\u0016';
const SOH = '\u0001';
const STX = '\u0002';
const ETX = '\u0003';
const EOT = '\u0004';

/**
 * ANPA-1312 priority letter -> Story urgency (1 most urgent). f flash 1, b bulletin 2, u urgent 3,
 * r regular/routine 4, d deferred 5, s/z ordinary or slow 5, a advisory 6; other letters: no urgency.
 */
export const ANPA_URGENCY: Readonly<Record<string, number>> = {
  f: 1,
  b: 2,
  u: 3,
  r: 4,
  d: 5,
  s: 5,
  z: 5,
  a: 6,
};

/** AP category letters that name a subject area. */
export const ANPA_CATEGORIES: Readonly<Record<string, string>> = {
  a: 'Domestic news',
  e: 'Entertainment',
  f: 'Business',
  i: 'International news',
  k: 'Commentary',
  l: 'Lifestyle',
  n: 'State and regional news',
  p: 'National politics',
  q: 'Sports results',
  s: 'Sports',
  t: 'Travel',
  w: 'Washington',
};

/** Editor-facing lines in the `^...<` header block that are not headlines. */
const NOTE = /^\(?(?:eds?:|editors?'?s? note|ap photos?\b|ap video\b|ap graphics?\b|with ap photos?\b)/i;

interface HeaderLine {
  readonly priority?: string | undefined;
  readonly category?: string | undefined;
  readonly keyword?: string | undefined;
  readonly takeKey?: string | undefined;
}

/** `f l<DC3><DC1> BC-LT--Argentina-CancerB  1stLd-Writethru   11-13 1049` */
function readHeaderLine(header: string): HeaderLine {
  const line = header
    .split(/\r?\n/)
    .find((candidate) => /^[a-z] [a-z]/i.test(candidate.trimStart().replaceAll(SYN, '')));
  if (line === undefined) return {};
  const tokens = cleanLine(line).split(' ');
  const [priority, category, keyword, ...rest] = tokens;
  if (rest.length >= 2 && /^\d+$/.test(rest[rest.length - 1]!)) rest.pop(); // word count
  if (rest.length >= 1 && /^\d{2}-\d{2}$/.test(rest[rest.length - 1]!)) rest.pop(); // month-day
  return {
    priority: priority?.toLowerCase(),
    category: category?.toLowerCase(),
    keyword,
    takeKey: rest.join(' '),
  };
}

/** `AP-WF-11-13-13 1509GMT` after ETX: source and time of transmission. */
function readTrailer(trailer: string): { source?: string; publishedAt?: string } {
  const match = /([A-Z]{2,8})-[A-Z]{1,4}-(\d{2})-(\d{2})-(\d{2})\s+(\d{2})(\d{2})\s*GMT/.exec(trailer);
  if (match === null) return {};
  const [, source, month, day, year, hour, minute] = match;
  const date = utcFromFields(2000 + Number(year), Number(month), Number(day), Number(hour), Number(minute));
  return { source, publishedAt: date === undefined ? undefined : isoUtc(date) };
}

/** Version from a take key: `1stLd-Writethru` is the second version, `3rd Ld` the fourth. */
function versionFromTakeKey(takeKey: string): number {
  const lead = /(\d+)\s*(?:st|nd|rd|th)\s*Ld/i.exec(takeKey);
  if (lead !== null) return Number(lead[1]) + 1;
  return /\b(?:ld|writethru|update|adds)\b/i.test(takeKey) ? 2 : 1;
}

/** An ANPA-1312 transmission: SYN SYN SOH header, STX text, ETX trailer, EOT. */
export function parseAnpa(text: string): StoryDraft {
  const soh = text.indexOf(SOH);
  const stx = text.indexOf(STX);
  const etx = stx === -1 ? text.indexOf(ETX) : text.indexOf(ETX, stx);
  const header = stx === -1 ? '' : text.slice(soh === -1 ? 0 : soh + 1, stx);
  const textEnd = etx === -1 ? text.length : etx;
  const body = text.slice(stx === -1 ? 0 : stx + 1, textEnd);
  const eot = text.indexOf(EOT, textEnd);
  const trailer = etx === -1 ? '' : text.slice(etx + 1, eot === -1 ? text.length : eot);
  const headerLine = readHeaderLine(header);

  let slugline: string | undefined;
  let takeKey = headerLine.takeKey ?? '';
  let headline = '';
  const summary: string[] = [];
  const loose: string[] = [];
  const authors: string[] = [];
  const notes: string[] = [];
  let bylineSeen = false;
  const lines = body.split(/\r\n|\r|\n/);
  let index = 0;
  for (; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    if (!line.startsWith('^')) break;
    // A line can hold several `^...<` segments (`^*9006< ^AP-Top-Entertainment-Headlines,0176<`).
    for (const raw of line.split(/(?<=[<=])\s*(?=\^)/)) {
      const segment = raw.trim().replace(/^\^/, '');
      const terminator = segment.slice(-1);
      const value = cleanLine(terminator === '<' || terminator === '=' ? segment.slice(0, -1) : segment);
      if (value === '' || /^\*\d+$/.test(value)) continue;
      const slug = value.length <= 300 ? /^(\S.*?),\s*(\d+)$/.exec(value) : null;
      if (slugline === undefined && terminator === '<' && slug !== null) {
        const [name, take] = slug[1]!.split(/,\s*(.*)/s);
        slugline = name!.trim();
        if (take !== undefined && take.trim() !== '') takeKey = take.trim();
      } else if (terminator === '=') {
        if (!bylineSeen && /^by\s/i.test(value)) authors.push(...authorsFromByline(value));
        bylineSeen = true;
      } else if (terminator === '<' && NOTE.test(value)) {
        notes.push(value);
      } else if (terminator === '<') {
        if (headline === '') headline = value;
        else summary.push(value);
      } else {
        loose.push(value);
      }
    }
  }
  let paragraphs = plainTextParagraphs(lines.slice(index).join('\n'));
  // Un-terminated `^` lines are a lead-in before the text, or, in a list of headlines, the text itself.
  if (paragraphs.length === 0) paragraphs = loose;
  else summary.push(...loose);

  const { source, publishedAt } = readTrailer(trailer);
  const noteText = notes.join(' ');
  const category = headerLine.category === undefined ? undefined : ANPA_CATEGORIES[headerLine.category];
  const storyKey = slugline ?? headerLine.keyword ?? (headline || paragraphs[0] || '');
  return {
    id: derivedId('anpa', storyKey, publishedAt?.slice(0, 10) ?? ''),
    headline,
    authors,
    dateline: datelineFromParagraph(paragraphs[0]),
    paragraphs,
    summary,
    publishedAt,
    status: resolveStatus(noteSignals(noteText), {
      killed: /\bkill(?:ed)?\b/i.test(`${takeKey} ${slugline ?? ''}`),
      withheld: /\b(?:embargoed|hold for release)\b/i.test(noteText),
      correction: /\bcorrect(?:s|ion|ed)?\b/i.test(takeKey),
      update: versionFromTakeKey(takeKey) > 1,
    }),
    version: versionFromTakeKey(takeKey),
    urgency: headerLine.priority === undefined ? undefined : ANPA_URGENCY[headerLine.priority],
    slugline,
    keywords: [headerLine.keyword],
    subjects: [category],
    source,
  };
}

/** True for an ANPA-1312 transmission: it starts with SYN (IPTC 7901 starts with a bare SOH). */
export function looksLikeAnpa(text: string): boolean {
  return text.trimStart().startsWith(SYN);
}
