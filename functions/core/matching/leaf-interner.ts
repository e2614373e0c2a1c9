import { isLeaf, type LeafNode, type QueryNode } from './query/ast.ts';

/** What a query leaf was written as, for `LeafInterner.written`: the token's kind picks the map. */
export const WRITTEN_AS = { word: 0, phrase: 1, person: 2, entity: 3 } as const;
export type WrittenAs = (typeof WRITTEN_AS)[keyof typeof WRITTEN_AS];

/**
 * Shares identical leaves between queries, so per-story work on a leaf is done once. The parser also asks
 * it for a leaf by how it was written (`written`), so a leaf that many queries repeat is analysed (words,
 * stems in three languages, name readings) once per compile, not once per query.
 */
export class LeafInterner {
  private readonly leaves: (Map<string, LeafNode> | undefined)[] = [];
  private readonly byWriting: (Map<string, LeafNode> | undefined)[] = [];

  intern(node: QueryNode): QueryNode {
    if (isLeaf(node)) return this.leaf(node);
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, children: node.children.map((child) => this.intern(child)) };
      case 'not':
        return { kind: 'not', child: this.intern(node.child) };
      case 'near':
        return {
          kind: 'near',
          left: this.leaf(node.left),
          right: this.leaf(node.right),
          distance: node.distance,
        };
    }
  }

  /**
   * The shared leaf written this way with these fields (for entities `text` includes the field name,
   * `org:...`), or undefined when none is known yet: build it and pass it to `remember`.
   */
  written(as: WrittenAs, fields: number, text: string): LeafNode | undefined {
    return this.byWriting[as * 64 + fields]?.get(text);
  }

  /** Interns a leaf the parser built and records how it was written; returns the shared leaf. */
  remember(as: WrittenAs, fields: number, text: string, node: LeafNode): LeafNode {
    const slot = as * 64 + fields;
    let byText = this.byWriting[slot];
    if (byText === undefined) {
      byText = new Map();
      this.byWriting[slot] = byText;
    }
    const shared = this.leaf(node);
    byText.set(text, shared);
    return shared;
  }

  private leaf(node: LeafNode): LeafNode {
    // One map per kind and field set, keyed by the text as written: no key strings to build (people,
    // organisations, tickers and metadata filters share the third kind: their texts start with their prefix).
    const slot = (node.kind === 'term' ? 0 : node.kind === 'phrase' ? 1 : 2) * 64 + node.fields;
    let byText = this.leaves[slot];
    if (byText === undefined) {
      byText = new Map();
      this.leaves[slot] = byText;
    }
    const known = byText.get(node.text);
    if (known !== undefined) return known;
    byText.set(node.text, node);
    return node;
  }
}
