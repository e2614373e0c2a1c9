/**
 * Person references: does the story mention this person (not merely this string)?
 *
 * Token-based rules; nothing here builds a regular expression. For every place where the
 * surname's words appear in order (capitalised, unless the field is in capitals or Title Case):
 *
 *  1. Part of a longer proper name: followed, after only whitespace, by another capitalised word
 *     that is not a weekday, month or suffix (`Baker Hughes`, `Kelly Clarkson`): not a reference.
 *  2. Full name: preceded by the given name, with up to two middle names or initials in between
 *     (`John F. Kelly`); an initial matches a name with that letter (`J. Kelly`).
 *  3. Titled: preceded by a title or honorific (`Mr. Kelly`, `President Reagan`, `Treasury
 *     Secretary Baker`, `Secretary of State Tillerson`), or a member of a list after a plural
 *     title (`Messrs. Kelly and Tillerson`: both are titled).
 *  4. Someone else: preceded by another capitalised word that could be a given name
 *     (`Megyn Kelly`, `Howard Baker`).
 *  5. Bare: anything else (`Kelly said`).
 *
 * Then, over the whole story (headline, summary, body and the fields in scope), a reference of
 * kind 2 always counts; kind 3 counts unless somebody else with the surname is named in full
 * (4) and our person never is (2); kind 5 counts only when our person is named in full
 * somewhere. A one-word query (`person:Tillerson`) is a surname alone: rule 4 then counts as a
 * full-name mention (anyone called Tillerson), and a bare `Tillerson` counts only when someone
 * named Tillerson is named in full elsewhere. Rules 1 and 4 use capitals, so they are skipped in
 * fields written in capitals or Title Case.
 */
import { DEFAULT_FIELDS, type PersonName, type PersonNode } from '../query/ast.ts';
import { POSITION_SPAN, type StoryView } from '../story-view.ts';
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
import { Occurrence } from './occurrence.ts';

type ReferenceKind = 'full' | 'titled' | 'other' | 'bare';

interface Reference extends Occurrence {
  readonly kind: ReferenceKind;
}

interface FieldContext {
  readonly tokens: readonly Token[];
  readonly text: string;
  readonly informative: boolean;
}

function capitalisedEnough(token: Token, context: FieldContext): boolean {
  return !context.informative || (token.flags & CAPITALISED) !== 0;
}

/** Only whitespace, or a period and whitespace (`Mr. Kelly`, `F. Kelly`), between two tokens. */
function joined(left: Token, right: Token, context: FieldContext): boolean {
  if (right.flags & BREAK_BEFORE || left.flags & POSSESSIVE) return false;
  if (right.flags & SPACE_BEFORE) return true;
  if ((left.flags & PERIOD_AFTER) === 0) return false;
  const gap = context.text.slice(left.end + 1, right.start);
  return gap.length > 0 && gap.trim().length === 0;
}

