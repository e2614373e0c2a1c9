/**
 * Anchor extraction (after Luwak and the Elasticsearch percolator): for each query, a few
 * groups of stems such that the query can only match a story that contains at least one stem of
 * every group. The index evaluates a query only when all its groups are present.
 *
 * The query is first reduced to required clauses (each a set of stems, any of which must occur):
 *  - keyword: its stem, with its Spanish and German stems where they differ (a story in those languages
 *    offers its words' stems by their rules too); phrase: each two adjacent words as a pair key (a story
 *    offers the pairs it writes side by side in a sentence: far rarer than the two words anywhere), a
 *    one-word phrase its word's stem; person: one clause, the stems
 *    of which every reference contains one (the last word of each surname form, see query/person-name.ts);
 *  - organisation: each word's stem or the organisation's metadata key; ticker: the symbol's stem or its
 *    metadata key; metadata filter: its keys (`lang:es` alone is anchored on the language, not evaluated
 *    for every story);
 *  - AND, NEAR: the clauses of all positive operands (NOT operands constrain nothing);
 *  - OR: one clause, the union of each operand's cheapest clause (if any operand has none, none);
 *  - NOT: none.
 * Then the cheapest clause is kept, plus up to two more that are not common words (a group on
 * `said` would be visited by nearly every story). No clause at all (`NOT mexico`, `a OR -b`):
 * the query goes on the always-evaluate list.
 */
import { metadataKey } from './metadata.ts';
import type { PhraseNode, QueryNode, WordMatcher } from './query/ast.ts';
import { wordPair } from './story-view.ts';
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
  if (code === 1) return metadataFrequency(stemmed);
  if (code >= 48 && code <= 57) return 0.1;
  return Math.min(0.1, 0.3 / stemmed.length);
}

/** Metadata keys: a status or language is shared by most stories, an urgency by many, a subject or name by few. */
function metadataFrequency(key: string): number {
  if (key.startsWith(metadataKey('status', '')) || key.startsWith(metadataKey('lang', ''))) return 0.5;
  if (key.startsWith(metadataKey('urgency', ''))) return 0.15;
  return 0.02;
}

type Clause = readonly string[];

/** A required clause with its estimated cost (the chance that a story offers one of its stems). */
interface Weighted {
  readonly stems: Clause;
  readonly cost: number;
}

function cost(clause: Clause): number {
  let total = 0;
  for (const stemmed of clause) total += estimateFrequency(stemmed);
  return total;
}

function weighted(stems: Clause): Weighted {
  return { stems, cost: cost(stems) };
}

/**
 * A keyword's stems: English, plus its Spanish and German stems where they differ. Costed as its English
 * stem: only Spanish and German stories offer the others.
 */
function keywordClause(word: WordMatcher): Weighted {
  const languageStems = word.languageStems;
  const stems = [word.stem];
  // A plain loop, not a Set: compile runs this for every keyword of a million queries.
  if (languageStems !== undefined) {
    for (const language in languageStems) {
      const stemmed = languageStems[language] as string;
      if (!stems.includes(stemmed)) stems.push(stemmed);
    }
  }
  return { stems, cost: estimateFrequency(word.stem) };
}

/** A phrase's clauses: each two adjacent words' pair key, costed as the two words side by side by chance. */
function phraseClauses(phrase: PhraseNode): Weighted[] {
  const { words } = phrase;
  if (words.length === 1) return words.map((word) => weighted([word.stem]));
  const clauses: Weighted[] = [];
  for (let i = 1; i < words.length; i++) {
    const first = words[i - 1] as WordMatcher;
    const second = words[i] as WordMatcher;
    const cost = estimateFrequency(first.stem) * estimateFrequency(second.stem);
    clauses.push({ stems: [wordPair(first.form, second.form)], cost });
  }
  return clauses;
}

function cheapest(clauses: readonly Weighted[]): Weighted | undefined {
  let best: Weighted | undefined;
  for (const clause of clauses) if (best === undefined || clause.cost < best.cost) best = clause;
  return best;
}

function clausesOf(node: QueryNode): Weighted[] {
  switch (node.kind) {
    case 'term':
      return [keywordClause(node.word)];
    case 'org':
      return node.words.map((word) => weighted([stem(word), node.key]));
    case 'ticker':
      return [weighted([stem(node.symbol.toLowerCase()), metadataKey('ticker', node.symbol)])];
    case 'meta':
      return [weighted(node.keys)];
    case 'phrase':
      return phraseClauses(node);
    case 'person':
      return [weighted(node.anchors)];
    case 'and':
      return node.children.flatMap(clausesOf);
    case 'near':
      return [...clausesOf(node.left), ...clausesOf(node.right)];
    case 'not':
      return [];
    case 'or': {
      const union = new Set<string>();
      let total = 0;
      for (const child of node.children) {
        const best = cheapest(clausesOf(child));
        if (best === undefined) return [];
        for (const stemmed of best.stems) union.add(stemmed);
        total += best.cost;
      }
      return [{ stems: [...union], cost: total }];
    }
  }
}

/** The stems sorted, each once (what `[...new Set(stems)].sort()` gives, without the Set). */
function distinctSorted(stems: Clause): Clause {
  const sorted = stems.slice().sort();
  let kept = 1;
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i] as string;
  sorted.length = kept;
  return sorted;
}

function sameClause(a: Clause, b: Clause): boolean {
  return a.length === b.length && a.every((stemmed, i) => stemmed === b[i]);
}

/** The anchor groups of a query, cheapest first; empty when the query must always be evaluated. */
export function anchorGroups(node: QueryNode): Clause[] {
  if (node.kind === 'term') return [keywordClause(node.word).stems]; // the most common query, kept cheap
  const unique: { clause: Clause; cost: number }[] = [];
  for (const { stems, cost: clauseCost } of clausesOf(node)) {
    const sorted = stems.length === 1 ? stems : distinctSorted(stems);
    if (!unique.some((known) => sameClause(known.clause, sorted)))
      unique.push({ clause: sorted, cost: clauseCost });
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
