/**
 * The compiled index (built by compile.ts) and how it matches a story:
 *  1. tokenize the story once (StoryView);
 *  2. candidates: walk the posting lists of the story's distinct stems, setting one bit per anchor group of
 *     each query met; a query whose groups are all set is a candidate (plus the always-evaluate list);
 *  3. evaluate each candidate query once (however many subscribe to it), and expand the ones that match to
 *     their subscriptions, in input order. Hits and snippets are not worked out here: each matched query
 *     gets one lazy Explanation, computed when (and if) something reads it.
 * So a story costs its length plus its candidates plus one small object per match (see match-order.ts for
 * how they are put in input order).
 *
 * Changes apply in place (see changes.ts): a subscription added, replaced or removed touches its query's
 * subscriber list and, for a query the index has not seen, adds postings beside the packed ones. Nothing
 * else is recompiled; a compaction (compiling a new base) folds the additions back into the packed table.
 */
import type { Story } from '../stories/story.ts';
import { anchorGroups } from './anchors.ts';
import { Explanation, MatchRecord } from './explanation.ts';
import { KeyFilter, pairHash, wordHash } from './key-filter.ts';
import type { LeafInterner } from './leaf-interner.ts';
import { MatchOrder } from './match-order.ts';
import type { QueryNode } from './query/ast.ts';
import { tryParse } from './query/parser.ts';
import { QueryPrograms } from './query-programs.ts';
import { StoryView, wordPair } from './story-view.ts';
import { BREAK_BEFORE, type Token } from './text/tokenize.ts';
import { withAppended, withRoom } from './typed-arrays.ts';
import type { IncrementalMatchIndex, Match, QueryError, SubscriptionChange } from './types.ts';
import { QueryError as QueryErrorClass } from './types.ts';

/**
 * Indexes with more anchor keys than this screen a story's keys with a KeyFilter before the key -> row table.
 * Below it the table is small enough that the filter does not pay for itself (the Lucene set's 135,000 keys:
 * no gain), and building it costs the first story about 0.1-0.3 µs a key.
 */
const FILTERED_ABOVE = 500_000;

/** Stories told apart by the stamps of `state` before it is cleared (5 bits; 0 is never a live stamp). */
const STAMPS = 31;

/**
 * A posting entry: the query, the mask of all its anchor groups (at most three) and the group this posting
 * belongs to, in one number, so that a posting costs one random access (the query's state) and not three.
 */
export function postingEntry(query: number, groupCount: number, group: number): number {
  return query * 32 + ((1 << groupCount) - 1) * 4 + group;
}

/** Queries above this id do not fit a posting entry. */
export const MAX_QUERIES = 1 << 26;

/**
 * Sets the group bit of one posting entry for this story and returns the query when that bit was the last
 * one it required, else -1. `state[query]` is the story's stamp (generation << 3) with the groups seen in
 * the low three bits: one byte a query, so that at a million subscriptions the table stays in the L2 cache
 * (it is cleared every STAMPS stories). Small and monomorphic so that V8 inlines it into both posting loops
 * of `candidates`.
 */
function completedQuery(entry: number, stamp: number, state: Uint8Array): number {
  const query = entry >>> 5;
  const bit = 1 << (entry & 3);
  const old = state[query] as number;
  let groups = (old & ~7) === stamp ? old & 7 : 0;
  if (groups & bit) return -1;
  groups |= bit;
  state[query] = stamp | groups;
  return groups === ((entry >>> 2) & 7) ? query : -1;
}

/** The filters of a large index: of its anchor keys, and of the words of its pair keys (KeyFilter.ofPairWords). */
interface KeyFilters {
  readonly keys: KeyFilter;
  readonly pairWords: KeyFilter;
}

