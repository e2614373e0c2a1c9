/**
 * A title for every story: its headline, or, for the many wire stories that have none (Dow Jones text), its
 * lead sentence: the body's first sentence, cut on a word boundary to at most MAX_TITLE_CHARS with one ellipsis
 * (…). Never a fragment that starts mid-sentence. Plain scanning, no regular expression over story text.
 */
import type { Story } from './story.ts';

export const MAX_TITLE_CHARS = 100;
export const TITLE_ELLIPSIS = '…';

/** Words before a full stop that do not end a sentence. Compared lower-case, without the stop. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'sen',
  'rep',
  'gov',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'jr',
  'sr',
  'inc',
  'corp',
  'co',
  'ltd',
  'plc',
  'no',
  'vs',
  'etc',
  'jan',
  'feb',
  'mar',
  'apr',
  'aug',
  'sept',
  'sep',
  'oct',
  'nov',
  'dec',
  'u.s',
  'u.k',
  'u.n',
  'e.g',
  'i.e',
  'a.m',
  'p.m',
  'messrs',
  'mt',
  'ft',
  'approx',
  'est',
]);

export function storyTitle(story: Pick<Story, 'headline' | 'body' | 'summary'>): string {
  const headline = collapse(story.headline);
  if (headline !== '') return headline;
  const firstParagraph = story.body.split('\n').find((line) => line.trim() !== '') ?? story.summary[0] ?? '';
  return shorten(leadSentence(collapse(firstParagraph)), MAX_TITLE_CHARS);
}

/** The first sentence of `text`: up to the first `.`, `!` or `?` that ends a word and is followed by a space. */
export function leadSentence(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '.' && c !== '!' && c !== '?') continue;
    const next = text[i + 1];
    if (next !== undefined && next !== ' ' && next !== '"' && next !== '”' && next !== "'") continue;
    if (c === '.' && !endsSentence(text, i)) continue;
    // A closing quote belongs to the sentence it ends.
    const end = next === '"' || next === '”' || next === "'" ? i + 2 : i + 1;
    return text.slice(0, end).trim();
  }
  return text.trim();
}

function endsSentence(text: string, stop: number): boolean {
  let start = stop;
  while (start > 0 && text[start - 1] !== ' ' && text[start - 1] !== '(') start--;
  const word = text.slice(start, stop).replace(/^["'“‘]+/, '');
  if (word.length === 1 && word >= 'A' && word <= 'Z') return false; // an initial: "John F. Kennedy"
  return !ABBREVIATIONS.has(word.toLowerCase());
}

/** `text` when it fits, else cut on the last word boundary that leaves room for the ellipsis. */
export function shorten(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = maxChars - TITLE_ELLIPSIS.length;
  let cut = text.lastIndexOf(' ', room);
  if (cut <= 0) cut = room; // one very long word
  const kept = text.slice(0, cut).replace(/[\s,;:.!?…—–-]+$/u, '');
  return `${kept}${TITLE_ELLIPSIS}`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
