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
import { type StoryView, wordPair } from './story-view.ts';

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
  /** Per leaf: for a plain keyword (no acronym), the slot of its stem, else -1; and its fields. */
  private leafSlot = new Int32Array(256);
  private leafFields = new Uint8Array(256);
  /** Per leaf: for a phrase of two or more words, each two adjacent words' `wordPair` key, else undefined. */
  private readonly leafWordPairs: (readonly string[] | undefined)[] = [];
  /** The stems of plain keywords, each with a slot whose fields this story holds it in are stamped below. */
  private readonly slotOfStem = new Map<string, number>();
  private slotStamp = new Uint32Array(256);
  private slotMask = new Uint8Array(256);
  /** Whether keywords read the story's English stems (not a Spanish or German story): the slots apply. */
  private englishStems = false;
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
      this.slotStamp.fill(0);
      this.generation = 1;
    }
    // A keyword's truth is then one array read: the fields its stem occurs in, set here from the story's
    // few hundred stems, instead of a map lookup per keyword met.
    this.englishStems = view.keywordLanguage === undefined;
    if (this.englishStems && this.slotOfStem.size > 0) {
      const { slotOfStem, slotStamp, slotMask, generation } = this;
      for (const [stem, postings] of view.byStem) {
        const slot = slotOfStem.get(stem);
        if (slot === undefined) continue;
        slotStamp[slot] = generation;
        slotMask[slot] = postings.mask;
      }
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
    const slot = this.leafSlot[id] as number;
    if (slot >= 0 && this.englishStems) {
      const mask = this.slotStamp[slot] === this.generation ? (this.slotMask[slot] as number) : 0;
      return (mask & (this.leafFields[id] as number)) !== 0;
    }
    if (this.leafStamp[id] === this.generation) return this.leafTruth[id] === 1;
    const view = this.view as StoryView;
    const pairs = this.leafWordPairs[id];
    const truth =
      (pairs === undefined || allPresent(view.wordPairs, pairs)) &&
      satisfies(view, this.leaves[id] as QueryNode);
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
        this.leafStamp = grown(this.leafStamp, new Uint32Array(id * 2));
        this.leafTruth = grown(this.leafTruth, new Uint8Array(id * 2));
        this.leafSlot = grown(this.leafSlot, new Int32Array(id * 2));
        this.leafFields = grown(this.leafFields, new Uint8Array(id * 2));
      }
      const plainKeyword = node.kind === 'term' && node.word.acronym === undefined;
      this.leafSlot[id] = plainKeyword ? this.slotFor(node.word.stem) : -1;
      this.leafFields[id] = plainKeyword ? node.fields : 0;
      this.leafWordPairs.push(
        node.kind === 'phrase' && node.words.length > 1 ? wordPairs(node.words) : undefined,
      );
    }
    return id;
  }

  private slotFor(stem: string): number {
    let slot = this.slotOfStem.get(stem);
    if (slot === undefined) {
      slot = this.slotOfStem.size;
      this.slotOfStem.set(stem, slot);
      if (slot >= this.slotStamp.length) {
        this.slotStamp = grown(this.slotStamp, new Uint32Array(slot * 2));
        this.slotMask = grown(this.slotMask, new Uint8Array(slot * 2));
      }
      // Programs are built while a story is matched: a new slot must hold that story's fields at once.
      const postings = this.view?.byStem.get(stem);
      if (postings !== undefined) {
        this.slotStamp[slot] = this.generation;
        this.slotMask[slot] = postings.mask;
      }
    }
    return slot;
  }
}

function wordPairs(words: readonly { form: string }[]): string[] {
  const pairs: string[] = [];
  for (let i = 1; i < words.length; i++)
    pairs.push(wordPair((words[i - 1] as { form: string }).form, (words[i] as { form: string }).form));
  return pairs;
}

function allPresent(present: ReadonlySet<string>, keys: readonly string[]): boolean {
  for (const key of keys) if (!present.has(key)) return false;
  return true;
}

function grown<T extends Uint32Array | Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
