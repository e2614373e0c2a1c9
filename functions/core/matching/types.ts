import type { Story } from '../stories/story.ts';

/** Story fields a query can search. A bare term searches headline, summary and body. */
export const STORY_FIELDS = ['headline', 'summary', 'body', 'byline', 'dateline', 'slugline'] as const;
export type StoryField = (typeof STORY_FIELDS)[number];

/** One place in the story where part of a query matched. Offsets are UTF-16 indexes into that field's text. */
export interface Hit {
  /** The query term that matched, as written in the query (`deportation`, `"mass deportations"`, `person:"Peña Nieto"`). */
  readonly term: string;
  /** A story field, or `metadata` for what an organisation, ticker or metadata term found there (offsets into `text`). */
  readonly field: StoryField | 'metadata';
  readonly start: number;
  readonly end: number;
  /** The story text that matched; for a metadata hit, what matched (`subject: immigration`, `lang: es`). */
  readonly text: string;
}

/** The sentence around the first hit; `highlights` are [start, end) offsets into `text`, sorted, non-overlapping. */
export interface Snippet {
  readonly text: string;
  readonly highlights: readonly (readonly [number, number])[];
}

/**
 * A subscription that a story satisfied, and why. `hits` and `snippet` are worked out on first read (once
 * per matched query and story, shared by every subscription with that query), so reading them costs nothing
 * for matches no one explains.
 */
export interface Match {
  readonly subscriptionId: string;
  readonly hits: readonly Hit[];
  readonly snippet: Snippet;
}

/** What the engine needs of a subscription. */
export interface QuerySource {
  readonly id: string;
  readonly query: string;
}

/** A query that does not parse or is too large. `position` is the 0-based character offset of the problem. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** All subscriptions compiled into one index. */
export interface MatchIndex {
  /** Number of subscriptions compiled into the index. */
  readonly size: number;
  /** Every subscription the story satisfies, with hits and a snippet. */
  match(story: Story): Match[];
}

/** One change to the subscriptions of a compiled index: `put` adds or replaces by id, `remove` takes it out. */
export type SubscriptionChange =
  | { readonly kind: 'put'; readonly id: string; readonly query: string }
  | { readonly kind: 'remove'; readonly id: string };

/** An index that takes changes in place, without recompiling the subscriptions that did not change. */
export interface IncrementalMatchIndex extends MatchIndex {
  /**
   * Applies the changes in order. A `put` whose query does not compile takes the subscription out and is
   * reported. Afterwards the index matches exactly as one compiled from the subscriptions as they now
   * stand: the compiled ones in their order (replacements in place, removals left out), then the added
   * ones in the order they were added.
   */
  apply(changes: readonly SubscriptionChange[]): { id: string; error: QueryError }[];
}

export interface CompileResult {
  readonly index: IncrementalMatchIndex;
  /** Subscriptions skipped because their query does not compile. */
  readonly errors: readonly { readonly id: string; readonly error: QueryError }[];
  /** Distinct queries indexed from plans (CompileOptions.plans) rather than parsed. */
  readonly planned: number;
}