/** What compile.ts hands over: the packed tables of the base. */
export interface PackedIndex {
  readonly subscriptionIds: string[];
  /** Per subscription (input position): its query, -1 when it was skipped. */
  readonly queryOfSubscription: Int32Array;
  /** Per query: its tree; undefined until first used (compile keeps no trees); null when a plan did not parse. */
  readonly queries: (QueryNode | undefined | null)[];
  readonly queryTexts: string[];
  readonly interner: LeafInterner;
  /**
   * Anchor key (stem, word pair) -> row of the posting table: a StringIds (a Map this large costs compile
   * seconds), whose `strings` hold the keys by row (the key filter is built from them).
   */
  readonly stemRows: {
    get(stem: string): number | undefined;
    readonly size: number;
    readonly strings: readonly string[];
  };
  /** Posting table (CSR): row r is postingEntries[postingStart[r] .. postingStart[r + 1]), each a postingEntry. */
  readonly postingStart: Int32Array;
  readonly postingEntries: Int32Array;
  readonly always: number[];
  /** CSR: the subscriptions of query q are subscribers[subscriberStart[q] .. subscriberStart[q + 1]). */
  readonly subscriberStart: Int32Array;
  readonly subscribers: Int32Array;
}

export class CompiledIndex implements IncrementalMatchIndex {
  private generation = 0;
  /** Per query: the anchor groups a story has offered so far (see completedQuery). */
  private state: Uint8Array;
  private queryOfSubscription: Int32Array;
  /** Reused between stories: the matches' subscriptions, put in input order. */
  private readonly order = new MatchOrder();
  /** The queries as flat programs over shared leaves, built when a query is first a candidate. */
  private readonly programs = new QueryPrograms();
  /** Reused between stories: candidate queries, `count` of them so far. */
  private found: Int32Array = new Int32Array(1024);
  private count = 0;
  /** Queries whose subscribers changed since compile: their sorted lists (the packed ones no longer count). */
  private readonly changedSubscribers = new Map<number, number[]>();
  /** Postings of queries added since compile, by stem. */
  private readonly addedPostings = new Map<string, number[]>();
  /** Built on the first change only: query text -> query, subscription id -> subscription. */
  private queryByText: Map<string, number> | undefined;
  private subscriptionById: Map<string, number> | undefined;
  private live: number;
  /** Built on the first story, for a large index only (see FILTERED_ABOVE); null when not worth it. */
  private keyFilter: KeyFilters | null | undefined;

  constructor(private readonly packed: PackedIndex) {
    const queryCount = packed.queries.length;
    this.state = new Uint8Array(queryCount);
    this.queryOfSubscription = packed.queryOfSubscription;
    this.live = packed.subscribers.length;
  }

  /**
   * Screens stories' keys with a key filter whatever the index's size (on its own only above FILTERED_ABOVE
   * keys), so that tests run a large index's path on small ones.
   */
  useKeyFilter(): void {
    const { strings, size } = this.packed.stemRows;
    this.keyFilter = { keys: new KeyFilter(strings, size), pairWords: KeyFilter.ofPairWords(strings) };
  }

  /** Number of subscriptions the index matches against. */
  get size(): number {
    return this.live;
  }

  private candidates(view: StoryView): Int32Array {
    this.generation = this.generation < STAMPS ? this.generation + 1 : 1;
    if (this.generation === 1) this.state.fill(0);
    const stamp = this.generation << 3;
    const { stemRows } = this.packed;
    if (this.keyFilter === undefined) {
      if (stemRows.size > FILTERED_ABOVE) this.useKeyFilter();
      else this.keyFilter = null;
    }
    const filter = this.keyFilter ?? null;
    const keys = filter?.keys ?? null;
    this.count = 0;
    // The packed postings first, in tight loops over the Int32Array; the few added since compile after them.
    for (const key of view.byStem.keys()) this.offer(key, keys, stamp);
    if (view.byLanguageStem !== undefined)
      for (const key of view.byLanguageStem.keys()) this.offer(key, keys, stamp);
    for (const key of view.metadata.keys) this.offer(key, keys, stamp);
    if (filter === null) {
      for (const pair of view.wordPairs.keys()) this.offer(pair, null, stamp);
    } else {
      this.offerPairs(view, filter, stamp);
    }
    if (this.addedPostings.size > 0) {
      for (const key of view.anchorKeys) {
        for (const entry of this.addedPostings.get(key) ?? []) this.complete(entry, stamp);
      }
    }
    const { always } = this.packed;
    let { found, count } = this;
    found = withRoom(found, count + always.length);
    for (const query of always) found[count++] = query;
    this.found = found;
    // Ascending query ids walk the index arrays (and, since ids follow first use, the subscriptions) in
    // memory order instead of jumping around a million-entry table.
    return found.subarray(0, count).sort();
  }

