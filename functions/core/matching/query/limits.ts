/** Bounds that keep every query cheap to parse, store and evaluate. */
export const QUERY_LIMITS = {
  /** Characters in a query. */
  maxLength: 4000,
  /** Terms, phrases and people in a query. */
  maxTerms: 100,
  /** Words in one phrase or name. */
  maxPhraseWords: 32,
  /** Levels of parentheses and NOT. */
  maxDepth: 20,
  /** NEAR/n distances. */
  minNear: 1,
  maxNear: 100,
} as const;
