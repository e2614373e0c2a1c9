/**
 * One place where a person's surname (or given name) appears, classified by the rules 1-7 of
 * person.ts: a full name, a titled reference, a title with the given name, someone else's name,
 * or a bare surname. Token rules only; nothing here builds a regular expression.
 */
import type { PersonName, SurnameForm } from '../query/ast.ts';
import {
  FEMALE_TITLES,
  GIVEN_NAME_TITLES,
  MALE_TITLES,
  PARTICLES,
  PLACE_WORDS,
  PLACE_WORDS_ANY_CASE,
} from '../text/names.ts';
import { genderOfGivenName, isKnownGivenName } from '../text/people.ts';
import {
  ALL_CAPS,
  BREAK_BEFORE,
  CAPITALISED,
  DOTTED,
  INITIAL,
  PERIOD_AFTER,
  POSSESSIVE,
  SPACE_BEFORE,
  type Token,
} from '../text/tokenize.ts';
import {
  AFTER_NAME_OK,
  NOT_GIVEN_NAMES,
  OFFICE_WORDS,
  PLURAL_TITLES,
  TITLE_HEADS,
  TITLES,
} from '../text/words.ts';

export type Gender = 'male' | 'female' | undefined;
export type ReferenceKind = 'full' | 'titled' | 'given' | 'other' | 'bare';

export interface Reference {
  readonly field: number;
  readonly first: number;
  readonly last: number;
  readonly kind: ReferenceKind;
  /** The title's gender for titled references, the given name's for someone else's full name. */
  readonly gender: Gender;
  readonly mononym: boolean;
}

export interface FieldContext {
  readonly tokens: readonly Token[];
  readonly text: string;
  readonly informative: boolean;
}

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);

function capitalisedEnough(token: Token, context: FieldContext): boolean {
  return !context.informative || (token.flags & CAPITALISED) !== 0;
}

/** Only whitespace, a period and whitespace (`Mr. Kelly`), or a hyphen (`Leigh-Pemberton`) between two tokens. */
function joined(left: Token, right: Token, context: FieldContext): boolean {
  if (right.flags & BREAK_BEFORE || left.flags & POSSESSIVE) return false;
  if (right.flags & SPACE_BEFORE) return true;
  if (right.start - left.end === 1) {
    const code = context.text.charCodeAt(left.end);
    return code === 0x2d || code === 0x2010 || code === 0x2011;
  }
  if ((left.flags & PERIOD_AFTER) === 0) return false;
  const gap = context.text.slice(left.end + 1, right.start);
  return gap.length > 0 && gap.trim().length === 0;
}

function namesCompatible(written: string, wanted: string): boolean {
  if (written === wanted) return true;
  if (written.length === 1 || wanted.length === 1) return written[0] === wanted[0];
  return false;
}

function titleGender(form: string): Gender {
  if (MALE_TITLES.has(form)) return 'male';
  if (FEMALE_TITLES.has(form)) return 'female';
  return undefined;
}

function couldBeName(token: Token, context: FieldContext): boolean {
  return (
    capitalisedEnough(token, context) &&
    (token.flags & (POSSESSIVE | DOTTED)) === 0 &&
    !((token.flags & ALL_CAPS) !== 0 && token.form.length > 1 && context.informative) &&
    !NOT_GIVEN_NAMES.has(token.form) &&
    !TITLES.has(token.form) &&
    !PLURAL_TITLES.has(token.form)
  );
}

/** `J. Kelly`: a capital letter and a period (not the article in `a Reagan administration`). */
function isInitial(token: Token, context: FieldContext): boolean {
  return (
    (token.flags & INITIAL) !== 0 && (token.flags & PERIOD_AFTER) !== 0 && capitalisedEnough(token, context)
  );
}

/** Index of the first token of `form` when it ends at `last`, or -1. */
export function formStart(form: SurnameForm, last: number, context: FieldContext): number {
  const { tokens } = context;
  const first = last - form.words.length + 1;
  if (first < 0) return -1;
  for (let k = 0; k < form.words.length; k++) {
    const token = tokens[first + k] as Token;
    if (token.form !== form.words[k]) return -1;
    const previous = tokens[first + k - 1];
    if (k > 0 && !joined(previous as Token, token, context)) return -1;
    if ((form.particles >> k) & 1 || (k > 0 && afterHyphen(previous as Token, token))) continue;
    if (!capitalisedEnough(token, context)) return -1;
  }
  return first;
}

