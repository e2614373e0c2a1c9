/**
 * Explanations (hits and snippet) of a matched query. Computed once per matched query and story,
 * and shared by every subscription with that query; leaves share their hit lists and snippets
 * across queries (see evaluate.ts and snippet.ts), so most explanations are cache lookups.
 */
import { explain } from './evaluate/evaluate.ts';
import type { QueryNode } from './query/ast.ts';
import { buildSnippet } from './snippet.ts';
import type { StoryView } from './story-view.ts';
import type { Hit, Match, Snippet } from './types.ts';

export interface Explanation {
  readonly hits: readonly Hit[];
  readonly snippet: Snippet;
}

export function explainMatch(view: StoryView, root: QueryNode): Explanation {
  const hits = explain(view, root);
  return { hits, snippet: buildSnippet(view, hits) };
}

/**
 * A Match as a class instance rather than an object literal: V8 may pretenure a literal's
 * allocation site when a GC lands in the middle of a burst of matches, after which every match
 * is allocated in old space and young collections slow down several-fold. Instances carry only
 * own data properties, so they compare and serialise like plain objects.
 */
export class MatchRecord implements Match {
  constructor(
    readonly subscriptionId: string,
    readonly hits: readonly Hit[],
    readonly snippet: Snippet,
  ) {}
}
