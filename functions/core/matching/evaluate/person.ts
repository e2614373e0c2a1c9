/**
 * Person references: does the story mention this person (not merely this string)?
 *
 * Token rules, no regular expressions; the name model is in ../README.md ("People"). For every
 * place where one of the surname's forms appears (its words capitalised, particles in any case,
 * unless the field is in capitals or Title Case), in this order:
 *
 *  1. followed by a place word (`Kennedy Airport`, `de Gaulle airport`, `King Jr. Drive`): not a reference;
 *  2. followed by the given names (`Abe Shinzo`, `Kim Jong Un`): **full**;
 *  3. followed by another capitalised word (`Baker Hughes`; after a surname-first name,
 *     someone else's given name): not a reference (someone else, for surname-first names);
 *  4. preceded by the given name, with up to two more names or initials between: **full**;
 *  5. preceded by a title or honorific (`Mr.`, `Treasury Secretary`, `Messrs. A and B`):
 *     **titled**, unless the honorific is of the other gender (`Mrs. Clinton` is not Bill);
 *  6. preceded by another capitalised word that could be a given name, or an initial:
 *     **someone else** (for a one-word name: a full mention, anyone called that); at a
 *     sentence start, where every word is capitalised, only a known given name says so and
 *     any other word leaves the reference out (`Although Reagan's...`);
 *  7. otherwise **bare**.
 * Besides, a given name after a title used with given names (`Prince Mohammed`, `Sir Elton`)
 * is **titled by given name**.
 *
 * Over the story: the person is *identified* when named in full in a searched field or in the
 * story's people metadata. Full references always count; titled ones unless someone else with
 * the surname (of a gender the title fits) is named in full and our person is not identified;
 * bare ones when the person is identified or a titled reference counted (`REAGAN VETOES` under
 * `President Reagan`); titled-by-given-name ones when identified. A one-word name counts
 * everywhere but in rules 1 and 3.
 */
import { DEFAULT_FIELDS, type PersonName, type PersonNode } from '../query/ast.ts';
import { POSITION_SPAN, type StoryView } from '../story-view.ts';
import { namedInMetadata } from '../text/people.ts';
import { NO_OCCURRENCES, Occurrence } from './occurrence.ts';
import {
  classify,
  type FieldContext,
  formStart,
  type Gender,
  givenNameReference,
  type Reference,
  type ReferenceKind,
} from './references.ts';

const NO_POSITIONS: readonly number[] = [];

class ReferenceFinder {
  readonly references: Reference[] = [];
  private readonly contexts: (FieldContext | undefined)[] = [];
  /** Encoded positions inside a reference (or a rejected name) of the current reading: no span counts twice. */
  private covered = new Set<number>();

  constructor(
    private readonly view: StoryView,
    private readonly evidenceFields: number,
  ) {}

  private context(field: number): FieldContext | undefined {
    const known = this.contexts[field];
    if (known !== undefined) return known;
    const fieldView = this.view.fields[field];
    if (fieldView === undefined) return undefined;
    const created = {
      tokens: fieldView.tokens,
      text: fieldView.text,
      informative: this.view.isCaseInformative(field),
    };
    this.contexts[field] = created;
    return created;
  }

  private isCovered(field: number, first: number, last: number): boolean {
    for (let index = first; index <= last; index++) {
      if (this.covered.has(field * POSITION_SPAN + index)) return true;
    }
    return false;
  }

  private cover(field: number, first: number, last: number): void {
    for (let index = first; index <= last; index++) this.covered.add(field * POSITION_SPAN + index);
  }

  /** Encoded positions (field and token) where `word` occurs, or undefined; filter with `inEvidence`. */
  private positions(word: string): readonly number[] | undefined {
    const postings = this.view.byForm.get(word);
    if (postings === undefined || (postings.mask & this.evidenceFields) === 0) return undefined;
    return postings.positions;
  }

  private inEvidence(field: number): boolean {
    return ((1 << field) & this.evidenceFields) !== 0;
  }

  /** Adds the references of one reading, surname forms longest first, then `Prince Mohammed`. */
  addReading(name: PersonName): void {
    this.covered = new Set();
    this.addSurnameReferences(name);
    this.addGivenNameReferences(name);
  }

  private addSurnameReferences(name: PersonName): void {
    for (const form of name.forms) {
      const lastWord = form.words[form.words.length - 1];
      if (lastWord === undefined) continue;
      for (const position of this.positions(lastWord) ?? NO_POSITIONS) {
        const field = Math.floor(position / POSITION_SPAN);
        const context = this.inEvidence(field) ? this.context(field) : undefined;
        if (context === undefined) continue;
        const last = position - field * POSITION_SPAN;
        const first = formStart(form, last, context);
        if (first < 0 || this.isCovered(field, first, last)) continue;
        const found = classify(name, first, last, field, context);
        this.cover(field, found?.first ?? first, found?.last ?? last);
        if (found !== undefined) this.references.push(found);
      }
    }
  }

