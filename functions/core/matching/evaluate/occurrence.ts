/** A span of tokens in one field where a leaf of a query matched. A class, like Token. */
export class Occurrence {
  constructor(
    readonly field: number,
    /** Index of the first token of the span (for a titled reference, the title). */
    readonly first: number,
    /** Index of the last token of the span. */
    readonly last: number,
  ) {}
}

export const NO_OCCURRENCES: readonly Occurrence[] = Object.freeze([]);
