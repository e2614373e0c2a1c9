import { createHash } from 'node:crypto';

/** C0 controls other than tab and newlines, DEL and C1 controls: never part of story text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Characters that do not show: zero-width space, non-joiner and joiner, word joiner, soft hyphen and a
 * stray byte order mark. Removed, never made spaces, so they cannot split a word (`deport\u200bation`).
 */
const INVISIBLE_CHARACTERS = /[\u200b-\u200d\u2060\u00ad\ufeff]/g;

/** One line of text: controls and invisible characters removed, every run of whitespace (newlines, no-break spaces) made one space. */
export function cleanLine(text: string): string {
  // Only runs of two or more, or single non-space whitespace, need replacing: far fewer matches than /\s+/.
  return text
    .replace(CONTROL_CHARACTERS, '')
    .replace(INVISIBLE_CHARACTERS, '')
    .replace(/\s{2,}|[^\S ]/g, ' ')
    .trim();
}

/** Removes the given characters from the end of the text (a loop: `/[...]+$/` is quadratic on long runs). */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}

/** Cleans each entry, drops empty ones and case-insensitive duplicates, keeps the first spelling and order. */
export function uniqueClean(values: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    if (value === undefined) continue;
    const clean = cleanLine(value);
    const key = clean.toLowerCase();
    if (clean === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

const INDENTED = /^(?:\t| {2,})\S/;

/** Characters that may end a paragraph's last line. */
const LINE_END_PUNCTUATION = '.!?:;"\u201d\u2019\')]';
/** A last word that ends in a period without ending the sentence: `Ms.`, `Gen.`, `Jan.`, `F.`, `U.S.`. */
const ABBREVIATION_BEFORE_PERIOD = /(?:^|\s)(?:\p{Lu}|\p{Lu}\p{Ll}{1,3}|(?:\p{Lu}\.)+\p{Lu})\.$/u;
/** Words a sentence or a paragraph does not end on: titles and function words (`President` / `Reagan`). */
const NEVER_LAST = new Set(
  `a an the of to and or but in on at for with by from as into than that said says president premier
  prime minister secretary governor senator chancellor chairman chairwoman chief king queen prince
  princess judge justice ambassador general mr mrs ms dr`.split(/\s+/),
);

/**
 * True when `next` continues the paragraph whose last line is `previous`: hard-wrapped wire copy
 * breaks lines inside sentences (`mass` / `deportations`, `President` / `Reagan's veto`, `Ms.` /
 * `Ardern`). Conservative, so that lists and headings keep their lines: a line continues when it
 * starts in lower case or the line before ends on a title, a function word or an abbreviation.
 */
export function continuesParagraph(previous: string | undefined, next: string): boolean {
  if (previous === undefined) return false;
  const last = previous.trimEnd();
  const start = next.trimStart();
  if (last === '' || start === '') return false;
  if (LINE_END_PUNCTUATION.includes(last[last.length - 1]!)) {
    return last.endsWith('.') && ABBREVIATION_BEFORE_PERIOD.test(last.slice(-12));
  }
  if (/^\p{Ll}/u.test(start)) return true;
  const lastWord = last.slice(last.lastIndexOf(' ') + 1).toLowerCase();
  return NEVER_LAST.has(lastWord);
}

/**
 * Paragraphs of plain text. Wire copy with indented paragraph starts and unindented continuation
 * lines (hard-wrapped) is split at the indents; otherwise blank lines separate paragraphs; text with
 * neither has a paragraph per line, except that a line continues the paragraph when the line before
 * it does not end a sentence (see continuesParagraph).
 */
export function plainTextParagraphs(text: string): string[] {
  const lines = text.replace(CONTROL_CHARACTERS, '').split(/\r\n|\r|\n/);
  const filled = lines.map((line) => line.trim() !== '');
  const first = filled.indexOf(true);
  const last = filled.lastIndexOf(true);
  const hasBlankLine = filled.some((isFilled, index) => !isFilled && index > first && index < last);
  const indented = lines.filter((line) => INDENTED.test(line)).length;
  const continued = lines.slice(first + 1).filter((line) => /^\S/.test(line)).length;
  const mode = indented >= 2 && continued >= 1 ? 'indent' : hasBlankLine ? 'blank' : 'line';
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) paragraphs.push(cleanLine(current.join(' ')));
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (
      mode === 'line'
        ? !continuesParagraph(current[current.length - 1], line)
        : mode === 'indent' && INDENTED.test(line)
    ) {
      flush();
    }
    current.push(line);
  }
  flush();
  return paragraphs.filter((paragraph) => paragraph !== '');
}