  private addGivenNameReferences(name: PersonName): void {
    const given = name.given[0];
    if (given === undefined) return;
    for (const position of this.positions(given) ?? NO_POSITIONS) {
      const field = Math.floor(position / POSITION_SPAN);
      const context = this.inEvidence(field) ? this.context(field) : undefined;
      const at = position - field * POSITION_SPAN;
      if (context === undefined || this.isCovered(field, at, at)) continue;
      const found = givenNameReference(name, at, field, context);
      if (found === undefined) continue;
      this.cover(field, found.first, found.last);
      this.references.push(found);
    }
  }
}

const RANK: Readonly<Record<ReferenceKind, number>> = { full: 8, titled: 6, given: 4, bare: 2, other: 0 };

function rank(reference: Reference): number {
  return RANK[reference.kind] + (reference.mononym ? 1 : 0);
}

/**
 * Where the references of several readings (or aliases) overlap, keeps the strongest: a full
 * name over a title over a bare surname, a one-word alias over a bare surname, then the longer.
 */
function strongest(references: readonly Reference[]): Reference[] {
  if (references.length < 2) return [...references];
  const ordered = [...references].sort(
    (a, b) =>
      rank(b) - rank(a) || b.last - b.first - (a.last - a.first) || a.field - b.field || a.first - b.first,
  );
  const kept: Reference[] = [];
  for (const candidate of ordered) {
    const overlaps = kept.some(
      (known) =>
        known.field === candidate.field && known.first <= candidate.last && candidate.first <= known.last,
    );
    if (!overlaps) kept.push(candidate);
  }
  return kept;
}

function fits(a: Gender, b: Gender): boolean {
  return a === undefined || b === undefined || a === b;
}

function counts(
  reference: Reference,
  all: readonly Reference[],
  identified: boolean,
  titledCounted: boolean,
): boolean {
  if (reference.mononym) return reference.kind !== 'other';
  switch (reference.kind) {
    case 'full':
      return true;
    case 'titled':
      return (
        identified || !all.some((other) => other.kind === 'other' && fits(other.gender, reference.gender))
      );
    case 'bare':
      return identified || titledCounted;
    case 'given':
      return identified;
    case 'other':
      return false;
  }
}

/** The accepted references to the person in the fields the node searches (memoized per story). */
/**
 * False when no reading of the name can have a reference in the node's fields: every reference is found
 * at its surname form's last word (capitalised unless the field's capitals mean nothing; a word after a
 * hyphen, only in a form of several words, may be in lower case) or at its first given name after a title
 * (capitalised the same way). Checked first because most candidate people are not in the story.
 */
function mayBeNamed(view: StoryView, node: PersonNode): boolean {
  const nameLike = view.nameLikeForms;
  for (const name of node.names) {
    for (const form of name.forms) {
      const lastWord = form.words[form.words.length - 1];
      if (lastWord === undefined) continue;
      const fields = form.words.length === 1 ? nameLike.get(lastWord) : view.byForm.get(lastWord)?.mask;
      if (((fields ?? 0) & node.fields) !== 0) return true;
    }
    const given = name.given[0];
    if (given !== undefined && ((nameLike.get(given) ?? 0) & node.fields) !== 0) return true;
  }
  return false;
}

/**
 * `named`: the caller has already found that the person may be named in the story (query-programs.ts checks
 * a stronger condition than mayBeNamed), so the lookups need not be repeated.
 */
export function personOccurrences(view: StoryView, node: PersonNode, named = false): readonly Occurrence[] {
  const cached = view.memo.get(node) as readonly Occurrence[] | undefined;
  if (cached !== undefined) return cached;
  if (!named && !mayBeNamed(view, node)) {
    view.memo.set(node, NO_OCCURRENCES);
    return NO_OCCURRENCES;
  }
  const finder = new ReferenceFinder(view, DEFAULT_FIELDS | node.fields);
  for (const name of node.names) finder.addReading(name);
  const references = node.names.length === 1 ? finder.references : strongest(finder.references);
  const identified =
    references.some((reference) => reference.kind === 'full' && !reference.mononym) ||
    (references.length > 0 && namedInMetadata(view, node.names));
  const titledCounted = references.some(
    (reference) => reference.kind === 'titled' && counts(reference, references, identified, false),
  );
  const accepted: Occurrence[] = [];
  for (const reference of references) {
    if (((1 << reference.field) & node.fields) === 0) continue;
    if (counts(reference, references, identified, titledCounted)) {
      accepted.push(new Occurrence(reference.field, reference.first, reference.last));
    }
  }
  accepted.sort((a, b) => a.field - b.field || a.first - b.first);
  view.memo.set(node, accepted);
  return accepted;
}
