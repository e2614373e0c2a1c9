/**
 * Anchor extraction (after Luwak and the Elasticsearch percolator): for each query, a few
 * groups of stems such that the query can only match a story that contains at least one stem of
 * every group. The index evaluates a query only when all its groups are present.
 *
 * The query is first reduced to required clauses (each a set of stems, any of which must occur):
 *  - keyword: its stem; phrase: each word's stem; person: one clause, the stems of which every
 *    reference contains one (the last word of each surname form, see query/person-name.ts);
 *  - AND, NEAR: the clauses of all positive operands (NOT operands constrain nothing);
 *  - OR: one clause, the union of each operand's cheapest clause (if any operand has none, none);
 *  - NOT: none.
 * Then the cheapest clause is kept, plus up to two more that are not common words (a group on
 * `said` would be visited by nearly every story). No clause at all (`NOT mexico`, `a OR -b`):
 * the query goes on the always-evaluate list.
 */
import type { QueryNode } from './query/ast.ts';
import { stem } from './text/stem.ts';
import { COMMON_WORDS } from './text/words.ts';

/** At most this many groups per query (each group is one bit of a per-query mask). */
export const MAX_GROUPS = 3;
/** A clause costlier than this (a common word) is used only when it is the query's cheapest. */
const EXTRA_GROUP_MAX_COST = 0.1;

const COMMON_RANK = new Map<string, number>();
COMMON_WORDS.forEach((word, rank) => {
  const key = stem(word);
  if (!COMMON_RANK.has(key)) COMMON_RANK.set(key, rank);
});

/** Rough chance that a story contains the stem: common words high, then shorter words higher. */
export function estimateFrequency(stemmed: string): number {
  const rank = COMMON_RANK.get(stemmed);
  if (rank !== undefined) return 1 / (1 + rank / 50);
  const code = stemmed.charCodeAt(0);
  if (code >= 48 && code <= 57) return 0.1;
  return Math.min(0.1, 0.3 / stemmed.length);
}

type Clause = readonly string[];

function cost(clause: Clause): number {
  let total = 0;
  for (const stemmed of clause) total += estimateFrequency(stemmed);
  return total;
}

function cheapest(clauses: readonly Clause[]): Clause | undefined {
  let best: Clause | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const clause of clauses) {
    const clauseCost = cost(clause);
    if (clauseCost < bestCost) {
      best = clause;
      bestCost = clauseCost;
    }
  }
  return best;
}

function clausesOf(node: QueryNode): Clause[] {
  switch (node.kind) {
    case 'term':
      return [[node.word.stem]];
    case 'phrase':
      return node.words.map((word) => [word.stem]);
    case 'person':
      return [node.anchors];
    case 'and':
      return node.children.flatMap(clausesOf);
    case 'near':
      return [...clausesOf(node.left), ...clausesOf(node.right)];
    case 'not':
      return [];
    case 'or': {
      const union = new Set<string>();
      for (const child of node.children) {
        const best = cheapest(clausesOf(child));
        if (best === undefined) return [];
        for (const stemmed of best) union.add(stemmed);
      }
      return [[...union]];
    }
  }
}

function sameClause(a: Clause, b: Clause): boolean {
  return a.length === b.length && a.every((stemmed, i) => stemmed === b[i]);
}

/** The anchor groups of a query, cheapest first; empty when the query must always be evaluated. */
export function anchorGroups(node: QueryNode): Clause[] {
  if (node.kind === 'term') return [[node.word.stem]]; // the most common query, kept cheap
  const unique: { clause: Clause; cost: number }[] = [];
  for (const clause of clausesOf(node)) {
    const sorted = clause.length === 1 ? clause : [...new Set(clause)].sort();
    if (!unique.some((known) => sameClause(known.clause, sorted)))
      unique.push({ clause: sorted, cost: cost(sorted) });
  }
  unique.sort((a, b) => a.cost - b.cost);
  const groups: Clause[] = [];
  for (const { clause, cost: clauseCost } of unique) {
    if (groups.length === MAX_GROUPS) break;
    if (groups.length > 0 && clauseCost > EXTRA_GROUP_MAX_COST) break;
    groups.push(clause);
  }
  return groups;
}
