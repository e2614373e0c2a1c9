/** Turns the words of a query into matchers, with the same tokenizer the stories go through. */
import { foldAccents } from '../text/fold.ts';
import { ALL_CAPS, INITIAL, tokenize } from '../text/tokenize.ts';
import type { PersonName, WordMatcher } from './ast.ts';

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

/**
 * Splits a name by the person rules: the first word is the given name, single-letter initials
 * after it are middle initials, and everything else is the surname (`Enrique Peña Nieto` ->
 * surname `pena nieto`). A one-word name is a surname. Undefined when the name has no words or
 * no surname (`John F.`).
 */
export function analyzeName(text: string): PersonName | undefined {
  const tokens = tokenize(text);
  const first = tokens[0];
  if (first === undefined) return undefined;
  if (tokens.length === 1) return { middles: [], surname: [first.form] };
  let at = 1;
  const middles: string[] = [];
  while (at < tokens.length && (tokens[at]?.flags ?? 0) & INITIAL) {
    middles.push(tokens[at]?.form ?? '');
    at++;
  }
  const surname = tokens.slice(at).map((token) => token.form);
  if (surname.length === 0) return undefined;
  return { given: first.form, middles, surname };
}
