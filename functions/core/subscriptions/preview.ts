import { compileSubscriptions, validateQuery } from '../matching/index.ts';
import type { Snippet } from '../matching/types.ts';
import type { Story } from '../stories/story.ts';

/** Which recent stories a query would have matched: the "try before you subscribe" of the query editor. */

export interface PreviewMatch {
  readonly storyId: string;
  readonly headline: string;
  readonly publishedAt?: string | undefined;
  readonly source?: string | undefined;
  readonly snippet: Snippet;
  readonly matchedTerms: readonly string[];
}

export type QueryCheck =
  | {
      readonly valid: true;
      readonly preview: { readonly searched: number; readonly matches: readonly PreviewMatch[] };
    }
  | { readonly valid: false; readonly error: { readonly message: string; readonly position: number } };

const PREVIEW_ID = 'preview';

export function checkAndPreview(query: string, stories: readonly Story[], maxMatches: number): QueryCheck {
  const problem = validateQuery(query);
  if (problem !== undefined)
    return { valid: false, error: { message: problem.message, position: problem.position } };
  const { index, errors } = compileSubscriptions([{ id: PREVIEW_ID, query }]);
  const [compileError] = errors;
  if (compileError !== undefined) {
    return {
      valid: false,
      error: { message: compileError.error.message, position: compileError.error.position },
    };
  }
  const matches: PreviewMatch[] = [];
  for (const story of stories) {
    if (matches.length >= maxMatches) break;
    const match = index.match(story).find((m) => m.subscriptionId === PREVIEW_ID);
    if (match === undefined) continue;
    matches.push({
      storyId: story.id,
      headline: story.headline,
      publishedAt: story.publishedAt,
      source: story.source,
      snippet: match.snippet,
      matchedTerms: [...new Set(match.hits.map((hit) => hit.term))],
    });
  }
  return { valid: true, preview: { searched: stories.length, matches } };
}
