import { isLeaf, type LeafNode, type QueryNode } from './query/ast.ts';

/** Shares identical leaves between queries, so per-story work on a leaf is done once. */
export class LeafInterner {
  private readonly leaves: (Map<string, LeafNode> | undefined)[] = [];

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
