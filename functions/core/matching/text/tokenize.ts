/**
 * Splits text into word tokens with exact UTF-16 offsets, in one linear pass. No regular
 * expression sees the whole text, and nothing here depends on a query.
 *
 * - A word is a run of letters, marks and digits. Hyphens, slashes and other punctuation split
 *   words (`non-Mexicans` -> `non`, `Mexicans`; `5.93` -> `5`, `93`).
 * - An apostrophe (straight, curly or modifier letter) between letters joins (`won't`,
 *   `O’Brien`), and is dropped from the form. Invisible characters inside a word (zero-width
 *   space, joiners, soft hyphen, BOM) neither split it nor appear in its form.
 *   A final `'s` is a possessive: the token ends before it and is flagged POSSESSIVE.
 * - Single letters joined by periods form one dotted acronym token (`U.S.`, `U.S`, `e.g.`)
 *   whose form drops the dots (`us`).
 * - Sentence breaks: a blank line; `!` or `?` followed by a space; `.` followed by a space,
 *   unless the word before is a title (`Mr.`), an abbreviation (`Jan.`, `Inc.`), a single-letter
 *   initial (`John F. Kelly`) or a dotted acronym (`U.S.` never ends a sentence here: it is far
 *   more often inside one). The token after a break is flagged BREAK_BEFORE; phrases never
 *   span a break, and snippets are cut at breaks.
 */
import { fold } from './fold.ts';
import { stem } from './stem.ts';
import { ABBREVIATIONS, PLURAL_TITLES, TITLES } from './words.ts';

/** Token flags (bits). */
export const CAPITALISED = 1; // first letter is upper case
export const ALL_CAPS = 2; // has letters, none lower case
export const POSSESSIVE = 4; // followed by 's, not included in the token
export const BREAK_BEFORE = 8; // first token of the text, of a sentence or of a paragraph
export const SPACE_BEFORE = 16; // only whitespace between the previous token and this one
export const PERIOD_AFTER = 32; // immediately followed by '.'
export const DOTTED = 64; // dotted acronym such as U.S.
export const INITIAL = 128; // a single letter

/**
 * One word of a text. A class rather than an object literal: stories allocate tokens in bursts,
 * and V8 may pretenure a literal's allocation site when a GC lands in a burst, which then makes
 * every young collection slow (see MatchRecord in explanation.ts).
 */
export class Token {
  constructor(
    /** UTF-16 offset of the first character in the text. */
    readonly start: number,
    /** Offset just after the word (before a possessive 's). */
    readonly end: number,
    /** Folded form: lower case, no accents, no apostrophes or dots. */
    readonly form: string,
    /** Stem of the form (see stem.ts), for keyword matching. */
    readonly stem: string,
    public flags: number,
  ) {}
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const LETTER = /\p{L}/u;

function isWordCode(code: number, text: string, at: number): boolean {
  if (code < 0x80) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  if (code === 0x02bc) return false; // the modifier-letter apostrophe is an apostrophe here
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(at) ?? code));
}

/**
 * Characters that do not show and must not split a word: zero-width space, non-joiner and
 * joiner, word joiner, soft hyphen, byte order mark (`deport\u200bation` is `deportation`).
 */
function isInvisible(code: number): boolean {
  return (
    code === 0x200b ||
    code === 0x200c ||
    code === 0x200d ||
    code === 0x2060 ||
    code === 0xad ||
    code === 0xfeff
  );
}

function isWordAt(text: string, at: number): boolean {
  return at < text.length && isWordCode(text.charCodeAt(at), text, at);
}

function isLetterAt(text: string, at: number): boolean {
  if (at >= text.length) return false;
  const code = text.charCodeAt(at);
  if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(String.fromCodePoint(text.codePointAt(at) ?? code));
}

/** Straight, curly (both ways: the left one is a common typo) and modifier-letter apostrophes. */
function isApostrophe(code: number): boolean {
  return code === 0x27 || code === 0x2019 || code === 0x2018 || code === 0x02bc;
}

/** End of the run of word characters starting at `from`; invisible characters inside it are part of it. */
function wordRunEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (!isWordCode(code, text, at)) {
      if (!isInvisible(code)) break;
      let next = at + 1;
      while (next < text.length && isInvisible(text.charCodeAt(next))) next++;
      if (!isWordAt(text, next)) break;
      at = next;
      continue;
    }
    at += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return at;
}

/** Drops the dots of an acronym, apostrophes and invisible characters from a word. */
function removeJoiners(raw: string): string {
  let out = '';
  for (const char of raw) {
    const code = char.charCodeAt(0);
    if (char !== '.' && !isApostrophe(code) && !isInvisible(code)) out += char;
  }
  return out;
}

/**
 * Case flags and folded form of a word in one pass. Plain ASCII words (nearly all of them) avoid
 * Unicode work, and words without capitals are their own form.
 */
