/** Turns the words of a query into matchers, with the same tokenizer the stories go through. */
import { foldAccents } from '../text/fold.ts';
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

/**
 * The matchers for a query word or phrase. A word written in capitals with two or more letters
 * (`US`, `IMF`, `U.S.`) is an acronym: it matches only those capitals, with or without dots.
 */
export function analyzeWords(text: string): WordMatcher[] {
  return tokenize(text).map((token) => {
    const raw = text.slice(token.start, token.end);
    if (token.flags & ALL_CAPS && letterCount(token.form) >= 2) {
      return { form: token.form, stem: token.stem, acronym: casedLetters(raw) };
    }
    return { form: token.form, stem: token.stem };
  });
}
