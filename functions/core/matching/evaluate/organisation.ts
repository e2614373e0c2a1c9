/**
 * Organisation references (`org:"Baker Hughes"`, `company:`): where the story names the organisation, not
 * merely its words. Token rules; no regular expression.
 *
 * A mention is the name's words in order, joined only by whitespace (line breaks included), the first word
 * capitalised (unless the field is in capitals or Title Case), in any case or accents, with a possessive or
 * a legal suffix after it (`Baker Hughes Co.`, `Siemens AG`, `Nestlé S.A.`; the hit takes the suffix in).
 * It is not a mention when:
 *  - a title stands right before it (`Mr. Baker`, `President Hughes`): a person;
 *  - for a one-word name, a capitalised word that could be a given name stands right before it
 *    (`Howard Baker` is not `org:Baker`);
 *  - a place or building word follows it (`Baker Hughes Avenue`, `Apple Park`).
 *
 * Abbreviations: a mention followed by `(ABBR)` whose capitals are the initials of the name's words
 * (`International Business Machines Corp. (IBM)`; `of`, `the`, `and`... may be skipped) introduces ABBR, and
 * then every ABBR in the story, written in those capitals, is a mention too.
 *
 * Metadata: an organisation the story's metadata carries (NITF `<org>`, NewsML-G2 organisation subjects,
 * ninjs `organisations`) with the same name, suffix aside, is a mention; its hit is in the `metadata` field.
 */
import { DEFAULT_FIELDS, type OrgNode } from '../query/ast.ts';
import { POSITION_SPAN, type StoryView } from '../story-view.ts';
import { isAbbreviationOf, LEGAL_SUFFIXES, PLACE_WORDS } from '../text/organisation-names.ts';
import {
  ALL_CAPS,
  BREAK_BEFORE,
  CAPITALISED,
  PERIOD_AFTER,
  POSSESSIVE,
  SPACE_BEFORE,
  type Token,
} from '../text/tokenize.ts';
import { NOT_GIVEN_NAMES, PLURAL_TITLES, TITLES } from '../text/words.ts';
import { NO_OCCURRENCES, Occurrence } from './occurrence.ts';

/** Only whitespace between two tokens, within one sentence. */
function adjacent(left: Token, right: Token): boolean {
  return (
    (right.flags & SPACE_BEFORE) !== 0 &&
    (right.flags & BREAK_BEFORE) === 0 &&
    (left.flags & POSSESSIVE) === 0
  );
}

function capitalised(token: Token, informative: boolean): boolean {
  return !informative || (token.flags & (CAPITALISED | ALL_CAPS)) !== 0;
}

/** The last token of the legal suffix after `last` (`Co.`, `, Inc.`, `S.A. de C.V.`), or `last`. */
function suffixEnd(tokens: readonly Token[], text: string, last: number): number {
  let end = last;
  for (let at = last + 1; at <= last + 4; at++) {
    const token = tokens[at];
    const previous = tokens[at - 1] as Token;
    if (token === undefined || !LEGAL_SUFFIXES.has(token.form) || token.flags & BREAK_BEFORE) break;
    if (previous.flags & POSSESSIVE) break;
    const gap = text.slice(previous.end, token.start).trim();
    if (gap !== '' && gap !== ',' && gap !== '.' && gap !== '&' && gap !== '.,') break;
    if (token.form === 'de' && tokens[at + 1] === undefined) break;
    end = at;
    if (token.flags & POSSESSIVE) break;
  }
  return end;
}

/** A person's name or title right before the name. */
function personBefore(
  node: OrgNode,
  tokens: readonly Token[],
  text: string,
  first: number,
  informative: boolean,
): boolean {
  const previous = tokens[first - 1];
  const current = tokens[first] as Token;
  if (previous === undefined || current.flags & BREAK_BEFORE) return false;
  // `Mr. Baker`: a title and its period.
  const titled = previous.flags & PERIOD_AFTER && text.slice(previous.end + 1, current.start).trim() === '';
  if (
    (adjacent(previous, current) || titled) &&
    (TITLES.has(previous.form) || PLURAL_TITLES.has(previous.form))
  ) {
    return true;
  }
  if (!adjacent(previous, current)) return false;
  return (
    node.words.length === 1 &&
    informative &&
    (previous.flags & CAPITALISED) !== 0 &&
    (previous.flags & ALL_CAPS) === 0 &&
    !NOT_GIVEN_NAMES.has(previous.form) &&
    !LEGAL_SUFFIXES.has(previous.form)
  );
}