/** `Jong-un`: the part after a hyphen may be in lower case. */
function afterHyphen(left: Token, right: Token): boolean {
  return right.start - left.end === 1 && (right.flags & SPACE_BEFORE) === 0;
}

/** Rule 1: a place word after the name, past a `Jr.`-like suffix. */
function beforePlace(last: number, context: FieldContext): boolean {
  const { tokens } = context;
  let left = tokens[last] as Token;
  let next = tokens[last + 1];
  if (next !== undefined && SUFFIXES.has(next.form) && joined(left, next, context)) {
    left = next;
    next = tokens[last + 2];
  }
  if (next === undefined || !joined(left, next, context)) return false;
  if (PLACE_WORDS_ANY_CASE.has(next.form)) return true;
  return PLACE_WORDS.has(next.form) && (next.flags & CAPITALISED) !== 0;
}

/** Rule 2: the given names right after the surname (`Abe Shinzo`); the last index, or -1. */
function givenAfter(name: PersonName, last: number, context: FieldContext): number {
  if (name.given.length === 0) return -1;
  const { tokens } = context;
  for (let k = 0; k < name.given.length; k++) {
    const token = tokens[last + 1 + k];
    const previous = tokens[last + k] as Token;
    if (token === undefined || token.form !== name.given[k] || !joined(previous, token, context)) return -1;
    if (!capitalisedEnough(token, context) && !afterHyphen(previous, token)) return -1;
  }
  return last + name.given.length;
}

/** Rule 3: the name runs on into another capitalised word. */
function runsOn(last: number, context: FieldContext): boolean {
  if (!context.informative) return false;
  const token = context.tokens[last] as Token;
  const next = context.tokens[last + 1];
  if (next === undefined || token.flags & POSSESSIVE) return false;
  return (
    (next.flags & SPACE_BEFORE) !== 0 &&
    (next.flags & BREAK_BEFORE) === 0 &&
    (next.flags & CAPITALISED) !== 0 &&
    !AFTER_NAME_OK.has(next.form)
  );
}

/** Rule 4: index of the first given name when tokens before `at` are `Given [Names] [Initials]`, else -1. */
function fullNameStart(name: PersonName, at: number, context: FieldContext): number {
  const wanted = name.given[0];
  if (wanted === undefined) return -1;
  const { tokens } = context;
  const rest = [...name.given.slice(1), ...name.middles];
  const written: string[] = [];
  for (let index = at - 1; index >= 0 && written.length <= rest.length + 2; index--) {
    const token = tokens[index] as Token;
    if (!joined(token, tokens[index + 1] as Token, context) || !capitalisedEnough(token, context)) return -1;
    if (namesCompatible(token.form, wanted)) {
      const next = written[written.length - 1];
      const expected = rest[0];
      if (next !== undefined && expected !== undefined && !namesCompatible(next, expected)) return -1;
      return index;
    }
    if (!couldBeName(token, context) && (token.flags & INITIAL) === 0) return -1;
    written.push(token.form);
  }
  return -1;
}

/** Rule 5: the title qualifying the name starting at `at`: its index and gender, or undefined. */
export function titleBefore(
  at: number,
  context: FieldContext,
): { index: number; gender: Gender } | undefined {
  const { tokens } = context;
  const previous = tokens[at - 1];
  const current = tokens[at] as Token;
  if (previous === undefined) return undefined;
  if (joined(previous, current, context) && (TITLES.has(previous.form) || PLURAL_TITLES.has(previous.form))) {
    return { index: at - 1, gender: titleGender(previous.form) };
  }
  // `Secretary of State Tillerson`, `Secretary of Homeland Security Kelly`
  let index = at - 1;
  for (let words = 0; words < 3 && index >= 1; words++, index--) {
    const token = tokens[index] as Token;
    if (!joined(token, tokens[index + 1] as Token, context) || !OFFICE_WORDS.has(token.form)) break;
    const of = tokens[index - 1] as Token;
    const head = tokens[index - 2];
    if (of.form === 'of' && head !== undefined && TITLE_HEADS.has(head.form) && joined(of, token, context)) {
      return { index: index - 2, gender: undefined };
    }
  }
  return inTitledList(at, context) ? { index: at, gender: undefined } : undefined;
}