  /** Walks the posting row of an anchor key, when the index has one (and the filter, if any, lets it by). */
  private offer(key: string, filter: KeyFilter | null, stamp: number): void {
    if (filter !== null && !filter.mayHave(key)) return;
    const row = this.packed.stemRows.get(key);
    if (row !== undefined) this.walk(row, stamp);
  }

  /**
   * The word pairs the story writes (StoryView.wordPairs), screened by their hashes: first by their words (a
   * pair whose words are not both in some pair key is none), then by the pair's own hash; a pair's string is
   * built and looked up only when both let it through. A pair written twice is offered twice, which sets
   * nothing new.
   */
  private offerPairs(view: StoryView, { keys, pairWords }: KeyFilters, stamp: number): void {
    const { stemRows } = this.packed;
    for (const { tokens } of view.fields) {
      let previousHash = 0;
      // Whether a pair key may hold the previous word: when not, no pair starting with it is a key.
      let previousMayPair = false;
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i] as Token;
        const hash = wordHash(token.form);
        const mayPair = pairWords.mayHaveHash(hash);
        if (
          mayPair &&
          previousMayPair &&
          (token.flags & BREAK_BEFORE) === 0 &&
          keys.mayHaveHash(pairHash(previousHash, hash))
        ) {
          const row = stemRows.get(wordPair((tokens[i - 1] as Token).form, token.form));
          if (row !== undefined) this.walk(row, stamp);
        }
        previousHash = hash;
        previousMayPair = mayPair;
      }
    }
  }

  private walk(row: number, stamp: number): void {
    const { postingStart, postingEntries } = this.packed;
    const end = postingStart[row + 1] as number;
    for (let i = postingStart[row] as number; i < end; i++) this.complete(postingEntries[i] as number, stamp);
  }

  /** Sets the group bit of a posting entry, adding its query to the candidates when that completed it. */
  private complete(entry: number, stamp: number): void {
    const query = completedQuery(entry, stamp, this.state);
    if (query >= 0) this.found = withAppended(this.found, this.count++, query);
  }

  /**
   * The tree of a query, parsed on its first use (compile keeps none). A planned query that does not parse
   * (plans are made only of queries that do, so only a foreign plan can do this) matches nothing.
   */
  private queryAt(query: number): QueryNode | null {
    const known = this.packed.queries[query];
    if (known !== undefined) return known;
    // With the index's interner, a leaf that an earlier query has is looked up by its text, not analysed again.
    const parsed = tryParse(this.packed.queryTexts[query] as string, this.packed.interner);
    const root = parsed instanceof QueryErrorClass ? null : parsed;
    this.packed.queries[query] = root;
    return root;
  }

  match(story: Story): Match[] {
    const view = new StoryView(story);
    const explanations: Explanation[] = [];
    const { subscriberStart, subscribers, subscriptionIds } = this.packed;
    const changed = this.changedSubscribers.size > 0 ? this.changedSubscribers : undefined;
    const { order, programs } = this;
    order.reset();
    programs.beginStory(view);
    for (const query of this.candidates(view)) {
      const list = changed?.get(query);
      const start = list === undefined ? (subscriberStart[query] as number) : 0;
      const end = list === undefined ? (subscriberStart[query + 1] as number) : list.length;
      if (start === end) continue; // nobody subscribes to it (any more): not worth evaluating
      if (!programs.isBuilt(query)) programs.build(query, this.queryAt(query));
      if (!programs.satisfied(query)) continue;
      const slot = explanations.length;
      explanations.push(new Explanation(view, this.packed.queries, query));
      order.reserve(end - start);
      const { subscriptions, slots } = order;
      let count = order.count;
      for (let i = start; i < end; i++) {
        subscriptions[count] = list === undefined ? (subscribers[i] as number) : (list[i] as number);
        slots[count++] = slot;
      }
      order.count = count;
    }
    order.sort(subscriptionIds.length);
    const { subscriptions, slots, count } = order;
    const matches: Match[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const explanation = explanations[slots[i] as number] as Explanation;
      matches[i] = new MatchRecord(subscriptionIds, subscriptions[i] as number, explanation);
    }
    return matches;
  }

  /** See IncrementalMatchIndex.apply. */
  apply(changes: readonly SubscriptionChange[]): { id: string; error: QueryError }[] {
    const errors: { id: string; error: QueryError }[] = [];
    for (const change of changes) {
      const at = this.subscriptionSlots().get(change.id);
      const current = at === undefined ? -1 : (this.queryOfSubscription[at] as number);
      const query = change.kind === 'remove' ? undefined : this.queryFor(change.query);
      if (query === undefined || query instanceof QueryErrorClass) {
        // Out of the index; added again later, it goes after the others (as it would in a fresh list).
        if (at !== undefined) {
          if (current >= 0) this.detach(at, current);
          this.subscriptionSlots().delete(change.id);
        }
        if (query !== undefined) errors.push({ id: change.id, error: query });
        continue;
      }
      if (current === query) continue;
      if (at !== undefined && current >= 0) this.detach(at, current);
      this.attach(at ?? this.newSlot(change.id), query);
    }
    return errors;
  }

  private subscriptionSlots(): Map<string, number> {
    if (this.subscriptionById === undefined) {
      const byId = new Map<string, number>();
      const ids = this.packed.subscriptionIds;
      for (let i = 0; i < ids.length; i++) byId.set(ids[i] as string, i);
      this.subscriptionById = byId;
    }
    return this.subscriptionById;
  }

  private newSlot(id: string): number {
    const slot = this.packed.subscriptionIds.length;
    this.packed.subscriptionIds.push(id);
    this.queryOfSubscription = withAppended(this.queryOfSubscription, slot, -1);
    this.subscriptionSlots().set(id, slot);
    return slot;
  }

  /** The sorted subscriber list of a query, copied out of the packed table on its first change. */
  private subscribersOf(query: number): number[] {
    let list = this.changedSubscribers.get(query);
    if (list === undefined) {
      const { subscriberStart, subscribers } = this.packed;
      const start = query + 1 < subscriberStart.length ? (subscriberStart[query] as number) : 0;
      const end = query + 1 < subscriberStart.length ? (subscriberStart[query + 1] as number) : 0;
      list = Array.from(subscribers.subarray(start, end));
      this.changedSubscribers.set(query, list);
    }
    return list;
  }

  private detach(subscription: number, query: number): void {
    const list = this.subscribersOf(query);
    const at = lowerBound(list, subscription);
    if (list[at] === subscription) list.splice(at, 1);
    this.queryOfSubscription[subscription] = -1;
    this.live--;
  }

  private attach(subscription: number, query: number): void {
    const list = this.subscribersOf(query);
    list.splice(lowerBound(list, subscription), 0, subscription);
    this.queryOfSubscription[subscription] = query;
    this.live++;
  }

  /** The query id of a query text, indexing it (postings beside the packed table) when it is new. */
  private queryFor(text: string): number | QueryError {
    if (this.queryByText === undefined) {
      const byText = new Map<string, number>();
      const texts = this.packed.queryTexts;
      for (let q = 0; q < texts.length; q++)
        if (!byText.has(texts[q] as string)) byText.set(texts[q] as string, q);
      this.queryByText = byText;
    }
    const known = this.queryByText.get(text);
    if (known !== undefined) return known;
    const parsed = tryParse(text);
    if (parsed instanceof QueryErrorClass) return parsed;
    const query = this.packed.queries.length;
    if (query >= MAX_QUERIES) throw new RangeError(`more than ${MAX_QUERIES} distinct queries in one index`);
    this.packed.queries.push(this.packed.interner.intern(parsed));
    this.packed.queryTexts.push(text);
    this.queryByText.set(text, query);
    const groups = anchorGroups(parsed);
    for (let group = 0; group < groups.length; group++) {
      for (const stemmed of groups[group] as readonly string[]) {
        let list = this.addedPostings.get(stemmed);
        if (list === undefined) {
          list = [];
          this.addedPostings.set(stemmed, list);
        }
        list.push(postingEntry(query, groups.length, group));
      }
    }
    this.state = withRoom(this.state, query + 1);
    if (groups.length === 0) this.packed.always.push(query);
    this.changedSubscribers.set(query, []);
    return query;
  }
}

/** First index in an ascending list whose value is >= target. */
function lowerBound(list: readonly number[], target: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
