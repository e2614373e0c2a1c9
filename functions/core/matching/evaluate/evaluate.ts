/**
 * Exact evaluation of one parsed query against a story view: first a yes/no check (`satisfies`) that
 * allocates little, then, for matches only, the hits that explain them.
 */
import { isLeaf, type LeafNode, type NearNode, type QueryNode } from '../query/ast.ts';
import { POSITION_SPAN, type StoryView } from '../story-view.ts';
import { type Hit, STORY_FIELDS, type StoryField } from '../types.ts';
import { metadataMatch } from './metadata.ts';
import { NO_OCCURRENCES, type Occurrence } from './occurrence.ts';
import { organisationInMetadata, organisationOccurrences } from './organisation.ts';
import { personOccurrences } from './person.ts';
import { tickerInMetadata, tickerOccurrences } from './ticker.ts';
import { phraseOccurrences, termOccurrences, termOccurs } from './words.ts';

/** Where a leaf occurs in the text, in field then position order (memoized per story for shared leaves). */
export function leafOccurrences(view: StoryView, leaf: LeafNode): readonly Occurrence[] {
  if (leaf.kind === 'person') return personOccurrences(view, leaf);
  if (leaf.kind === 'org') return organisationOccurrences(view, leaf);
  if (leaf.kind === 'ticker') return tickerOccurrences(view, leaf);
  if (leaf.kind === 'meta') return NO_OCCURRENCES;
  const cached = view.memo.get(leaf) as readonly Occurrence[] | undefined;
  if (cached !== undefined) return cached;
  const found = leaf.kind === 'term' ? termOccurrences(view, leaf) : phraseOccurrences(view, leaf);
  view.memo.set(leaf, found);
  return found;
}

function key(occurrence: Occurrence): number {
  return occurrence.field * POSITION_SPAN + occurrence.first;
}