function placeAfter(tokens: readonly Token[], last: number): boolean {
  const token = tokens[last] as Token;
  const next = tokens[last + 1];
  return (
    next !== undefined &&
    adjacent(token, next) &&
    (next.flags & CAPITALISED) !== 0 &&
    PLACE_WORDS.has(next.form)
  );
}

/** The capitals of `(ABBR)` right after token `end`, or undefined. */
function abbreviationAfter(
  tokens: readonly Token[],
  text: string,
  end: number,
): { at: number; letters: string } | undefined {
  const token = tokens[end] as Token;
  const next = tokens[end + 1];
  if (next === undefined || (next.flags & ALL_CAPS) === 0 || next.flags & BREAK_BEFORE) return undefined;
  const gap = text.slice(token.end, next.start).trim();
  if ((gap !== '(' && gap !== '. (' && gap !== '.(' && gap !== ', (') || text[next.end] !== ')')
    return undefined;
  const letters = text.slice(next.start, next.end);
  return { at: end + 1, letters };
}

interface Found {
  readonly occurrences: readonly Occurrence[];
  readonly metadata: string | undefined;
}

function find(view: StoryView, node: OrgNode): Found {
  const firstWord = node.words[0] as string;
  const evidence = DEFAULT_FIELDS | node.fields;
  const postings = view.byForm.get(firstWord);
  const occurrences: Occurrence[] = [];
  const abbreviations = new Set<string>();
  for (const position of postings?.positions ?? []) {
    const field = Math.floor(position / POSITION_SPAN);
    if (((1 << field) & evidence) === 0) continue;
    const fieldView = view.fields[field];
    if (fieldView === undefined) continue;
    const { tokens, text } = fieldView;
    const informative = view.isCaseInformative(field);
    const first = position - field * POSITION_SPAN;
    if (!capitalised(tokens[first] as Token, informative)) continue;
    let last = first;
    let whole = true;
    for (let k = 1; k < node.words.length && whole; k++) {
      const token = tokens[first + k];
      whole =
        token !== undefined &&
        token.form === node.words[k] &&
        adjacent(tokens[first + k - 1] as Token, token);
      last = first + k;
    }
    if (!whole || personBefore(node, tokens, text, first, informative) || placeAfter(tokens, last)) continue;
    const end = suffixEnd(tokens, text, last);
    const abbreviation = abbreviationAfter(tokens, text, end);
    if (abbreviation !== undefined && isAbbreviationOf(abbreviation.letters, node.words)) {
      abbreviations.add(abbreviation.letters);
    }
    if (((1 << field) & node.fields) !== 0) occurrences.push(new Occurrence(field, first, end));
  }
  for (const letters of abbreviations) {
    for (const position of view.byForm.get(letters.toLowerCase())?.positions ?? []) {
      const field = Math.floor(position / POSITION_SPAN);
      const fieldView = view.fields[field];
      if (((1 << field) & node.fields) === 0 || fieldView === undefined) continue;
      const index = position - field * POSITION_SPAN;
      const token = fieldView.tokens[index] as Token;
      if (fieldView.text.slice(token.start, token.end) === letters)
        occurrences.push(new Occurrence(field, index, index));
    }
  }
  if (abbreviations.size > 0) {
    occurrences.sort((a, b) => a.field - b.field || a.first - b.first || a.last - b.last);
  }
  return { occurrences, metadata: view.metadata.organisations.get(node.words.join(' ')) };
}

function found(view: StoryView, node: OrgNode): Found {
  const cached = view.memo.get(node) as Found | undefined;
  if (cached !== undefined) return cached;
  const result = find(view, node);
  view.memo.set(node, result);
  return result;
}

/** Where the text names the organisation (for hits and NEAR), in field then position order. */
export function organisationOccurrences(view: StoryView, node: OrgNode): readonly Occurrence[] {
  const { occurrences } = found(view, node);
  return occurrences.length === 0 ? NO_OCCURRENCES : occurrences;
}

/** The organisation's name as the story's metadata carries it, when it does. */
export function organisationInMetadata(view: StoryView, node: OrgNode): string | undefined {
  return found(view, node).metadata;
}
