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
  const parsed: { id: string; root: QueryNode }[] = [];
  for (const sub of subs) {
    const root = tryParse(sub.query);
    if (!(root instanceof QueryError)) parsed.push({ id: sub.id, root });
  }
  return (story) => {
    const view = new StoryView(story);
    const matches: Match[] = [];
    for (const { id, root } of parsed) {
      if (!satisfies(view, root)) continue;
      matches.push(new MatchRecord(id, new Explanation(view, [root], 0)));
    }
    return matches;
  };
}

/** Every subscription the story satisfies, in input order; queries that do not parse are skipped. */
export function bruteForceMatch(subs: readonly QuerySource[], story: Story): Match[] {
  return createBruteForceMatcher(subs)(story);
}