function namesCompatible(written: string, wanted: string): boolean {
  if (written === wanted) return true;
  if (written.length === 1 || wanted.length === 1) return written[0] === wanted[0];
  return false;
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

/** Index of the given name when tokens before `at` are `Given [Middle] [Middle]`, else -1. */
function fullNameStart(name: PersonName, at: number, context: FieldContext): number {
  const { tokens } = context;
  const given = name.given;
  if (given === undefined) return -1;
  const middles: string[] = [];
  let index = at - 1;
  while (index >= 0 && middles.length <= 2) {
    const token = tokens[index] as Token;
    const next = tokens[index + 1] as Token;
    if (!joined(token, next, context) || !capitalisedEnough(token, context)) return -1;
    if (namesCompatible(token.form, given)) {
      const wanted = name.middles[0];
      const written = middles[middles.length - 1];
      if (wanted !== undefined && written !== undefined && !namesCompatible(written, wanted)) return -1;
      return index;
    }
    if (!couldBeName(token, context)) return -1;
    middles.push(token.form);
    index--;
  }
  return -1;
}

/** Index of the title qualifying the surname at `at`, or -1. */
function titleStart(at: number, context: FieldContext): number {
  const { tokens } = context;
  const previous = tokens[at - 1];
  const current = tokens[at] as Token;
  if (previous === undefined) return -1;
  if (joined(previous, current, context) && (TITLES.has(previous.form) || PLURAL_TITLES.has(previous.form))) {
    return at - 1;
  }
  // `Secretary of State Tillerson`, `Secretary of Homeland Security Kelly`
  let index = at - 1;
  for (let words = 0; words < 3 && index >= 1; words++, index--) {
    const token = tokens[index] as Token;
    if (!joined(token, tokens[index + 1] as Token, context) || !OFFICE_WORDS.has(token.form)) return -1;
    const of = tokens[index - 1] as Token;
    const head = tokens[index - 2];
    if (of.form === 'of' && head !== undefined && TITLE_HEADS.has(head.form) && joined(of, token, context)) {
      return index - 2;
    }
  }
  return -1;
}

/** True when the surname at `at` is a later member of a list after a plural title (`Messrs. A and B`). */
function inTitledList(at: number, context: FieldContext): boolean {
  const { tokens } = context;
  for (let index = at - 1, steps = 0; index >= 0 && steps < 12; index--, steps++) {
    const token = tokens[index] as Token;
    if (PLURAL_TITLES.has(token.form)) return steps > 0;
    const isLink = token.form === 'and';
    if (!isLink && !capitalisedEnough(token, context)) return false;
    if (tokens[index + 1] && (tokens[index + 1] as Token).flags & BREAK_BEFORE) return false;
  }
  return false;
}

function classify(
  name: PersonName,
  first: number,
  last: number,
  field: number,
  context: FieldContext,
): Reference {
  const { tokens } = context;
  const start = fullNameStart(name, first, context);
  if (start >= 0) return { field, first: start, last, kind: 'full' };
  const title = titleStart(first, context);
  if (title >= 0) return { field, first: title, last, kind: 'titled' };
  if (inTitledList(first, context)) return { field, first, last, kind: 'titled' };
  const previous = tokens[first - 1];
  if (
    context.informative &&
    previous !== undefined &&
    joined(previous, tokens[first] as Token, context) &&
    (couldBeName(previous, context) || (previous.flags & INITIAL) !== 0)
  ) {
    // A one-word query has no given name to compare: anyone called <Surname> is a full-name mention.
    return { field, first: first - 1, last, kind: name.given === undefined ? 'full' : 'other' };
  }
  return { field, first, last, kind: 'bare' };
}

/** The surname's words in order starting at token `first`; the last index, or -1. */
function surnameEnd(name: PersonName, first: number, context: FieldContext): number {
  const { tokens } = context;
  for (let k = 0; k < name.surname.length; k++) {
    const token = tokens[first + k];
    if (token === undefined || token.form !== name.surname[k] || !capitalisedEnough(token, context))
      return -1;
    if (k > 0 && (token.flags & BREAK_BEFORE || !joined(tokens[first + k - 1] as Token, token, context))) {
      return -1;
    }
  }
  return first + name.surname.length - 1;
}

/** Rule 1: the surname runs on into another capitalised word (`Baker Hughes`). */
function partOfLongerName(last: number, context: FieldContext): boolean {
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

function findReferences(view: StoryView, name: PersonName, evidenceFields: number): Reference[] {
  const surnameFirst = name.surname[0];
  const postings = surnameFirst === undefined ? undefined : view.byForm.get(surnameFirst);
  if (postings === undefined || (postings.mask & evidenceFields) === 0) return [];
  const references: Reference[] = [];
  const contexts: (FieldContext | undefined)[] = [];
  for (const position of postings.positions) {
    const field = Math.floor(position / POSITION_SPAN);
    if (((1 << field) & evidenceFields) === 0) continue;
    const fieldView = view.fields[field];
    if (fieldView === undefined) continue;
    let context = contexts[field];
    if (context === undefined) {
      context = {
        tokens: fieldView.tokens,
        text: fieldView.text,
        informative: view.isCaseInformative(field),
      };
      contexts[field] = context;
    }
    const first = position - field * POSITION_SPAN;
    const last = surnameEnd(name, first, context);
    if (last < 0 || partOfLongerName(last, context)) continue;
    references.push(classify(name, first, last, field, context));
  }
  return references;
}

/** The accepted references to the person in the fields the node searches (memoized per story). */
export function personOccurrences(view: StoryView, node: PersonNode): readonly Occurrence[] {
  const cached = view.memo.get(node) as readonly Occurrence[] | undefined;
  if (cached !== undefined) return cached;
  const references = findReferences(view, node.name, DEFAULT_FIELDS | node.fields);
  const oursNamed = references.some((reference) => reference.kind === 'full');
  const otherNamed = references.some((reference) => reference.kind === 'other');
  const accepted: Occurrence[] = [];
  for (const reference of references) {
    if (((1 << reference.field) & node.fields) === 0) continue;
    const counts =
      reference.kind === 'full' ||
      (reference.kind === 'titled' && (oursNamed || !otherNamed)) ||
      (reference.kind === 'bare' && oursNamed);
    if (counts) accepted.push(new Occurrence(reference.field, reference.first, reference.last));
  }
  view.memo.set(node, accepted);
  return accepted;
}
