/**
 * Compiles all subscriptions into one index. A story is then matched in three steps:
 *  1. tokenize it once (StoryView);
 *  2. candidates: walk the posting lists of the story's distinct stems, setting one bit per
 *     anchor group of each query met; a query whose groups are all set is a candidate (plus
 *     the always-evaluate list);
 *  3. evaluate the candidates exactly, explain the matches, expand them to their subscriptions.
 * So a story costs its length plus its candidates and matches, not the number of subscriptions.
 *
 * Memory: identical query strings compile once (subscriptions share them), identical leaves are
 * shared between queries, and all posting lists live in one packed Int32Array (CSR).
 */
import type { Story } from '../stories/story.ts';
import { anchorGroups } from './anchors.ts';
import { satisfies } from './evaluate/evaluate.ts';
import { type Explanation, explainMatch, MatchRecord } from './explanation.ts';
import { type QueryPlans, usablePlans } from './plans.ts';
import type { LeafNode, QueryNode } from './query/ast.ts';
import { tryParse } from './query/parser.ts';
import { StoryView } from './story-view.ts';
import type { CompileResult, Match, MatchIndex, QueryError, QuerySource } from './types.ts';
import { QueryError as QueryErrorClass } from './types.ts';

/** A growable list of 32-bit integers (compile builds millions of postings). */
class IntBuffer {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index] as number;
  }
}

/** Shares identical leaves between queries, so per-story work on a leaf is done once. */
class LeafInterner {
  private readonly leaves: (Map<string, LeafNode> | undefined)[] = [];

  intern(node: QueryNode): QueryNode {
    switch (node.kind) {
      case 'term':
      case 'phrase':
      case 'person':
      case 'org':
      case 'ticker':
      case 'meta':
        return this.leaf(node);
      case 'and':
      case 'or':
        return { kind: node.kind, children: node.children.map((child) => this.intern(child)) };
      case 'not':
        return { kind: 'not', child: this.intern(node.child) };
      case 'near':
        return {
          kind: 'near',
          left: this.leaf(node.left),
          right: this.leaf(node.right),
          distance: node.distance,
        };
    }
  }

  private leaf(node: LeafNode): LeafNode {
    // One map per kind and field set, keyed by the text as written: no key strings to build (people,
    // organisations, tickers and metadata filters share the third kind: their texts start with their prefix).
    const slot = (node.kind === 'term' ? 0 : node.kind === 'phrase' ? 1 : 2) * 64 + node.fields;
    let byText = this.leaves[slot];
    if (byText === undefined) {
      byText = new Map();
      this.leaves[slot] = byText;
    }
    const known = byText.get(node.text);
    if (known !== undefined) return known;
    byText.set(node.text, node);
    return node;
  }
}

class CompiledIndex implements MatchIndex {
  private generation = 0;
  private readonly seen: Uint32Array;
  private readonly groupsSeen: Uint8Array;
  /** Per subscription: which explanation of the current story it uses (only read where just written). */
  private readonly slotOf: Int32Array;
  /** Reused between stories: the matched subscription indexes. */
  private matchedBuffer = new Int32Array(1024);

  constructor(
    readonly size: number,
    private readonly subscriptionIds: readonly string[],
    /**
     * Per query: its tree; undefined while it is only planned (parsed on first use, see queryAt); null when
     * a planned query turned out not to parse.
     */
    private readonly queries: (QueryNode | undefined | null)[],
    private readonly queryTexts: readonly string[],
    private readonly interner: LeafInterner,
    /** Stem -> row of the posting table. */
    private readonly stemRows: ReadonlyMap<string, number>,
    /** Posting table (CSR): row r is postingEntries[postingStart[r] .. postingStart[r + 1]), each `query * 4 + group`. */
    private readonly postingStart: Int32Array,
    private readonly postingEntries: Int32Array,
    /** Per query: the mask with one bit per anchor group. */
    private readonly required: Uint8Array,
    private readonly always: Int32Array,
    /** CSR: the subscriptions of query q are subscribers[subscriberStart[q] .. subscriberStart[q + 1]). */
    private readonly subscriberStart: Int32Array,
    private readonly subscribers: Int32Array,
  ) {
    this.seen = new Uint32Array(queries.length);
    this.groupsSeen = new Uint8Array(queries.length);
    this.slotOf = new Int32Array(subscriptionIds.length);
  }

