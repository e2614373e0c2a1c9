import { isLeaf, type LeafNode, type QueryNode } from './query/ast.ts';

/**
 * Shares identical leaves between queries, so per-story work on a leaf is done once. The parser asks it for
 * a leaf by its text before analysing it (`known`), so a leaf that many queries repeat is analysed (words,
 * stems in three languages, name readings) once per compile, not once per query.
 */
export class LeafInterner {
  private readonly leaves: (Map<string, LeafNode> | undefined)[] = [];

  intern(node: QueryNode): QueryNode {
    if (isLeaf(node)) return this.add(node);
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, children: node.children.map((child) => this.intern(child)) };
      case 'not':
        return { kind: 'not', child: this.intern(node.child) };
      case 'near':
        return {
          kind: 'near',
          left: this.add(node.left),
          right: this.add(node.right),
          distance: node.distance,
        };
    }
  }

  /**
   * The shared leaf with this text and field set, if any. A leaf's text says what it is: keywords and phrases
   * as written (quoted phrases with their quotes), people and the rest with their `person:`, `org:`... prefix
   * (`prefixed`), so the text and field set identify the leaf.
   */
  known(prefixed: boolean, fields: number, text: string): LeafNode | undefined {
    return this.leaves[(prefixed ? 64 : 0) + fields]?.get(text);
  }

  /** The shared leaf equal to this one: a known one, or this one from now on. */
  add(node: LeafNode): LeafNode {
    // One map per field set for keywords and phrases, one for the prefixed kinds: no key strings to build.
    const slot = (node.kind === 'term' || node.kind === 'phrase' ? 0 : 64) + node.fields;
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
