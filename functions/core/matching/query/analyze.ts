/** Turns the words of a query into matchers, with the same tokenizer the stories go through. */
import { foldAccents } from '../text/fold.ts';
import { stem } from '../text/stem.ts';
import { ALL_CAPS, tokenize } from '../text/tokenize.ts';
import type { WordMatcher } from './ast.ts';

function letterCount(form: string): number {
  let letters = 0;
  for (const char of form) if (char.toLowerCase() !== char.toUpperCase()) letters++;
  return letters;
}

/** The letters of a token as written, accents folded, dots and apostrophes removed: `U.S.` -> `US`. */
export function casedLetters(raw: string): string {
  let out = '';
  for (const char of raw) if (char !== '.' && char !== "'" && char !== '\u2019') out += char;
  return foldAccents(out);
}

/** True when the text holds only `a`-`z` and spaces, and at least one letter. */
function isLowerAsciiWords(text: string): boolean {
  let letters = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) letters = true;
    else if (code !== 32) return false;
  }
  return letters;
}

/**
 * The matchers of lower-case ASCII words between spaces, the commonest query text: what `tokenize` gives for
 * them (each run of letters is a word, already folded), without its tokens, flags and slices of the text.
 */
function lowerAsciiWords(text: string): WordMatcher[] {
  const words: WordMatcher[] = [];
  let start = 0;
  for (let at = 0; at <= text.length; at++) {
    if (at < text.length && text.charCodeAt(at) !== 32) continue;
    if (at > start) {
      const form = at - start === text.length ? text : text.slice(start, at);
      words.push({ form, stem: stem(form) });
    }
    start = at + 1;
  }
  return words;
}

/**
 * The matchers for a query word or phrase. A word written in capitals with two or more letters
 * (`US`, `IMF`, `U.S.`) is an acronym: it matches only those capitals, with or without dots.
 */
export function analyzeWords(text: string): WordMatcher[] {
  if (isLowerAsciiWords(text)) return lowerAsciiWords(text);
  return tokenize(text).map((token) => {
    const raw = text.slice(token.start, token.end);
    if (token.flags & ALL_CAPS && letterCount(token.form) >= 2) {
      return { form: token.form, stem: token.stem, acronym: casedLetters(raw) };
    }
    return { form: token.form, stem: token.stem };
  });
}
