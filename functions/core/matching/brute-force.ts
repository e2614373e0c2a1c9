/**
 * The reference matcher: every subscription evaluated against the story, no index. Used by the
 * property tests (the index must give exactly the same matches) and by the bench.
 */
import type { Story } from '../stories/story.ts';
import { satisfies } from './evaluate/evaluate.ts';
import { Explanation, MatchRecord } from './explanation.ts';
import type { QueryNode } from './query/ast.ts';
import { tryParse } from './query/parser.ts';
import { StoryView } from './story-view.ts';
import { type Match, QueryError, type QuerySource } from './types.ts';

/** Parses the subscriptions once; the returned function evaluates all of them on each story. */
export function createBruteForceMatcher(subs: readonly QuerySource[]): (story: Story) => Match[] {
  const ids: string[] = [];
  const roots: QueryNode[] = [];
  for (const sub of subs) {
    const root = tryParse(sub.query);
    if (root instanceof QueryError) continue;
    ids.push(sub.id);
    roots.push(root);
  }
  return (story) => {
    const view = new StoryView(story);
    const matches: Match[] = [];
    roots.forEach((root, at) => {
      if (satisfies(view, root)) matches.push(new MatchRecord(ids, at, new Explanation(view, roots, at)));
    });
    return matches;
  };
}

/** Every subscription the story satisfies, in input order; queries that do not parse are skipped. */
export function bruteForceMatch(subs: readonly QuerySource[], story: Story): Match[] {
  return createBruteForceMatcher(subs)(story);
}