/** Separator-only paragraphs (`___`, `-0-`, `* * *`) carry no text. */
export function isSeparator(paragraph: string): boolean {
  return /^[-_*=~#.\s0]*$/.test(paragraph) && !/^0+$/.test(paragraph.trim());
}

const CREDIT_LINE =
  /^[-\s(]*(?:(?:additional )?(?:reporting|writing|editing|compiled|compilation) by\b|.{0,120}\bcontributed to this (?:article|report|story)\b|.{0,120}\bhelped with this (?:article|report|story)\b)/i;

/** `Copyright (c) 2026 ...`, `(c) 2026 ...`, `© 2026 ...`, `© ANA-MPA ...`: a rights notice, not story text. */
const COPYRIGHT_LINE = /^(?:copyright\b|\(c\)\s*(?:copyright\b|\d{4})|©)/i;

function isTrailer(paragraph: string): boolean {
  return CREDIT_LINE.test(paragraph) || (paragraph.length <= 300 && COPYRIGHT_LINE.test(paragraph));
}

/**
 * Drops separators anywhere and, at the end of a story, credit lines ("Additional reporting by ...",
 * "X contributed to this report") and copyright notices: they are not what the story is about.
 */
export function trimCredits(paragraphs: readonly string[]): string[] {
  const kept = paragraphs.filter((paragraph) => !isSeparator(paragraph));
  while (kept.length > 0 && isTrailer(kept[kept.length - 1]!)) kept.pop();
  return kept;
}

/** A stable short id from the given parts: the same parts always give the same id. */
export function derivedId(prefix: string, ...parts: readonly string[]): string {
  const normalized = parts.map((part) => cleanLine(part).normalize('NFC').toLowerCase()).join('\u0000');
  return `${prefix}-${createHash('sha256').update(normalized).digest('hex').slice(0, 20)}`;
}

const GERMAN_WORDS = new Set(
  'der die das und nicht mit ist von den dem sich auf für im zu ein eine einer auch wird wurde hat sind noch nach bei über aus'.split(
    ' ',
  ),
);
const ENGLISH_WORDS = new Set(
  'the and of to in is that for on with said was it as at by from has have are be will its this an'.split(
    ' ',
  ),
);

/** `de` or `en` from common function words; undefined when the text gives too little to tell. */
export function guessLanguage(text: string): 'de' | 'en' | undefined {
  let german = 0;
  let english = 0;
  const words =
    text
      .slice(0, 20_000)
      .toLowerCase()
      .match(/\p{L}+/gu) ?? [];
  for (const word of words.slice(0, 2000)) {
    if (GERMAN_WORDS.has(word)) german += 1;
    if (ENGLISH_WORDS.has(word)) english += 1;
  }
  if (german + english < 3) return undefined;
  return german > english ? 'de' : 'en';
}

/** `CITY (Agency) - ...`: the parenthesised credit must be short and followed by a dash. */
function creditedDateline(paragraph: string): string | undefined {
  const open = paragraph.indexOf(' (');
  if (open <= 0 || open > 80) return undefined;
  const close = paragraph.indexOf(')', open);
  if (close === -1 || close - open > 25) return undefined;
  const after = paragraph.slice(close + 1, close + 5).trimStart();
  if (!/^(?:--|[-\u2013\u2014_])/.test(after)) return undefined;
  const place = paragraph.slice(0, open).trim();
  return isPlaceName(place) ? place : undefined;
}

const PLACE_PARTICLES = new Set([
  'of',
  'de',
  'del',
  'la',
  'le',
  'el',
  'am',
  'an',
  'der',
  'upon',
  'on',
  'sur',
  'en',
  'di',
  'da',
  'do',
  'dos',
]);

/** `London`, `GROSSETO, Italy`, `FORT WASHINGTON, Pa.`, `Port of Spain`: capitalised words, no digits. */
function isPlaceName(place: string): boolean {
  if (/\d/.test(place) || !/^\p{Lu}/u.test(place)) return false;
  const words = place.split(/[\s,]+/).filter((word) => word !== '');
  return words.length <= 6 && words.every((word) => /^\p{Lu}/u.test(word) || PLACE_PARTICLES.has(word));
}

/** `OTTAWA - ...` or `MEXICO CITY--...`: an upper-case place followed by a dash. */
function capitalDateline(paragraph: string): string | undefined {
  const head = paragraph.slice(0, 60);
  const match = /^(\p{Lu}[\p{Lu}\p{M} .,'&/]*?)\s*(?:--|\s[-\u2013\u2014]\s)/u.exec(head);
  const place = match?.[1]?.trim();
  if (place === undefined || place.length < 2 || /\p{Ll}/u.test(place)) return undefined;
  return place;
}

/** `WASHINGTON, March 26 (Reuters) -`, `LONDON, Jan. 5 -`: a place in capitals, a date, then a credit or a dash. */
const DATED_DATELINE =
  /^(\p{Lu}[\p{Lu}\p{M} .'&/]{0,40}?),\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*(?:\([^)]{1,25}\)\s*)?(?:--|[-\u2013\u2014])/iu;

function datedDateline(paragraph: string): string | undefined {
  const place = DATED_DATELINE.exec(paragraph.slice(0, 120))?.[1]?.trim();
  if (place === undefined || place.length < 2 || /\p{Ll}/u.test(place)) return undefined;
  return place;
}

/** The place of a dateline written at the start of the first paragraph, if there is one. */
export function datelineFromParagraph(paragraph: string | undefined): string | undefined {
  if (paragraph === undefined) return undefined;
  return datedDateline(paragraph) ?? creditedDateline(paragraph) ?? capitalDateline(paragraph);
}

/**
 * Cleans a dateline element: drops a trailing agency credit and dash (`London (dpa) - ` -> `London`).
 * Returns undefined for a dateline that is a timestamp (some Reuters items put the time there).
 */
export function cleanDateline(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let place = cleanLine(text);
  const open = place.indexOf('(');
  if (open > 0) place = place.slice(0, open);
  place = trimEndChars(place, ' -\u2013\u2014_,').trim();
  if (place === '' || /^\d{4}-\d{2}-\d{2}/.test(place) || /^\d/.test(place)) return undefined;
  return place;
}
