import { isLeaf, type LeafNode, type QueryNode } from './query/ast.ts';

/** Where the parser looks a leaf up by its text before analysing it, and leaves the ones it analysed. */
export interface LeafSource {
  known(prefixed: boolean, fields: number, text: string): LeafNode | undefined;
  add(node: LeafNode): LeafNode;
}

/** One map per field set for keywords and phrases, one per field set for the prefixed kinds. */
function slotOf(prefixed: boolean, fields: number): number {
  return (prefixed ? 64 : 0) + fields;
}

/** The map a leaf goes in (no key strings to build: the text and the slot identify it). */
function slotOfLeaf(node: LeafNode): number {
  return slotOf(node.kind !== 'term' && node.kind !== 'phrase', node.fields);
}

/**
 * Shares identical leaves between queries, so per-story work on a leaf is done once. The parser asks it for
 * a leaf by its text before analysing it (`known`), so a leaf that many queries repeat is analysed (words,
 * stems in three languages, name readings) once per compile, not once per query.
 */
export class LeafInterner implements LeafSource {
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
    return this.leaves[slotOf(prefixed, fields)]?.get(text);
  }

  /** The shared leaf equal to this one: a known one, or this one from now on. */
  add(node: LeafNode): LeafNode {
    const slot = slotOfLeaf(node);
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

/**
 * The compile's leaf cache: a leaf met again is kept for the whole compile, a leaf met once is forgotten after
 * `recentLimit` newer ones. So a keyword in 10,000 queries is still analysed once, while a long tail of names
 * seen once dies young (keeping a million such leaves to the end made garbage collection half of compile time).
 */
export class LeafCache implements LeafSource {
  private readonly kept: (Map<string, LeafNode> | undefined)[] = [];
  private recent: (Map<string, LeafNode> | undefined)[] = [];
  private recentCount = 0;

  /** 4,096 recent leaves: a few megabytes, gone within a young-generation collection or two. */
  constructor(private readonly recentLimit = 4096) {}

  known(prefixed: boolean, fields: number, text: string): LeafNode | undefined {
    const slot = slotOf(prefixed, fields);
    const kept = this.kept[slot]?.get(text);
    if (kept !== undefined) return kept;
    const recent = this.recent[slot]?.get(text);
    if (recent !== undefined) mapAt(this.kept, slot).set(text, recent);
    return recent;
  }

  /** The leaf, remembered as recent (the parser adds a leaf only after `known` missed it). */
  add(node: LeafNode): LeafNode {
    if (this.recentCount === this.recentLimit) {
      this.recent = [];
      this.recentCount = 0;
    }
    const slot = slotOfLeaf(node);
    mapAt(this.recent, slot).set(node.text, node);
    this.recentCount++;
    return node;
  }
}

function mapAt(maps: (Map<string, LeafNode> | undefined)[], slot: number): Map<string, LeafNode> {
  let map = maps[slot];
  if (map === undefined) {
    map = new Map();
    maps[slot] = map;
  }
  return map;
}
