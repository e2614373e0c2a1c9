/**
 * Query plans: each query's anchor groups, worked out ahead of time (by the snapshot builder) and shipped with
 * the subscriptions, so that a cold matcher builds its index without parsing a single query. Parsing and
 * anchor extraction are most of compile time (a 10,000-subscription index compiles about ten times faster
 * from plans); the matcher then parses a query only when a story makes it a candidate.
 *
 * Plans are only as good as the analyzer that made them: a plan from a build whose stemming, folding or
 * anchor choice differs would silently miss stories. So plans carry the engine's fingerprint (anchors of a
 * fixed set of probe queries, hashed) and a matcher ignores plans whose fingerprint is not its own.
 */
import { anchorGroups, MAX_GROUPS } from './anchors.ts';
import { LeafCache, LeafInterner, type LeafSource } from './leaf-interner.ts';
import { tryParse } from './query/parser.ts';
import { StringIds } from './string-ids.ts';
import { QueryError } from './types.ts';

/** Anchor groups of one query: stems, any of each group must occur in a story. */
export type AnchorGroups = readonly (readonly string[])[];

/**
 * Plans packed as the snapshot stores them, so that a matcher reads them without reshaping and indexes them
 * without a lookup per stem: every stem once, and each query's groups as numbers into that list.
 */
export interface QueryPlans {
  /** The fingerprint of the engine that made the plans (ENGINE_FINGERPRINT). */
  readonly engine: string;
  /** Distinct queries. */
  readonly queries: readonly string[];
  /** Every stem the plans use, once. */
  readonly stems: readonly string[];
  /**
   * Per query, at the same position as in `queries`: its anchor groups, each as its size then the positions of
   * its stems in `stems` (`[["a"], ["b", "c"]]` is `[1, a, 2, b, c]`); null when the query has no plan.
   */
  readonly groups: readonly (readonly number[] | null)[];
}

/** Bump when anything changes what a plan means beyond what the probes below can see. */
const PLAN_FORMAT = 2;

/**
 * Queries whose anchors exercise folding, stemming (English, Spanish, German), phrases, people, acronyms, OR,
 * NEAR, common words, organisations, tickers and metadata keys.
 */
const PROBES = [
  'deportation',
  'Immigrants',
  '"mass deportations"',
  'person:"Enrique Peña Nieto"',
  'person:"Bashar al-Assad | Xi Jinping"',
  'women children buses',
  'US AND (tariffs OR "trade war")',
  'said NEAR/5 Ölpreis',
  'headline:Crédit -Suisse',
  'Fed rates hike',
  'running ran runs',
  '"the" AND "of"',
  'deportación OR Abschiebungen',
  'org:"Baker Hughes Co." OR ticker:NYSE:BKR',
  'subject:medtop:20000763 lang:es urgency:<=2 status:correction source:"Dow Jones" place:Mexico',
];

let fingerprint: string | undefined;

/** This engine's fingerprint: equal fingerprints give equal anchors to every probe. */
export function engineFingerprint(): string {
  const interner = new LeafInterner();
  fingerprint ??= `plans-${PLAN_FORMAT}-${fnv1a(JSON.stringify(PROBES.map((probe) => planOf(probe, interner))))}`;
  return fingerprint;
}

function planOf(query: string, interner: LeafSource): AnchorGroups | undefined {
  const parsed = tryParse(query, interner);
  return parsed instanceof QueryError ? undefined : anchorGroups(parsed);
}

/** Plans for the distinct queries among `queries`; queries that do not parse are left out. */
export function planQueries(queries: Iterable<string>): QueryPlans {
  const planned: [string, AnchorGroups][] = [];
  const seen = new Set<string>();
  const interner = new LeafCache(); // a leaf many queries share is analysed once; one met once is let go
  for (const query of queries) {
    if (seen.has(query)) continue;
    seen.add(query);
    const groups = planOf(query, interner);
    if (groups !== undefined) planned.push([query, groups]);
  }
  return packPlans(engineFingerprint(), planned);
}

