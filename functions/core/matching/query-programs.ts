/**
 * The index's queries as flat programs over leaf ids, evaluated with each distinct leaf worked out at most
 * once per story.
 *
 * Why: at a million subscriptions a story has thousands of candidate queries, and walking each one's tree of
 * objects (scattered over the heap) cost a cache miss per node. Here a query is a few integers in one
 * Int32Array, and a leaf's truth for the story sits in a dense array stamped with the story's generation, so
 * a leaf shared by many queries (most keywords are) is looked up once. Leaves are the tree's own (interned)
 * leaf objects and NEAR nodes, evaluated by `satisfies`, so the result is the tree's result, short-circuit
 * order included.
 *
 * Encoding, in prefix order: a leaf is one word `leafId << 2 | LEAF`; AND and OR are `childCount << 2 | op`,
 * then the node's length in words, then the children; NOT is `NOT`, its length, then the child.
 */
import { satisfies } from './evaluate/evaluate.ts';
import type { QueryNode } from './query/ast.ts';
import type { StoryView } from './story-view.ts';

const LEAF = 0;
const AND = 1;
const OR = 2;
const NOT = 3;

/** programStart value of a query whose tree did not parse (only a foreign plan can do this): it matches nothing. */
const NEVER = -1;

export class QueryPrograms {
  private code = new Int32Array(4096);
  private length = 0;
  /** Per query: 0 while not built, NEVER, or 1 + the offset of its program in `code`. */
  private start = new Int32Array(1024);
  private readonly leafIds = new Map<QueryNode, number>();
  private readonly leaves: QueryNode[] = [];
  private leafStamp = new Uint32Array(256);
  private leafTruth = new Uint8Array(256);
  private generation = 0;
  private view: StoryView | undefined;

  /** Whether the query's program exists (or is known to match nothing). */
  isBuilt(query: number): boolean {
    return query < this.start.length && this.start[query] !== 0;
  }

  /** Builds the program of a query from its tree (null: a tree that did not parse, matching nothing). */
  build(query: number, root: QueryNode | null): void {
    if (query >= this.start.length) {
      const grown = new Int32Array(Math.max(query + 1, this.start.length * 2));
      grown.set(this.start);
      this.start = grown;
    }
    if (root === null) {
      this.start[query] = NEVER;
      return;
    }
    this.start[query] = this.length + 1;
    this.emit(root);
  }

  /** Starts a story: every leaf's truth is unknown again. */
  beginStory(view: StoryView): void {
    this.view = view;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.leafStamp.fill(0);
      this.generation = 1;
    }
  }

  /** Does the current story satisfy the (built) query? */
  satisfied(query: number): boolean {
    const start = this.start[query] as number;
    return start > 0 && this.run(start - 1);
  }

  private run(at: number): boolean {
    const code = this.code;
    const header = code[at] as number;
    const op = header & 3;
    if (op === LEAF) return this.leaf(header >>> 2);
    if (op === NOT) return !this.run(at + 2);
    const count = header >>> 2;
    let child = at + 2;
    for (let i = 0; i < count; i++) {
      if (this.run(child) !== (op === AND)) return op === OR;
      const childHeader = code[child] as number;
      child += (childHeader & 3) === LEAF ? 1 : (code[child + 1] as number);
    }
    return op === AND;
  }

  private leaf(id: number): boolean {
    if (this.leafStamp[id] === this.generation) return this.leafTruth[id] === 1;
    const truth = satisfies(this.view as StoryView, this.leaves[id] as QueryNode);
    this.leafStamp[id] = this.generation;
    this.leafTruth[id] = truth ? 1 : 0;
    return truth;
  }

  private push(word: number): number {
    if (this.length === this.code.length) {
      const grown = new Int32Array(this.code.length * 2);
      grown.set(this.code);
      this.code = grown;
    }
    this.code[this.length] = word;
    return this.length++;
  }

  private emit(node: QueryNode): void {
    switch (node.kind) {
      case 'and':
      case 'or': {
        this.push((node.children.length << 2) | (node.kind === 'and' ? AND : OR));
        const lengthAt = this.push(0);
        for (const child of node.children) this.emit(child);
        this.code[lengthAt] = this.length - lengthAt + 1;
        return;
      }
      case 'not': {
        this.push(NOT);
        const lengthAt = this.push(0);
        this.emit(node.child);
        this.code[lengthAt] = this.length - lengthAt + 1;
        return;
      }
      default:
        this.push((this.leafId(node) << 2) | LEAF);
    }
  }

  /** Interned leaves are shared objects, so one id per distinct leaf; each NEAR node is its own leaf. */
  private leafId(node: QueryNode): number {
    let id = this.leafIds.get(node);
    if (id === undefined) {
      id = this.leaves.length;
      this.leaves.push(node);
      this.leafIds.set(node, id);
      if (id >= this.leafStamp.length) {
        const stamp = new Uint32Array(this.leafStamp.length * 2);
        stamp.set(this.leafStamp);
        this.leafStamp = stamp;
        const truth = new Uint8Array(this.leafTruth.length * 2);
        truth.set(this.leafTruth);
        this.leafTruth = truth;
      }
    }
    return id;
  }
}