  private candidates(view: StoryView): Int32Array {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
    const generation = this.generation;
    const { seen, groupsSeen, required } = this;
    const found: number[] = [];
    for (const stemmed of view.anchorKeys) {
      const row = this.stemRows.get(stemmed);
      if (row === undefined) continue;
      const end = this.postingStart[row + 1] as number;
      for (let i = this.postingStart[row] as number; i < end; i++) {
        const entry = this.postingEntries[i] as number;
        const query = entry >>> 2;
        const bit = 1 << (entry & 3);
        let groups = seen[query] === generation ? (groupsSeen[query] as number) : 0;
        seen[query] = generation;
        if (groups & bit) continue;
        groups |= bit;
        groupsSeen[query] = groups;
        if (groups === required[query]) found.push(query);
      }
    }
    for (let i = 0; i < this.always.length; i++) found.push(this.always[i] as number);
    // Ascending query ids walk the index arrays (and, since ids follow first use, the
    // subscriptions) in memory order instead of jumping around a million-entry table.
    return Int32Array.from(found).sort();
  }

  /**
   * The tree of a query, parsed now if it came from a plan. A planned query that does not parse (plans are
   * made only of queries that do, so only a foreign plan can do this) matches nothing.
   */
  private queryAt(query: number): QueryNode | null {
    const known = this.queries[query];
    if (known !== undefined) return known;
    const parsed = tryParse(this.queryTexts[query] as string);
    const root = parsed instanceof QueryErrorClass ? null : this.interner.intern(parsed);
    this.queries[query] = root;
    return root;
  }

  match(story: Story): Match[] {
    const view = new StoryView(story);
    const explanations: Explanation[] = [];
    const { slotOf } = this;
    let matched = this.matchedBuffer;
    let count = 0;
    for (const query of this.candidates(view)) {
      const root = this.queryAt(query);
      if (root === null || !satisfies(view, root)) continue;
      const slot = explanations.length;
      explanations.push(explainMatch(view, root));
      const start = this.subscriberStart[query] as number;
      const end = this.subscriberStart[query + 1] as number;
      if (count + end - start > matched.length) {
        const grown = new Int32Array(Math.max(matched.length * 2, count + end - start));
        grown.set(matched.subarray(0, count));
        matched = grown;
        this.matchedBuffer = grown;
      }
      for (let i = start; i < end; i++) {
        const subscriber = this.subscribers[i] as number;
        matched[count++] = subscriber;
        slotOf[subscriber] = slot;
      }
    }
    // Input order: one native sort of subscription indexes.
    const order = matched.subarray(0, count).sort();
    const matches: Match[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const subscriber = order[i] as number;
      const explanation = explanations[slotOf[subscriber] as number] as Explanation;
      matches[i] = new MatchRecord(
        this.subscriptionIds[subscriber] as string,
        explanation.hits,
        explanation.snippet,
      );
    }
    return matches;
  }
}

export interface CompileOptions {
  /**
   * Anchors worked out ahead of time (planQueries): planned queries are not parsed until a story makes them
   * a candidate. Plans from another engine version, or malformed ones, are ignored. Default: none.
   */
  readonly plans?: QueryPlans;
}

/**
 * Compiles every subscription into one MatchIndex. Queries that do not parse are reported in
 * `errors` and skipped (queries found in `options.plans` are trusted to parse). Matches come back in
 * the order of `subs` (input order); subscriptions with the same query share one `hits` array and one
 * `snippet` (treat them as read-only).
 */
