/**
 * Explanations (hits and snippet) of a matched query, computed lazily: at most once per matched query
 * and story, and only when something reads them (an alert being rendered, the CLI printing it). Every
 * subscription with that query shares the one explanation; leaves share their hit lists and snippets
 * across queries (see evaluate.ts and snippet.ts), so most explanations are cache lookups.
 */
import { explain } from './evaluate/evaluate.ts';
import type { QueryNode } from './query/ast.ts';
import { buildSnippet } from './snippet.ts';
import type { StoryView } from './story-view.ts';
import type { Hit, Match, Snippet } from './types.ts';

/** The hits and snippet of one query's match on one story, worked out on first read. */
export class Explanation {
  private cachedHits: readonly Hit[] | undefined;
  private cachedSnippet: Snippet | undefined;

  /**
   * The query is `roots[at]`, read only when the explanation is: at a million subscriptions that read is a
   * cache miss per matched query, which matches no one explains should not pay.
   */
  constructor(
    private readonly view: StoryView,
    private readonly roots: readonly (QueryNode | null | undefined)[],
    private readonly at: number,
  ) {}

  get hits(): readonly Hit[] {
    this.cachedHits ??= explain(this.view, this.roots[this.at] as QueryNode);
    return this.cachedHits;
  }

  get snippet(): Snippet {
    this.cachedSnippet ??= buildSnippet(this.view, this.hits);
    return this.cachedSnippet;
  }
}

/**
 * A Match as a class instance: one small object per match (the subscription id and its query's shared
 * Explanation), with `hits` and `snippet` read through to the explanation. A class rather than an
 * object literal also keeps V8 from pretenuring the allocation site in a burst of matches. The
 * explanation is a private field, so `toJSON` gives the plain `{ subscriptionId, hits, snippet }` and
 * the engine's caches never leak into serialised output.
 */
export class MatchRecord implements Match {
  readonly #ids: readonly string[];
  readonly #at: number;
  readonly #explanation: Explanation;

  /**
   * The subscription is `ids[at]`, read only when the id is: at a million subscriptions that read is a cache
   * miss per match, paid by whoever uses the id rather than by matching. Entries of `ids` never change.
   */
  constructor(ids: readonly string[], at: number, explanation: Explanation) {
    this.#ids = ids;
    this.#at = at;
    this.#explanation = explanation;
  }

  get subscriptionId(): string {
    return this.#ids[this.#at] as string;
  }

  get hits(): readonly Hit[] {
    return this.#explanation.hits;
  }

  get snippet(): Snippet {
    return this.#explanation.snippet;
  }

  toJSON(): { subscriptionId: string; hits: readonly Hit[]; snippet: Snippet } {
    return { subscriptionId: this.subscriptionId, hits: this.hits, snippet: this.snippet };
  }
}