function analyse(raw: string, dotted: boolean, joined: boolean): { flags: number; form: string } {
  let ascii = true;
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 97 && code <= 122) lower++;
    else if (code >= 65 && code <= 90) upper++;
    else if (code > 0x7f) ascii = false;
  }
  let flags = dotted ? DOTTED : 0;
  if (ascii) {
    const first = raw.charCodeAt(0);
    if (first >= 65 && first <= 90) flags |= CAPITALISED;
    if (upper > 0 && lower === 0) flags |= ALL_CAPS;
    const base = dotted || joined ? removeJoiners(raw) : raw;
    return { flags, form: upper > 0 ? base.toLowerCase() : base };
  }
  const first = raw.charAt(0);
  if (first !== first.toLowerCase()) flags |= CAPITALISED;
  if (raw !== raw.toLowerCase() && raw === raw.toUpperCase()) flags |= ALL_CAPS;
  // Non-ASCII words may hold invisible characters: always strip them.
  return { flags, form: fold(removeJoiners(raw)) };
}

function isBlankLineIn(gap: string): boolean {
  let newlines = 0;
  for (let i = 0; i < gap.length; i++) {
    const char = gap[i];
    if (char === '\n') {
      newlines++;
      if (newlines >= 2) return true;
    } else if (char !== ' ' && char !== '\t' && char !== '\r') {
      newlines = 0;
    }
  }
  return false;
}

function isAllWhitespace(gap: string): boolean {
  for (let i = 0; i < gap.length; i++) {
    const code = gap.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13 && code !== 0xa0) return false;
  }
  return true;
}

/** Abbreviations only before a number (`No. 5`); elsewhere `no.` ends a sentence. */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos']);

/** True when `prev` followed by `gap` and then `next` ends a sentence (see the module comment). */
function endsSentence(prev: Token, gap: string, next: string): boolean {
  let space = 0;
  while (space < gap.length && !isAllWhitespace(gap.charAt(space))) space++;
  if (space === gap.length) return false;
  for (let i = 0; i < space; i++) {
    const char = gap[i];
    if (char === '!' || char === '?') return true;
    if (char === '.') {
      // `word". `, `word." `, `word). `: quoted or bracketed, the period is not an abbreviation's.
      if (i > 0 || space > 1) return true;
      if (prev.flags & (INITIAL | DOTTED)) return false;
      if (NUMBER_ABBREVIATIONS.has(prev.form)) return !(next >= '0' && next <= '9');
      return !(TITLES.has(prev.form) || PLURAL_TITLES.has(prev.form) || ABBREVIATIONS.has(prev.form));
    }
  }
  return false;
}

/** Tokenizes one field's text. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let previousAfter = 0; // end of the previous token including a possessive 's
  while (at < text.length) {
    if (!isWordAt(text, at)) {
      at++;
      continue;
    }
    const start = at;
    let end = wordRunEnd(text, at);
    let possessive = false;
    let dotted = false;
    let joinedApostrophe = false;
    let after = end;
    // Dotted acronym: single letters each followed by a period (U.S., U.S, e.g.).
    if (end - start === 1 && text[end] === '.' && isLetterAt(text, end + 1) && !isWordAt(text, end + 2)) {
      dotted = true;
      end += 2;
      while (text[end] === '.' && isLetterAt(text, end + 1) && !isWordAt(text, end + 2)) end += 2;
      if (text[end] === '.') end++;
      after = end;
    } else {
      // Apostrophes: join inner ones, split off a possessive 's.
      while (end < text.length && isApostrophe(text.charCodeAt(end)) && isWordAt(text, end + 1)) {
        const next = text[end + 1];
        if ((next === 's' || next === 'S') && !isWordAt(text, end + 2)) {
          possessive = true;
          after = end + 2;
          break;
        }
        end = wordRunEnd(text, end + 1);
        after = end;
        joinedApostrophe = true;
      }
    }
    const raw = text.slice(start, end);
    const analysed = analyse(raw, dotted, joinedApostrophe);
    const form = analysed.form;
    let flags = analysed.flags;
    if (possessive) flags |= POSSESSIVE;
    if (form.length === 1 && isLetterAt(text, start)) flags |= INITIAL;
    const previous = tokens[tokens.length - 1];
    if (previous === undefined) {
      flags |= BREAK_BEFORE;
    } else if (start - previousAfter === 1 && text.charCodeAt(previousAfter) === 32) {
      flags |= SPACE_BEFORE; // the common case: one space
    } else {
      const gap = text.slice(previousAfter, start);
      if (gap.startsWith('.')) previous.flags |= PERIOD_AFTER;
      if (isAllWhitespace(gap)) flags |= SPACE_BEFORE;
      if (isBlankLineIn(gap) || endsSentence(previous, gap, text.charAt(start))) flags |= BREAK_BEFORE;
    }
    tokens.push(new Token(start, end, form, stem(form), flags));
    previousAfter = after;
    at = after;
  }
  return tokens;
}
