import { validateQuery } from '../../core/matching/index.ts';
import type { Story } from '../../core/stories/story.ts';
import { MAX_QUERY_CHARS } from '../../core/subscriptions/input.ts';
import type { RecentStories } from '../../core/subscriptions/ports.ts';
import { checkAndPreview } from '../../core/subscriptions/preview.ts';
import type { RouteHandler } from '../app.ts';
import { ApiError, json, jsonBody } from '../http.ts';

export interface QueryRoutesDeps {
  /** Where previews look; absent = validation only. */
  readonly recentStories?: RecentStories;
  /** Stories a preview searches. Default 200. */
  readonly previewStories?: number;
  /** Matches a preview returns at most. Default 10. */
  readonly previewMatches?: number;
  /** How long the recent stories are reused between previews (live validation calls often). Default 30 s. */
  readonly previewCacheSeconds?: number;
  readonly now?: () => number;
}

/**
 * `POST /queries/validate` `{query}`: 200 `{valid: true, preview}` or 200 `{valid: false, error: {message,
 * position}}`. An invalid query is the expected answer of a validation call, not a failed request.
 */
export function queryRoutes(deps: QueryRoutesDeps) {
  const now = deps.now ?? Date.now;
  const cacheMs = (deps.previewCacheSeconds ?? 30) * 1000;
  let cached: { readonly at: number; readonly stories: Promise<readonly Story[]> } | undefined;

  const recent = (): Promise<readonly Story[]> => {
    if (deps.recentStories === undefined) return Promise.resolve([]);
    if (cached === undefined || now() - cached.at > cacheMs) {
      const stories = deps.recentStories.list(deps.previewStories ?? 200);
      cached = { at: now(), stories };
      // A failed load must not be cached.
      stories.catch(() => {
        cached = undefined;
      });
    }
    return cached.stories;
  };

  return {
    validateQuery: async (request) => {
      const { query } = jsonBody(request);
      if (typeof query !== 'string') {
        throw new ApiError(400, 'invalid-input', 'Send {"query": "..."}: the query must be a string.', {
          field: 'query',
        });
      }
      if (query.trim() === '') {
        return json(200, {
          valid: false,
          error: { message: 'The query is empty: say what stories to alert on.', position: 0 },
        });
      }
      if (query.length > MAX_QUERY_CHARS) {
        return json(200, {
          valid: false,
          error: {
            message: `The query is too long (${query.length} characters): use at most ${MAX_QUERY_CHARS}.`,
            position: MAX_QUERY_CHARS,
          },
        });
      }
      const problem = validateQuery(query);
      if (problem !== undefined) {
        return json(200, { valid: false, error: { message: problem.message, position: problem.position } });
      }
      const result = checkAndPreview(query, await recent(), deps.previewMatches ?? 10);
      return json(200, result);
    },
  } satisfies Record<string, RouteHandler>;
}
