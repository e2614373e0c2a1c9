/**
 * The matching engine: a Lucene-like query language with people, explanations (hits and
 * snippets) and an index that scales to a million subscriptions. Pure: no AWS, no I/O.
 *
 * Matches are returned in the order the subscriptions were given (input order), by both the
 * index and bruteForceMatch.
 */
export { estimateFrequency } from './anchors.ts';
export { bruteForceMatch, createBruteForceMatcher } from './brute-force.ts';
export { type CompileOptions, compileSubscriptions } from './compile.ts';
export { type AnchorGroups, engineFingerprint, planQueries, type QueryPlans } from './plans.ts';
export type * from './query/ast.ts';
export { QUERY_LIMITS } from './query/limits.ts';
export { parseQuery, validateQuery } from './query/parser.ts';
export { renderSnippet, SNIPPET_TARGET } from './snippet.ts';
export { fieldText } from './story-view.ts';
export { stem } from './text/stem.ts';
export * from './types.ts';
