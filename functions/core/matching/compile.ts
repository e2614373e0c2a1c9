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
 * shared between queries, and posting lists are packed Int32Arrays.
 */
import type { Story } from '../stories/story.ts';
import { anchorGroups } from './anchors.ts';
import { test } from './evaluate/evaluate.ts';
import { type Explanation, explainMatch, MatchRecord } from './explanation.ts';
import type { LeafNode, QueryNode } from './query/ast.ts';
import { parseQuery } from './query/parser.ts';
import { StoryView } from './story-view.ts';
import type { CompileResult, Match, MatchIndex, QueryError, QuerySource } from './types.ts';
import { QueryError as QueryErrorClass } from './types.ts';

/** Shares identical leaves between queries, so per-story work on a leaf is done once. */
class LeafInterner {
  private readonly leaves = new Map<string, LeafNode>();

  intern(node: QueryNode): QueryNode {
    switch (node.kind) {
      case 'term':
      case 'phrase':
      case 'person':
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
    const key = `${node.kind}|${node.fields}|${node.text}`;
    const known = this.leaves.get(key);
    if (known !== undefined) return known;
    this.leaves.set(key, node);
    return node;
  }
}

/** Parses a query, or returns its QueryError; other errors are bugs and propagate. */
export function tryParse(query: string): QueryNode | QueryError {
  try {
    return parseQuery(query);
  } catch (error) {
    if (error instanceof QueryErrorClass) return error;
    throw error;
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
    private readonly queries: readonly QueryNode[],
    /** Stem -> `queryIndex * 4 + group`. */
    private readonly postings: ReadonlyMap<string, Int32Array>,
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
    for (const stemmed of view.byStem.keys()) {
      const list = this.postings.get(stemmed);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i++) {
        const entry = list[i] as number;
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

  match(story: Story): Match[] {
    const view = new StoryView(story);
    const explanations: Explanation[] = [];
    const { slotOf } = this;
    let matched = this.matchedBuffer;
    let count = 0;
    for (const query of this.candidates(view)) {
      const root = this.queries[query] as QueryNode;
      if (!test(view, root)) continue;
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

/**
 * Compiles every subscription into one MatchIndex. Queries that do not parse are reported in
 * `errors` and skipped. Matches come back in the order of `subs` (input order); subscriptions
 * with the same query share one `hits` array and one `snippet` (treat them as read-only).
 */
export function compileSubscriptions(subs: readonly QuerySource[]): CompileResult {
  const interner = new LeafInterner();
  const queryIndex = new Map<string, number | QueryError>();
  const queries: QueryNode[] = [];
  const queryOfSubscription = new Int32Array(subs.length).fill(-1);
  const errors: { id: string; error: QueryError }[] = [];
  const postingLists = new Map<string, number[]>();
  const required: number[] = [];
  const always: number[] = [];

  subs.forEach((sub, subscription) => {
    let compiled = queryIndex.get(sub.query);
    if (compiled === undefined) {
      const parsed = tryParse(sub.query);
      if (parsed instanceof QueryErrorClass) {
        compiled = parsed;
      } else {
        compiled = queries.length;
        queries.push(interner.intern(parsed));
        const groups = anchorGroups(parsed);
        required.push((1 << groups.length) - 1);
        if (groups.length === 0) always.push(compiled);
        groups.forEach((group, bit) => {
          for (const stemmed of group) {
            const list = postingLists.get(stemmed);
            if (list === undefined) postingLists.set(stemmed, [(compiled as number) * 4 + bit]);
            else list.push((compiled as number) * 4 + bit);
          }
        });
      }
      queryIndex.set(sub.query, compiled);
    }
    if (typeof compiled === 'number') queryOfSubscription[subscription] = compiled;
    else errors.push({ id: sub.id, error: compiled });
  });

  const subscriberStart = new Int32Array(queries.length + 1);
  for (const query of queryOfSubscription) if (query >= 0) (subscriberStart[query + 1] as number)++;
  for (let q = 0; q < queries.length; q++) {
    subscriberStart[q + 1] = (subscriberStart[q + 1] as number) + (subscriberStart[q] as number);
  }
  const subscribers = new Int32Array(subscriberStart[queries.length] as number);
  const fill = subscriberStart.slice(0, queries.length);
  queryOfSubscription.forEach((query, subscription) => {
    if (query < 0) return;
    subscribers[fill[query] as number] = subscription;
    fill[query] = (fill[query] as number) + 1;
  });

  const postings = new Map<string, Int32Array>();
  for (const [stemmed, list] of postingLists) postings.set(stemmed, Int32Array.from(list));
  const index = new CompiledIndex(
    subscribers.length,
    subs.map((sub) => sub.id),
    queries,
    postings,
    Uint8Array.from(required),
    Int32Array.from(always),
    subscriberStart,
    subscribers,
  );
  return { index, errors };
}
