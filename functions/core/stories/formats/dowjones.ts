import { parseDotNetDate, utcFromFields } from '../dates.ts';
import { resolveStatus, type StoryDraft } from '../draft.ts';
import { StoryParseError } from '../errors.ts';
import { authorsFromByline, isBylineLine } from '../names.ts';
import { cleanLine, continuesParagraph, derivedId, guessLanguage } from '../text.ts';

const SOURCE = 'Dow Jones Newswires';
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const TERMINATOR = /^\((?:END|ENDE|MORE TO FOLLOW)\)\s+Dow Jones Newswires\b/i;
const TIMESTAMP =
  /^([A-Za-z]+)\s+(\d{1,2}),\s+(\d{4})\s+(\d{1,2}):(\d{2})\s+E[SD]?T(?:\s+\((\d{1,2}):(\d{2})\s+GMT\))?$/;
/** `(Adds comment ...)`, `(Recasts ...)`, `(NEU: ...)`: the editor's note on an updated version. */
const UPDATE_NOTE =
  /^\((?:adds|recasts|updates|updated|rewrites|revises|writethru|neu|aktualisiert|ergänzt|überarbeitet)\b.*\)$/i;
const CORRECTION_NOTE = /^\((?:corrects|corrected|correction|korrigiert|berichtigt)\b.*\)$/i;
/** Where the contact block starts: everything after it is boilerplate. */
const CONTACT =
  /^-*\s*(?:write to\b|kontakt zum autor\b|contact us\b|[\w .'-]{1,40} bureau, dow jones newswires)/i;
const DROPPED = [
  /^subscribe to wsj:/i,
  /^order free annual report for\b/i,
  /^visit http:\/\/djnweurope\./i,
  /^-0-$/,
  /^copyright\s+(?:\(c\)|©)/i,
  /^[A-Z]{2,5}(?:\/[a-z]{2,5})+$/, // desk codes such as DJG/apr/kla
  /^[\w.+-]+@[\w.-]+$/, // a bare e-mail address
];

/** `February 23, 2017 15:13 ET (20:13 GMT)`: the GMT time, on the next day when it wrapped past midnight. */
export function dowJonesTimestamp(line: string): string | undefined {
  const match = TIMESTAMP.exec(line);
  if (match === null) return undefined;
  const [, monthName, day, year, etHour, etMinute, gmtHour, gmtMinute] = match;
  const month = MONTHS.indexOf(monthName!.toLowerCase()) + 1;
  const eastern = utcFromFields(Number(year), month, Number(day), Number(etHour), Number(etMinute));
  if (eastern === undefined) return undefined;
  if (gmtHour === undefined || gmtMinute === undefined) {
    // No GMT part: Eastern Time is UTC-5, or UTC-4 in summer (US rules since 2007).
    const offset = isUsSummerTime(eastern) ? 4 : 5;
    return new Date(eastern.getTime() + offset * 3_600_000).toISOString().replace('.000Z', 'Z');
  }
  const gmt = utcFromFields(Number(year), month, Number(day), Number(gmtHour), Number(gmtMinute));
  if (gmt === undefined) return undefined;
  const wrapped = gmt.getTime() < eastern.getTime() ? gmt.getTime() + 86_400_000 : gmt.getTime();
  return new Date(wrapped).toISOString().replace('.000Z', 'Z');
}

/** US daylight saving time: second Sunday of March to first Sunday of November (wall clock, approximately). */
function isUsSummerTime(wallClock: Date): boolean {
  const year = wallClock.getUTCFullYear();
  const sunday = (month: number, nth: number): number => {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return Date.UTC(year, month, 1 + ((7 - first) % 7) + (nth - 1) * 7, 2);
  };
  const time = wallClock.getTime();
  return time >= sunday(2, 2) && time < sunday(10, 1);
}

/** `MEXICO CITY--Text` -> place and the rest; the place must be upper case. */
function splitDateline(paragraph: string): { place: string; rest: string } | undefined {
  const dashes = paragraph.indexOf('--');
  if (dashes < 2 || dashes > 60) return undefined;
  let place = paragraph.slice(0, dashes).trim();
  const credit = place.lastIndexOf(' (');
  if (credit > 0 && place.endsWith(')')) place = place.slice(0, credit).trim();
  if (!/^\p{Lu}/u.test(place) || /\p{Ll}/u.test(place) || place.length < 2) return undefined;
  return { place, rest: paragraph.slice(dashes + 2).trim() };
}

function isHeadlineLike(line: string, next: string | undefined): boolean {
  if (next === undefined || line.length > 200 || /[.;,]$/.test(line)) return false;
  if (line.startsWith('-') || line.startsWith('(') || splitDateline(line) !== undefined) return false;
  return next.startsWith('--') || isBylineLine(next) || splitDateline(next) !== undefined;
}

/**
 * A headline-only flash: one short line, not ending like a sentence, directly before the trailer.
 * Dow Jones sends a flash headline first and the story in a later take.
 */
function isFlashHeadline(paragraphs: readonly string[], terminator: string | undefined): boolean {
  const [line] = paragraphs;
  return (
    terminator !== undefined &&
    paragraphs.length === 1 &&
    line !== undefined &&
    line.length <= 200 &&
    !/[.;,!"\u201d]$/.test(line)
  );
}

interface DowJonesHints {
  readonly id?: string | undefined;
  readonly headline?: string | undefined;
  readonly publishedAt?: string | undefined;
}

/** A Dow Jones Newswires plain-text story (see docs/story-envelope.md for the field mapping). */
export function parseDowJonesText(text: string, hints: DowJonesHints = {}): StoryDraft {
  const lines = text.split(/\r\n|\r|\n/).map(cleanLine);
  let end = lines.findIndex((line) => TERMINATOR.test(line));
  const terminator = end === -1 ? undefined : lines[end];
  if (end === -1) end = lines.length;
  let publishedAt: string | undefined;
  for (const line of end < lines.length ? lines.slice(end) : lines) {
    publishedAt ??= dowJonesTimestamp(line);
  }
  const content = lines.slice(0, end).filter((line) => line !== '' && dowJonesTimestamp(line) === undefined);

  const summary: string[] = [];
  const authors: string[] = [];
  let headline = hints.headline ?? '';
  let update = false;
  let correction = false;
  let index = 0;
  for (; index < content.length; index += 1) {
    const line = content[index]!;
    if (line.startsWith('--') || line.startsWith('-- ')) summary.push(line.replace(/^-+\s*/, ''));
    else if (UPDATE_NOTE.test(line)) update = true;
    else if (CORRECTION_NOTE.test(line)) correction = true;
    else if (isBylineLine(line)) authors.push(...authorsFromByline(line));
    else if (index === 0 && headline === '' && isHeadlineLike(line, content[1])) headline = line;
    else break;
  }

  const paragraphs: string[] = [];
  for (const line of content.slice(index)) {
    if (CONTACT.test(line)) break;
    if (DROPPED.some((pattern) => pattern.test(line))) continue;
    // Hard-wrapped copy: a line that does not end a sentence runs on into the next.
    const previous = paragraphs[paragraphs.length - 1];
    if (continuesParagraph(previous, line)) paragraphs[paragraphs.length - 1] = `${previous} ${line}`;
    else paragraphs.push(line);
  }
  const dateline = paragraphs[0] === undefined ? undefined : splitDateline(paragraphs[0]);
  if (dateline !== undefined) {
    if (dateline.rest === '') paragraphs.shift();
    else paragraphs[0] = dateline.rest;
  }

  // A DJ correction notice quotes the corrected headline and says what it misstated.
  const first = paragraphs[0] ?? '';
  if (/^["\u201c]/.test(first) && /\bmisstated\b/i.test(first)) correction = true;
  if (/^correct(?:ed|ion)?\b/i.test(headline)) correction = true;
  if (/^update\b/i.test(headline)) update = true;

  if (headline === '' && dateline === undefined && isFlashHeadline(paragraphs, terminator)) {
    headline = paragraphs.shift() ?? '';
  }
  // A flash with nothing before its trailer: the trailer is all the text carries (the headline
  // travels outside it); keep it as the headline rather than refuse the story.
  const trailerOnly =
    headline === '' && paragraphs.length === 0 && summary.length === 0 && terminator !== undefined;
  if (trailerOnly) headline = terminator;

  const published = hints.publishedAt ?? publishedAt;
  const german = /^von\s/i.test(content.find(isBylineLine) ?? '');
  const language = german ? 'de' : (guessLanguage([...summary, ...paragraphs].join(' ')) ?? 'en');
  const idText = paragraphs[0] || headline || summary[0] || '';
  // Trailer-only flashes all read alike: the full minute, not just the day, tells them apart.
  const idTime = trailerOnly ? (published ?? '') : (published?.slice(0, 10) ?? '');
  return {
    id: hints.id ?? derivedId('djn', idText, idTime),
    headline,
    authors,
    dateline: dateline?.place,
    paragraphs,
    summary,
    publishedAt: published,
    language,
    status: resolveStatus({ correction, update }),
    source: SOURCE,
  };
}

/**
 * A Dow Jones API `NewsDetail` record (`{"StoryId", "Headline", "PublishDate": "/Date(ms)/", "Story"}`,
 * optionally wrapped in `{"NewsDetail": ...}`): the text is parsed as above, and the record's id,
 * headline and publish time are used.
 */
export function parseDowJonesRecord(json: Record<string, unknown>): StoryDraft {
  const record = (
    typeof json.NewsDetail === 'object' && json.NewsDetail !== null ? json.NewsDetail : json
  ) as Record<string, unknown>;
  const { StoryId: storyId, Story: story, Headline: headline, PublishDate: publishDate } = record;
  if (typeof story !== 'string') {
    throw new StoryParseError(
      'missing-field',
      'Dow Jones record has no "Story" text; send the NewsDetail object',
    );
  }
  const id = typeof storyId === 'number' || typeof storyId === 'string' ? `djn-${storyId}` : undefined;
  return parseDowJonesText(story, {
    id,
    headline: typeof headline === 'string' ? headline : undefined,
    publishedAt: typeof publishDate === 'string' ? parseDotNetDate(publishDate) : undefined,
  });
}

/** True when a JSON value looks like a Dow Jones API record. */
export function isDowJonesRecord(json: Record<string, unknown>): boolean {
  const record = typeof json.NewsDetail === 'object' && json.NewsDetail !== null ? json.NewsDetail : json;
  return typeof record === 'object' && record !== null && 'StoryId' in record && 'Story' in record;
}
