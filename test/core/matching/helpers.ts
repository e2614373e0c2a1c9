import { expect } from 'vitest';
import {
  bruteForceMatch,
  compileSubscriptions,
  type Match,
  renderSnippet,
} from '../../../functions/core/matching/index.ts';
import type { Story } from '../../../functions/core/stories/story.ts';
import { aStory } from '../../support/stories.ts';

/**
 * Matches as plain objects, hits and snippet included: a Match reads its hits and snippet through getters
 * (worked out lazily), which toEqual alone would not compare.
 */
export function explained(
  matches: readonly Match[],
): { subscriptionId: string; hits: unknown; snippet: unknown }[] {
  return matches.map((match) => ({
    subscriptionId: match.subscriptionId,
    hits: match.hits,
    snippet: match.snippet,
  }));
}

/** The match of one query against a story (undefined when it does not match); the index and brute force must agree. */
export function matchOne(query: string, story: Story): Match | undefined {
  const subs = [{ id: 'q', query }];
  const { index, errors } = compileSubscriptions(subs);
  expect(errors).toEqual([]);
  const indexed = index.match(story);
  expect(explained(indexed)).toEqual(explained(bruteForceMatch(subs, story)));
  return indexed[0];
}

/** Whether the query matches a story whose body (and optionally other fields) is given. */
export function matchesBody(query: string, body: string, overrides: Partial<Story> = {}): boolean {
  return matchOne(query, aStory({ headline: '', body, ...overrides })) !== undefined;
}

/** The rendered snippet of the query's match, or undefined. */
export function snippetOf(query: string, story: Story): string | undefined {
  const match = matchOne(query, story);
  return match === undefined ? undefined : renderSnippet(match.snippet);
}

/** The text of each hit of the query's match. */
export function hitTexts(query: string, story: Story): string[] {
  return matchOne(query, story)?.hits.map((hit) => hit.text) ?? [];
}
