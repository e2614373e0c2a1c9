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
import { tryParse } from './query/parser.ts';
import { QueryError } from './types.ts';

/** Anchor groups of one query: stems, any of each group must occur in a story. */
export type AnchorGroups = readonly (readonly string[])[];

export interface QueryPlans {
  /** The fingerprint of the engine that made the plans (ENGINE_FINGERPRINT). */
  readonly engine: string;
  /** [query text, its anchor groups], one per distinct query that parses. */
  readonly anchors: readonly (readonly [string, AnchorGroups])[];
}

/** Bump when anything changes what a plan means beyond what the probes below can see. */
const PLAN_FORMAT = 1;

/** Queries whose anchors exercise folding, stemming, phrases, people, acronyms, OR, NEAR and common words. */
const PROBES = [
  'deportation',
  'Immigrants',
  '"mass deportations"',
  'person:"Enrique Peña Nieto"',
  'US AND (tariffs OR "trade war")',
  'said NEAR/5 Ölpreis',
  'headline:Crédit -Suisse',
  'Fed rates hike',
  'running ran runs',
  '"the" AND "of"',
];

let fingerprint: string | undefined;

/** This engine's fingerprint: equal fingerprints give equal anchors to every probe. */
export function engineFingerprint(): string {
  fingerprint ??= `plans-${PLAN_FORMAT}-${fnv1a(JSON.stringify(PROBES.map(planOf)))}`;
  return fingerprint;
}

function planOf(query: string): AnchorGroups | undefined {
  const parsed = tryParse(query);
  return parsed instanceof QueryError ? undefined : anchorGroups(parsed);
}

/** Plans for the distinct queries among `queries`; queries that do not parse are left out. */
export function planQueries(queries: Iterable<string>): QueryPlans {
  const anchors: [string, AnchorGroups][] = [];
  const seen = new Set<string>();
  for (const query of queries) {
    if (seen.has(query)) continue;
    seen.add(query);
    const groups = planOf(query);
    if (groups !== undefined) anchors.push([query, groups]);
  }
  return { engine: engineFingerprint(), anchors };
}

/**
 * The plans as a map, when they are well-formed and this engine's; otherwise undefined, and the caller
 * compiles from the queries themselves. Plans come from storage: their shape is checked, not trusted.
 */
export function usablePlans(plans: unknown): ReadonlyMap<string, AnchorGroups> | undefined {
  if (typeof plans !== 'object' || plans === null) return undefined;
  const { engine, anchors } = plans as { engine?: unknown; anchors?: unknown };
  if (engine !== engineFingerprint() || !Array.isArray(anchors)) return undefined;
  const byQuery = new Map<string, AnchorGroups>();
  for (const entry of anchors) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isAnchorGroups(entry[1])) return undefined;
    byQuery.set(entry[0], entry[1]);
  }
  return byQuery;
}

function isAnchorGroups(value: unknown): value is AnchorGroups {
  return (
    Array.isArray(value) &&
    value.length <= MAX_GROUPS &&
    value.every((group) => Array.isArray(group) && group.every((stem) => typeof stem === 'string'))
  );
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