/** True when the name at `at` is a later member of a list after a plural title (`Messrs. A and B`). */
function inTitledList(at: number, context: FieldContext): boolean {
  const { tokens } = context;
  for (let index = at - 1, steps = 0; index >= 0 && steps < 12; index--, steps++) {
    const token = tokens[index] as Token;
    if (PLURAL_TITLES.has(token.form)) return steps > 0;
    const isLink = token.form === 'and';
    if (!isLink && !capitalisedEnough(token, context)) return false;
    if ((tokens[index + 1] as Token).flags & BREAK_BEFORE) return false;
  }
  return false;
}

function reference(
  field: number,
  first: number,
  last: number,
  kind: ReferenceKind,
  gender: Gender,
  name: PersonName,
): Reference {
  return { field, first, last, kind, gender, mononym: name.mononym };
}

/** Classifies the form found at tokens `first..last`; undefined when it is not a reference. */
export function classify(
  name: PersonName,
  first: number,
  last: number,
  field: number,
  context: FieldContext,
): Reference | undefined {
  if (beforePlace(last, context)) return undefined;
  const reversed = givenAfter(name, last, context);
  if (reversed >= 0) {
    return beforePlace(reversed, context)
      ? undefined
      : reference(field, first, reversed, 'full', undefined, name);
  }
  if (runsOn(last, context)) {
    const next = context.tokens[last + 1] as Token;
    if (!name.surnameFirst || !couldBeName(next, context)) return undefined;
    return reference(field, first, last + 1, 'other', genderOfGivenName(next.form), name);
  }
  const start = fullNameStart(name, first, context);
  if (start >= 0) return reference(field, start, last, 'full', undefined, name);
  const title = titleBefore(first, context);
  if (title !== undefined) {
    if (title.gender !== undefined && name.gender !== undefined && title.gender !== name.gender)
      return undefined;
    return reference(field, title.index, last, 'titled', title.gender, name);
  }
  const { tokens } = context;
  const previous = tokens[first - 1];
  if (
    context.informative &&
    previous !== undefined &&
    joined(previous, tokens[first] as Token, context) &&
    (couldBeName(previous, context) || isInitial(previous, context))
  ) {
    // A one-word name has no given name to compare: anyone called that is a full mention.
    if (name.mononym) return reference(field, first - 1, last, 'full', undefined, name);
    // At a sentence start every word is capitalised (`Although Reagan's`, `Megyn Kelly`): only a
    // known given name says someone else; otherwise the reference is unclear and left out.
    if (previous.flags & BREAK_BEFORE && !isKnownGivenName(previous.form)) return undefined;
    return reference(field, first - 1, last, 'other', genderOfGivenName(previous.form), name);
  }
  return reference(field, first, last, 'bare', undefined, name);
}

/** `Prince Mohammed`, `Sir Elton`: a title used with given names, then the first given name alone. */
export function givenNameReference(
  name: PersonName,
  at: number,
  field: number,
  context: FieldContext,
): Reference | undefined {
  const { tokens } = context;
  const token = tokens[at] as Token;
  const previous = tokens[at - 1];
  if (previous === undefined || !GIVEN_NAME_TITLES.has(previous.form) || !joined(previous, token, context)) {
    return undefined;
  }
  if (!capitalisedEnough(token, context)) return undefined;
  const next = tokens[at + 1];
  if (next !== undefined && joined(token, next, context) && (token.flags & POSSESSIVE) === 0) {
    if (PARTICLES.has(next.form) || (context.informative && (next.flags & CAPITALISED) !== 0))
      return undefined;
  }
  const gender = titleGender(previous.form);
  if (gender !== undefined && name.gender !== undefined && gender !== name.gender) return undefined;
  return reference(field, at - 1, at, 'given', gender, name);
}