export function compileSubscriptions(
  subs: readonly QuerySource[],
  options: CompileOptions = {},
): CompileResult {
  const usable = options.plans === undefined ? undefined : usablePlans(options.plans);
  const interner = new LeafInterner();
  const queryIndex = new Map<string, number | QueryError>();
  const queries: (QueryNode | undefined | null)[] = [];
  const queryTexts: string[] = [];
  const queryOfSubscription = new Int32Array(subs.length).fill(-1);
  const errors: { id: string; error: QueryError }[] = [];
  const stemRows = new Map<string, number>();
  const pairRows = new IntBuffer();
  const pairEntries = new IntBuffer();
  const required: number[] = [];
  const always: number[] = [];
  const rowOf = (stemmed: string): number => {
    let row = stemRows.get(stemmed);
    if (row === undefined) {
      row = stemRows.size;
      stemRows.set(stemmed, row);
    }
    return row;
  };
  // A plan names its stems by position in plans.stems: each distinct one is looked up once, not per use.
  const planStems = usable?.plans.stems ?? [];
  const planStemRows = new Int32Array(planStems.length).fill(-1);
  // Planned queries are told apart by their position in the plans, not by a second map of query texts.
  const planQuery = new Int32Array(usable?.plans.queries.length ?? 0).fill(-1);

  // Plain loops, not forEach callbacks: at a cold start this runs once, mostly before the JIT warms up.
  for (let subscription = 0; subscription < subs.length; subscription++) {
    const sub = subs[subscription] as QuerySource;
    const planAt = usable?.byQuery.get(sub.query);
    let compiled = planAt === undefined ? queryIndex.get(sub.query) : (planQuery[planAt] as number);
    if (compiled === undefined || compiled === -1) {
      const packed = planAt === undefined ? undefined : usable?.plans.groups[planAt];
      const parsed = packed === undefined || packed === null ? tryParse(sub.query) : undefined;
      if (parsed instanceof QueryErrorClass) {
        compiled = parsed;
      } else {
        const query = queries.length;
        compiled = query;
        queries.push(parsed === undefined ? undefined : interner.intern(parsed));
        queryTexts.push(sub.query);
        let groupCount = 0;
        if (parsed === undefined) {
          const groups = packed as readonly number[];
          for (let i = 0; i < groups.length; groupCount++) {
            const end = i + 1 + (groups[i] as number);
            for (i++; i < end; i++) {
              const at = groups[i] as number;
              let row = planStemRows[at] as number;
              if (row < 0) {
                row = rowOf(planStems[at] as string);
                planStemRows[at] = row;
              }
              pairRows.push(row);
              pairEntries.push(query * 4 + groupCount);
            }
          }
        } else {
          const groups = anchorGroups(parsed);
          for (; groupCount < groups.length; groupCount++) {
            for (const stemmed of groups[groupCount] as readonly string[]) {
              pairRows.push(rowOf(stemmed));
              pairEntries.push(query * 4 + groupCount);
            }
          }
        }
        required.push((1 << groupCount) - 1);
        if (groupCount === 0) always.push(query);
      }
      if (planAt === undefined) queryIndex.set(sub.query, compiled);
      else planQuery[planAt] = compiled as number;
    }
    if (typeof compiled === 'number') queryOfSubscription[subscription] = compiled;
    else errors.push({ id: sub.id, error: compiled });
  }

  const subscriberStart = new Int32Array(queries.length + 1);
  for (const query of queryOfSubscription) if (query >= 0) (subscriberStart[query + 1] as number)++;
  for (let q = 0; q < queries.length; q++) {
    subscriberStart[q + 1] = (subscriberStart[q + 1] as number) + (subscriberStart[q] as number);
  }
  const subscribers = new Int32Array(subscriberStart[queries.length] as number);
  const fill = subscriberStart.slice(0, queries.length);
  for (let subscription = 0; subscription < queryOfSubscription.length; subscription++) {
    const query = queryOfSubscription[subscription] as number;
    if (query < 0) continue;
    subscribers[fill[query] as number] = subscription;
    fill[query] = (fill[query] as number) + 1;
  }

  // Posting table: count per row, prefix sums, then fill (entries stay in query order).
  const postingStart = new Int32Array(stemRows.size + 1);
  for (let i = 0; i < pairRows.length; i++) (postingStart[pairRows.at(i) + 1] as number)++;
  for (let row = 0; row < stemRows.size; row++) {
    postingStart[row + 1] = (postingStart[row + 1] as number) + (postingStart[row] as number);
  }
  const postingEntries = new Int32Array(pairRows.length);
  const cursor = postingStart.slice(0, stemRows.size);
  for (let i = 0; i < pairRows.length; i++) {
    const row = pairRows.at(i);
    postingEntries[cursor[row] as number] = pairEntries.at(i);
    cursor[row] = (cursor[row] as number) + 1;
  }
  const subscriptionIds = new Array<string>(subs.length);
  for (let i = 0; i < subs.length; i++) subscriptionIds[i] = (subs[i] as QuerySource).id;
  const index = new CompiledIndex(
    subscribers.length,
    subscriptionIds,
    queries,
    queryTexts,
    interner,
    stemRows,
    postingStart,
    postingEntries,
    Uint8Array.from(required),
    Int32Array.from(always),
    subscriberStart,
    subscribers,
  );
  let planned = 0; // none is parsed yet
  for (const query of queries) if (query === undefined) planned++;
  return { index, errors, planned };
}