/** Packs `[query, anchor groups]` entries (distinct queries) made by the engine `engine`. */
export function packPlans(engine: string, entries: Iterable<readonly [string, AnchorGroups]>): QueryPlans {
  const queries: string[] = [];
  const stems: string[] = [];
  const stemAt = new Map<string, number>();
  const groups: number[][] = [];
  for (const [query, anchors] of entries) {
    const packed: number[] = [];
    for (const group of anchors) {
      packed.push(group.length);
      for (const stemmed of group) {
        let at = stemAt.get(stemmed);
        if (at === undefined) {
          at = stems.length;
          stems.push(stemmed);
          stemAt.set(stemmed, at);
        }
        packed.push(at);
      }
    }
    queries.push(query);
    groups.push(packed);
  }
  return { engine, queries, stems, groups };
}

/** The plans as `[query, anchor groups]` entries, for the queries that have one (to read or repack them). */
export function planEntries(plans: QueryPlans): [string, AnchorGroups][] {
  const entries: [string, AnchorGroups][] = [];
  plans.queries.forEach((query, q) => {
    const packed = plans.groups[q];
    if (packed === null || packed === undefined) return;
    const anchors: string[][] = [];
    for (let i = 0; i < packed.length; ) {
      const size = packed[i++] as number;
      anchors.push(packed.slice(i, i + size).map((at) => plans.stems[at] as string));
      i += size;
    }
    entries.push([query, anchors]);
  });
  return entries;
}

/** Checked plans: where each planned query's groups are, and the stems by position. */
export interface UsablePlans {
  /**
   * Query text -> its position in `plans.queries` (a StringIds numbers them in order, so ids are positions: a Map
   * of a million queries costs a cold matcher seconds). Queries with a null plan have a position too.
   */
  readonly byQuery: { get(query: string): number | undefined };
  readonly plans: QueryPlans;
}

/**
 * The plans with a lookup by query, when they are well-formed and this engine's; otherwise undefined, and the
 * caller compiles from the queries themselves. Plans come from storage: their shape is checked (every stem
 * position in range, at most MAX_GROUPS groups, none empty, no query listed twice), not trusted. Plain loops,
 * not every(): at a cold start this checks every plan before the JIT has warmed up.
 */
export function usablePlans(plans: unknown): UsablePlans | undefined {
  if (typeof plans !== 'object' || plans === null) return undefined;
  const { engine, queries, stems, groups } = plans as Record<string, unknown>;
  if (engine !== engineFingerprint() || !Array.isArray(queries) || !Array.isArray(stems)) return undefined;
  if (!Array.isArray(groups) || groups.length !== queries.length) return undefined;
  for (let i = 0; i < stems.length; i++) if (typeof stems[i] !== 'string') return undefined;
  const byQuery = new StringIds(queries.length);
  for (let q = 0; q < queries.length; q++) {
    const query: unknown = queries[q];
    const packed: unknown = groups[q];
    if (typeof query !== 'string' || byQuery.idOf(query) !== q) return undefined; // not text, or listed twice
    if (packed === null) continue;
    if (!Array.isArray(packed) || !isPackedGroups(packed, stems.length)) return undefined;
  }
  return { byQuery, plans: plans as QueryPlans };
}

function isPackedGroups(packed: readonly unknown[], stemCount: number): boolean {
  let count = 0;
  for (let i = 0; i < packed.length; ) {
    const size = packed[i++];
    if (!Number.isInteger(size) || (size as number) < 1 || i + (size as number) > packed.length) return false;
    if (++count > MAX_GROUPS) return false;
    for (const end = i + (size as number); i < end; i++) {
      const at = packed[i];
      if (!Number.isInteger(at) || (at as number) < 0 || (at as number) >= stemCount) return false;
    }
  }
  return true;
}

/** 32-bit FNV-1a, as 8 hex digits: a cheap, stable hash (not a security measure). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