/** First index in `sorted` whose key is >= `target`. */
function lowerBound(sorted: readonly Occurrence[], target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(sorted[middle] as Occurrence) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Longest span, in tokens, that a leaf can produce: a title, up to 2 middle names and the name or phrase. */
const MAX_SPAN = 40;

/** The occurrences of each side that have a partner on the other side within the distance. */
function nearPairs(view: StoryView, node: NearNode): { left: Occurrence[]; right: Occurrence[] } {
  const lefts = leafOccurrences(view, node.left);
  const rights = lefts.length === 0 ? NO_OCCURRENCES : leafOccurrences(view, node.right);
  const left: Occurrence[] = [];
  const rightUsed = new Set<Occurrence>();
  for (const candidate of lefts) {
    let paired = false;
    const from = lowerBound(rights, key(candidate) - node.distance - MAX_SPAN);
    for (let index = from; index < rights.length; index++) {
      const other = rights[index] as Occurrence;
      if (other.field !== candidate.field) {
        if (other.field > candidate.field) break;
        continue;
      }
      if (other.first > candidate.last + node.distance) break;
      let gap: number;
      if (candidate.last < other.first) gap = other.first - candidate.last;
      else if (other.last < candidate.first) gap = candidate.first - other.last;
      else continue; // overlapping spans are the same words, not two things near each other
      if (gap <= node.distance) {
        paired = true;
        rightUsed.add(other);
      }
    }
    if (paired) left.push(candidate);
  }
  return { left, right: rights.filter((occurrence) => rightUsed.has(occurrence)) };
}

/** What the story's metadata says that satisfies an organisation, ticker or metadata leaf (`subject: immigration`). */
function metadataEvidence(view: StoryView, leaf: LeafNode): string | undefined {
  if (leaf.kind === 'org') {
    const name = organisationInMetadata(view, leaf);
    return name === undefined ? undefined : `organisation: ${name}`;
  }
  if (leaf.kind === 'ticker') {
    const ticker = tickerInMetadata(view, leaf);
    return ticker === undefined ? undefined : `ticker: ${ticker}`;
  }
  return leaf.kind === 'meta' ? metadataMatch(view, leaf) : undefined;
}

/** Does the story satisfy the query? */
export function satisfies(view: StoryView, node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
      return termOccurs(view, node);
    case 'org':
    case 'ticker':
      return leafOccurrences(view, node).length > 0 || metadataEvidence(view, node) !== undefined;
    case 'meta':
      return metadataMatch(view, node) !== undefined;
    case 'phrase':
    case 'person':
      return leafOccurrences(view, node).length > 0;
    case 'and':
      for (const child of node.children) if (!satisfies(view, child)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (satisfies(view, child)) return true;
      return false;
    case 'not':
      return !satisfies(view, node.child);
    case 'near': {
      const cached = view.memo.get(node) as { left: Occurrence[] } | undefined;
      if (cached !== undefined) return cached.left.length > 0;
      const pairs = nearPairs(view, node);
      view.memo.set(node, pairs);
      return pairs.left.length > 0;
    }
  }
}

/** A Hit as a class instance (see Token for why); only own data properties. */
class HitRecord implements Hit {
  constructor(
    readonly term: string,
    readonly field: StoryField | 'metadata',
    readonly start: number,
    readonly end: number,
    readonly text: string,
  ) {}
}

function toHits(view: StoryView, leaf: LeafNode, occurrences: readonly Occurrence[]): Hit[] {
  const hits: Hit[] = [];
  for (const occurrence of occurrences) {
    const fieldView = view.fields[occurrence.field];
    const first = fieldView?.tokens[occurrence.first];
    const last = fieldView?.tokens[occurrence.last];
    if (fieldView === undefined || first === undefined || last === undefined) continue;
    hits.push(
      new HitRecord(
        leaf.text,
        fieldView.field,
        first.start,
        last.end,
        fieldView.text.slice(first.start, last.end),
      ),
    );
  }
  return hits;
}

/** The hits of a leaf, in field and offset order; one shared array per leaf and story. */
function leafHits(view: StoryView, leaf: LeafNode): readonly Hit[] {
  const cached = view.hitMemo.get(leaf) as readonly Hit[] | undefined;
  if (cached !== undefined) return cached;
  const hits = toHits(view, leaf, leafOccurrences(view, leaf));
  const evidence = metadataEvidence(view, leaf);
  if (evidence !== undefined) hits.push(new HitRecord(leaf.text, 'metadata', 0, evidence.length, evidence));
  view.hitMemo.set(leaf, hits);
  return hits;
}

/** Adds the hit lists of a node the story satisfies; negated branches contribute none. */
function collect(view: StoryView, node: QueryNode, out: (readonly Hit[])[]): void {
  if (isLeaf(node)) {
    out.push(leafHits(view, node));
    return;
  }
  switch (node.kind) {
    case 'and':
      for (const child of node.children) collect(view, child, out);
      return;
    case 'or':
      for (const child of node.children) if (satisfies(view, child)) collect(view, child, out);
      return;
    case 'not':
      return;
    case 'near': {
      satisfies(view, node);
      const pairs = view.memo.get(node) as { left: Occurrence[]; right: Occurrence[] };
      out.push(toHits(view, node.left, pairs.left), toHits(view, node.right, pairs.right));
      return;
    }
  }
}

/** Text fields in STORY_FIELDS order, then metadata hits. */
const FIELD_ORDER: Readonly<Record<string, number>> = Object.fromEntries([
  ...STORY_FIELDS.map((field, index) => [field, index]),
  ['metadata', STORY_FIELDS.length],
]);

function compareHits(a: Hit, b: Hit): number {
  return (
    (FIELD_ORDER[a.field] ?? 0) - (FIELD_ORDER[b.field] ?? 0) ||
    a.start - b.start ||
    a.end - b.end ||
    (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)
  );
}

/**
 * The hits explaining a match, sorted by field order and offset, without duplicates. A query
 * whose hits all come from one leaf gets that leaf's shared array.
 */
export function explain(view: StoryView, node: QueryNode): readonly Hit[] {
  const lists: (readonly Hit[])[] = [];
  collect(view, node, lists);
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  const hits = nonEmpty.flat().sort(compareHits);
  return hits.filter((hit, index) => {
    const previous = hits[index - 1];
    return (
      previous === undefined ||
      previous.field !== hit.field ||
      previous.start !== hit.start ||
      previous.end !== hit.end ||
      previous.term !== hit.term
    );
  });
}
