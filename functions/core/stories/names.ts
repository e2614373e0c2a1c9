import { cleanLine, trimEndChars, uniqueClean } from './text.ts';

/** Lower-case name particles: `Frances d'Emilio`, `Caroline van Hasselt`, `Ursula von der Leyen`. */
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'da',
  'das',
  'dos',
  'del',
  'della',
  'di',
  'du',
  'le',
  'la',
  'al',
  'el',
  'bin',
  'ibn',
  'ter',
  'ten',
  'zu',
]);

/** Words that make a byline part after a comma a job title or an organisation: `Sam Lister, Press Association`. */
const TITLE_WORDS =
  /\b(?:correspondents?|editors?|writers?|reporters?|staff|press|association|news|newswires?|agency|bureau|chief|political|business|sports|associated|service|university|institute|college|network|wire|desk|photographer|columnist|analyst|contributors?|group|media|times|journal|herald|tribune)\b/i;
/** Words that are never part of a person's name, wherever they stand (`Thomson Reuters` is a company). */
const NEVER_NAMES =
  /\b(?:staff|correspondents?|editors?|writers?|reporters?|newswires?|agency|bureau|university|reuters)\b/i;

const BYLINE_LEAD = /^(?:by|von|av|par|por|door|from)\s+/i;
const SEGMENTS = /\s*[,;/]\s*/;
const CONJUNCTIONS = /\s+(?:and|und|og|och|&|\+)\s+/i;

function isNameWord(word: string): boolean {
  if (/^\p{Lu}/u.test(word)) return true;
  const lower = word.toLowerCase();
  if (PARTICLES.has(lower)) return true;
  // d'Emilio, l'Aquila-style prefixes; al-Assad, el-Sisi, bin-Laden: a particle joined by a hyphen
  return (
    /^\p{Ll}{1,2}['\u2019]\p{Lu}/u.test(word) || /^(?:al|el|ad|as|ash|an|bin|ibn|abu)-\p{Lu}/u.test(word)
  );
}

/** True for something shaped like a person's name: two to six capitalised words, no digits, no e-mail. */
export function looksLikePersonName(name: string): boolean {
  if (name.length > 60 || /[\d@:]/.test(name) || /\.\p{Ll}/u.test(name)) return false;
  const words = name.split(' ');
  if (words.length < 2 || words.length > 6) return false;
  if (words[0]!.toLowerCase() === 'the' || NEVER_NAMES.test(name)) return false;
  return words.every(isNameWord) && !PARTICLES.has(words[words.length - 1]!.toLowerCase());
}

/** `BERNARD CONDON` -> `Bernard Condon`; names already in mixed case are kept as written. */
export function titleCaseIfUpper(name: string): string {
  if (/\p{Ll}/u.test(name)) return name;
  return name.toLowerCase().replace(/(^|[\s'\u2019-])(\p{Ll})/gu, (_, before: string, letter: string) => {
    return before + letter.toUpperCase();
  });
}

/**
 * The people named in a byline, in order, without "By" and without titles or organisations:
 * `By Felicia Schwartz and Robbie Whelan` -> both names; `By A, B and C` -> three names;
 * `By Sam Lister, Press Association Political Correspondent` -> `Sam Lister`.
 */
export function authorsFromByline(byline: string | undefined): string[] {
  if (byline === undefined) return [];
  const segments = cleanLine(byline).replace(BYLINE_LEAD, '').split(SEGMENTS);
  const names = segments
    // After the first comma a part may be a title or an employer rather than another name.
    .filter((segment, index) => index === 0 || !TITLE_WORDS.test(segment))
    .flatMap((segment) => segment.split(CONJUNCTIONS))
    .map((part) => titleCaseIfUpper(trimEndChars(part, '. ').trim()))
    .filter(looksLikePersonName);
  return uniqueClean(names);
}

/** True when a line is a byline: it starts with By/Von and names at least one person. */
export function isBylineLine(line: string): boolean {
  return line.length <= 160 && BYLINE_LEAD.test(line) && authorsFromByline(line).length > 0;
}
