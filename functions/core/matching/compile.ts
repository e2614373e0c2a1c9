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
import { explain, test } from './evaluate/evaluate.ts';
import type { LeafNode, QueryNode } from './query/ast.ts';
import { parseQuery } from './query/parser.ts';
import { buildSnippet } from './snippet.ts';
import { StoryView } from './story-view.ts';
import type { CompileResult, Hit, Match, MatchIndex, QueryError, QuerySource, Snippet } from './types.ts';
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

/** Hits and snippet for a query the story satisfies. */
export function explainMatch(view: StoryView, root: QueryNode): { hits: Hit[]; snippet: Snippet } {
  const hits = explain(view, root);
  return { hits, snippet: buildSnippet(view, hits) };
}

class CompiledIndex implements MatchIndex {
  private generation = 0;
  private readonly seen: Uint32Array;
  private readonly groupsSeen: Uint8Array;

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
  }

  private candidates(view: StoryView): number[] {
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
    return found;
  }

  match(story: Story): Match[] {
    const view = new StoryView(story);
    const matchedSubscribers: number[] = [];
    const explained = new Map<number, { hits: Hit[]; snippet: Snippet }>();
    const queryOf = new Map<number, number>();
    for (const query of this.candidates(view)) {
      const root = this.queries[query] as QueryNode;
      if (!test(view, root)) continue;
      explained.set(query, explainMatch(view, root));
      const end = this.subscriberStart[query + 1] as number;
      for (let i = this.subscriberStart[query] as number; i < end; i++) {
        const subscriber = this.subscribers[i] as number;
        matchedSubscribers.push(subscriber);
        queryOf.set(subscriber, query);
      }
    }
    matchedSubscribers.sort((a, b) => a - b);
    return matchedSubscribers.map((subscriber) => {
      const result = explained.get(queryOf.get(subscriber) as number) as { hits: Hit[]; snippet: Snippet };
      return {
        subscriptionId: this.subscriptionIds[subscriber] as string,
        hits: result.hits,
        snippet: result.snippet,
      };
    });
  }
}

/**
 * Compiles every subscription into one MatchIndex. Queries that do not parse are reported in
 * `errors` and skipped. Matches come back in the order of `subs` (input order).
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
