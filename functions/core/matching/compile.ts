/**
 * Compiles all subscriptions into one index (compiled-index.ts matches with it and applies changes to it).
 *
 * Memory: identical query strings compile once (subscriptions share them), a leaf many queries repeat is
 * analysed once (LeafCache), the trees are not kept (a query is parsed again when a story first makes it a
 * candidate), and all posting lists live in one packed Int32Array (CSR).
 */
import { anchorGroups } from './anchors.ts';
import { CompiledIndex, MAX_QUERIES, postingEntry } from './compiled-index.ts';
import { LeafCache, LeafInterner } from './leaf-interner.ts';
import { type QueryPlans, usablePlans } from './plans.ts';
import type { QueryNode } from './query/ast.ts';
import { tryParse } from './query/parser.ts';
import { StringIds } from './string-ids.ts';
import { withAppended } from './typed-arrays.ts';
import type { CompileResult, QueryError, QuerySource } from './types.ts';
import { QueryError as QueryErrorClass } from './types.ts';

/** A growable list of 32-bit integers (compile builds millions of postings). */
class IntBuffer {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    this.data = withAppended(this.data, this.length++, value);
  }

  at(index: number): number {
    return this.data[index] as number;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }
}

const TOO_MANY_QUERIES = `more than ${MAX_QUERIES} distinct queries: split the subscriptions over several indexes`;

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
  // Shares leaves between the queries of this compile only: trees are dropped once anchored (see below).
  const leaves = new LeafCache();
  // Query texts compiled from the text (not from a plan), numbered, and what each compiled to.
  const texts = new StringIds(usable === undefined ? subs.length : 16);
  const outcomes: (number | QueryError)[] = [];
  const queries: (QueryNode | undefined | null)[] = [];
  let planned = 0;
  const queryTexts: string[] = [];
  const queryOfSubscription = new Int32Array(subs.length).fill(-1);
  const errors: { id: string; error: QueryError }[] = [];
  // A plan names its stems by position in plans.stems: each distinct one is looked up once, not per use.
  const planStems = usable?.plans.stems ?? [];
  // Anchor keys. Plans list theirs: sized once for them. From queries the count is unknown, and a table sized
  // for the worst case (a long tail: 1.4 keys a query) makes the usual index of shared words probe 16 MB at
  // random instead of a table that stays in cache (topical 1M compiled 0.4 s slower): it grows instead.
  const stemRows = new StringIds(usable === undefined ? 16 : planStems.length);
  const pairRows = new IntBuffer();
  const pairEntries = new IntBuffer();
  const always: number[] = [];
  const planStemRows = new Int32Array(planStems.length).fill(-1);
  // Planned queries are told apart by their position in the plans, not by a second map of query texts.
  const planQuery = new Int32Array(usable?.plans.queries.length ?? 0).fill(-1);

  // Plain loops, not forEach callbacks: at a cold start this runs once, mostly before the JIT warms up.
  for (let subscription = 0; subscription < subs.length; subscription++) {
    const sub = subs[subscription] as QuerySource;
    let planAt = usable?.byQuery.get(sub.query);
    if (planAt !== undefined && usable?.plans.groups[planAt] === null) planAt = undefined; // no plan: parse it
    let compiled: number | QueryError | undefined;
    if (planAt === undefined) {
      const seen = texts.size;
      const text = texts.idOf(sub.query);
      compiled = text < seen ? outcomes[text] : undefined;
    } else {
      compiled = planQuery[planAt] as number;
    }
    if (compiled === undefined || compiled === -1) {
      const packed = planAt === undefined ? undefined : usable?.plans.groups[planAt];
      const parsed = packed === undefined || packed === null ? tryParse(sub.query, leaves) : undefined;
      if (parsed instanceof QueryErrorClass) {
        compiled = parsed;
      } else {
        const query = queries.length;
        if (query >= MAX_QUERIES) throw new RangeError(TOO_MANY_QUERIES);
        compiled = query;
        // The tree is not kept: a query is parsed again when a story first makes it a candidate (as a planned
        // one is). Keeping a million trees and their leaves made garbage collection half of compile time.
        queries.push(undefined);
        queryTexts.push(sub.query);
        let groupCount = 0;
        const firstPair = pairEntries.length;
        if (parsed === undefined) {
          planned++;
          const groups = packed as readonly number[];
          for (let i = 0; i < groups.length; groupCount++) {
            const end = i + 1 + (groups[i] as number);
            for (i++; i < end; i++) {
              const at = groups[i] as number;
              let row = planStemRows[at] as number;
              if (row < 0) {
                row = stemRows.idOf(planStems[at] as string);
                planStemRows[at] = row;
              }
              pairRows.push(row);
              pairEntries.push(groupCount); // the entry is made below, once the number of groups is known
            }
          }
          for (let i = firstPair; i < pairEntries.length; i++) {
            pairEntries.set(i, postingEntry(query, groupCount, pairEntries.at(i)));
          }
        } else {
          const groups = anchorGroups(parsed);
          for (; groupCount < groups.length; groupCount++) {
            for (const stemmed of groups[groupCount] as readonly string[]) {
              pairRows.push(stemRows.idOf(stemmed));
              pairEntries.push(postingEntry(query, groups.length, groupCount));
            }
          }
        }
        if (groupCount === 0) always.push(query);
      }
      if (planAt === undefined) outcomes.push(compiled);
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
  const index = new CompiledIndex({
    subscriptionIds,
    queryOfSubscription,
    queries,
    queryTexts,
    interner: new LeafInterner(),
    stemRows,
    postingStart,
    postingEntries,
    always,
    subscriberStart,
    subscribers,
  });
  return { index, errors, planned };
}
