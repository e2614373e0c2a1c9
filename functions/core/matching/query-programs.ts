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
 * then the node's length in words, then the children; NOT is `NOT`, its length, then the child. A query that
 * is one leaf has no code: its leaf id is kept where the offset of its program would be.
 */
import { satisfies } from './evaluate/evaluate.ts';
import { personOccurrences } from './evaluate/person.ts';
import { PersonChecks } from './person-check.ts';
import type { PersonNode, PhraseNode, QueryNode } from './query/ast.ts';
import { type StoryView, wordPair } from './story-view.ts';
import { withAppended, withRoom } from './typed-arrays.ts';

const LEAF = 0;
const AND = 1;
const OR = 2;
const NOT = 3;

/** programStart value of a query whose tree did not parse (only a foreign plan can do this): it matches nothing. */
const NEVER = -1;

/**
 * How a leaf is decided (leafKind). The common leaves are decided, or ruled out, by reads of small typed
 * arrays stamped once per story from the story's own words, instead of lookups through each leaf's objects
 * (at a million subscriptions those objects are scattered over a large heap, and every read was a cache miss).
 */
/** Evaluated by `satisfies`, memoized per story. */
const GENERAL = 0;
/** A plain keyword: the fields its stem's slot holds (English stories; otherwise GENERAL). */
const KEYWORD = 1;
/** A phrase of two words without acronyms: exactly the fields its word pair's slot holds. */
const PAIR = 2;
/** A longer phrase: ruled out when its pairs share no field, else GENERAL. */
const PHRASE = 3;
/** A person: ruled out when no reading can have a reference that counts (person-check.ts), else GENERAL. */
const PERSON = 4;

/** Which slots hold the current story's facts (`stamped`): each kind is stamped when a leaf first needs it. */
const STEMS = 1;
const PAIRS = 2;

export class QueryPrograms {
  private code = new Int32Array(4096);
  private length = 0;
  /**
   * Per query: 0 while not built, NEVER, 1 + the offset of its program in `code`, or -2 - its leaf's id (a query
   * of one leaf).
   */
  private start = new Int32Array(1024);
  private readonly leafIds = new Map<QueryNode, number>();
  private readonly leaves: QueryNode[] = [];
  private leafStamp = new Uint32Array(256);
  private leafTruth = new Uint8Array(256);
  /** Per leaf: how it is decided (GENERAL, KEYWORD, ...), its fields, and its slot (KEYWORD, PAIR) or check. */
  private leafKind = new Uint8Array(256);
  private leafFields = new Uint8Array(256);
  private leafSlot = new Int32Array(256);
  /** The checks of PHRASE leaves, at `leafSlot`: the phrase's pair count, then its pair slots. */
  private checks = new Int32Array(1024);
  private checksLength = 0;
  /** People's checks (person-check.ts): `leafSlot` of a PERSON leaf is where its check starts. */
  private readonly people = new PersonChecks();
  /** Word pairs of phrases, each with a slot holding the fields this story writes the pair in. */
  private readonly slotOfPair = new Map<string, number>();
  private pairStamp = new Uint32Array(256);
  private pairMask = new Uint8Array(256);
  /** The stems of plain keywords, each with a slot whose fields this story holds it in are stamped below. */
  private readonly slotOfStem = new Map<string, number>();
  /** The stem of each slot, and how many were looked up one by one in this story (stemFields). */
  private readonly slotStems: string[] = [];
  private stemLookups = 0;
  private slotStamp = new Uint32Array(256);
  private slotMask = new Uint8Array(256);
  /** Whether keywords read the story's English stems (not a Spanish or German story): the slots apply. */
  private englishStems = false;
  private generation = 0;
  private view: StoryView | undefined;
  /** STEMS | PAIRS: the slots stamped for this story so far. */
  private stamped = 0;

  /** Whether the query's program exists (or is known to match nothing). */
  isBuilt(query: number): boolean {
    return query < this.start.length && this.start[query] !== 0;
  }

  /** Builds the program of a query from its tree (null: a tree that did not parse, matching nothing). */
  build(query: number, root: QueryNode | null): void {
    this.start = withRoom(this.start, query + 1);
    if (root === null) {
      this.start[query] = NEVER;
      return;
    }
    if (root.kind === 'and' || root.kind === 'or' || root.kind === 'not') {
      this.start[query] = this.length + 1;
      this.emit(root);
    } else {
      // Most queries are one leaf: its id sits in `start` itself, so running it reads no code.
      this.start[query] = -2 - this.leafId(root);
    }
  }

  /** Starts a story: every leaf's truth is unknown again. */
  beginStory(view: StoryView): void {
    this.view = view;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.leafStamp.fill(0);
      this.slotStamp.fill(0);
      this.pairStamp.fill(0);
      this.generation = 1;
    }
    // Slots are stamped from the story's words when a leaf first needs them (a story with few candidates,
    // as at a long tail of subscriptions, may need none).
    this.englishStems = view.keywordLanguage === undefined;
    this.stamped = 0;
    this.stemLookups = 0;
    this.people.beginStory(view);
  }

  /**
   * A keyword's truth is then one array read: the fields its stem occurs in, set from the story's few
   * hundred stems, instead of a map lookup per keyword met.
   */
  private stampStems(view: StoryView): void {
    this.stamped |= STEMS;
    const { slotOfStem, slotStamp, slotMask, generation } = this;
    for (const [stem, postings] of view.byStem) {
      const slot = slotOfStem.get(stem);
      if (slot === undefined) continue;
      slotStamp[slot] = generation;
      slotMask[slot] = postings.mask;
    }
  }

  private stampPairs(view: StoryView): void {
    this.stamped |= PAIRS;
    const { slotOfPair, pairStamp, pairMask, generation } = this;
    for (const [pair, mask] of view.wordPairs) {
      const slot = slotOfPair.get(pair);
      if (slot === undefined) continue;
      pairStamp[slot] = generation;
      pairMask[slot] = mask;
    }
  }

  /** Does the current story satisfy the (built) query? */
  satisfied(query: number): boolean {
    const start = this.start[query] as number;
    if (start > 0) return this.run(start - 1);
    return start < NEVER && this.leaf(-2 - start);
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
    const kind = this.leafKind[id] as number;
    if (kind === KEYWORD && this.englishStems)
      return (this.stemFields(this.leafSlot[id] as number) & (this.leafFields[id] as number)) !== 0;
    if ((kind === PAIR || kind === PHRASE) && (this.stamped & PAIRS) === 0)
      this.stampPairs(this.view as StoryView);
    if (kind === PAIR)
      return (this.pairFields(this.leafSlot[id] as number) & (this.leafFields[id] as number)) !== 0;
    if (this.leafStamp[id] === this.generation) return this.leafTruth[id] === 1;
    const view = this.view as StoryView;
    const leaf = this.leaves[id] as QueryNode;
    const truth =
      kind === PERSON
        ? this.people.mayBeNamed(this.leafSlot[id] as number, this.leafFields[id] as number) &&
          personOccurrences(view, leaf as PersonNode, true).length > 0
        : (kind !== PHRASE || this.pairsShareField(id)) && satisfies(view, leaf);
    this.leafStamp[id] = this.generation;
    this.leafTruth[id] = truth ? 1 : 0;
    return truth;
  }

  /**
   * The fields of the story holding a keyword slot's stem. A story with few keyword leaves to decide (at a long
   * tail of subscriptions, about ten) looks their stems up one by one; past an eighth of the story's stems it
   * stamps every slot from the story's stems at once (stampStems).
   */
  private stemFields(slot: number): number {
    if (this.slotStamp[slot] === this.generation) return this.slotMask[slot] as number;
    if ((this.stamped & STEMS) !== 0) return 0;
    const view = this.view as StoryView;
    if (this.stemLookups * 8 < view.byStem.size) {
      this.stemLookups++;
      const mask = view.byStem.get(this.slotStems[slot] as string)?.mask ?? 0;
      this.slotStamp[slot] = this.generation;
      this.slotMask[slot] = mask;
      return mask;
    }
    this.stampStems(view);
    return this.slotStamp[slot] === this.generation ? (this.slotMask[slot] as number) : 0;
  }

  private pairFields(slot: number): number {
    return this.pairStamp[slot] === this.generation ? (this.pairMask[slot] as number) : 0;
  }

  /** A phrase occurs only in a field that writes each two of its adjacent words side by side. */
  private pairsShareField(id: number): boolean {
    const { checks } = this;
    const at = this.leafSlot[id] as number;
    const end = at + 1 + (checks[at] as number);
    let fields = this.leafFields[id] as number;
    for (let i = at + 1; i < end && fields !== 0; i++) fields &= this.pairFields(checks[i] as number);
    return fields !== 0;
  }

  private push(word: number): number {
    this.code = withAppended(this.code, this.length, word);
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
        this.leafStamp = withRoom(this.leafStamp, id + 1);
        this.leafTruth = withRoom(this.leafTruth, id + 1);
        this.leafSlot = withRoom(this.leafSlot, id + 1);
        this.leafFields = withRoom(this.leafFields, id + 1);
        this.leafKind = withRoom(this.leafKind, id + 1);
      }
      this.describeLeaf(id, node);
    }
    return id;
  }

  /** Sets how a new leaf is decided (see leafKind). */
  private describeLeaf(id: number, node: QueryNode): void {
    this.leafKind[id] = GENERAL;
    this.leafSlot[id] = -1;
    this.leafFields[id] = 0;
    if (node.kind === 'term' && node.word.acronym === undefined) {
      this.leafKind[id] = KEYWORD;
      this.leafSlot[id] = this.slotFor(node.word.stem);
      this.leafFields[id] = node.fields;
    } else if (node.kind === 'phrase' && node.words.length > 1) {
      this.describePhrase(id, node);
    } else if (node.kind === 'person') {
      this.leafKind[id] = PERSON;
      this.leafFields[id] = node.fields;
      this.leafSlot[id] = this.people.describe(node);
    }
  }

  private describePhrase(id: number, node: PhraseNode): void {
    const pairs = wordPairs(node.words);
    this.leafFields[id] = node.fields;
    if (pairs.length === 1 && node.words.every((word) => word.acronym === undefined)) {
      // Two plain words: the story writes the pair side by side in a sentence of a field, or the phrase is not there.
      this.leafKind[id] = PAIR;
      this.leafSlot[id] = this.pairSlot(pairs[0] as string);
      return;
    }
    this.leafKind[id] = PHRASE;
    this.leafSlot[id] = this.checksLength;
    this.pushCheck(pairs.length);
    for (const pair of pairs) this.pushCheck(this.pairSlot(pair));
  }

  private pushCheck(value: number): number {
    this.checks = withAppended(this.checks, this.checksLength, value);
    return this.checksLength++;
  }

  private pairSlot(pair: string): number {
    let slot = this.slotOfPair.get(pair);
    if (slot === undefined) {
      slot = this.slotOfPair.size;
      this.slotOfPair.set(pair, slot);
      if (slot >= this.pairStamp.length) {
        this.pairStamp = withRoom(this.pairStamp, slot + 1);
        this.pairMask = withRoom(this.pairMask, slot + 1);
      }
      // As in slotFor: a slot made while a story is matched holds that story's fields at once.
      const mask = this.stamped & PAIRS ? this.view?.wordPairs.get(pair) : undefined;
      if (mask !== undefined) {
        this.pairStamp[slot] = this.generation;
        this.pairMask[slot] = mask;
      }
    }
    return slot;
  }

  private slotFor(stem: string): number {
    let slot = this.slotOfStem.get(stem);
    if (slot === undefined) {
      slot = this.slotOfStem.size;
      this.slotOfStem.set(stem, slot);
      this.slotStems.push(stem);
      if (slot >= this.slotStamp.length) {
        this.slotStamp = withRoom(this.slotStamp, slot + 1);
        this.slotMask = withRoom(this.slotMask, slot + 1);
      }
      // Programs are built while a story is matched: a new slot must hold that story's fields at once, when
      // that story's stems were stamped already (else they will be, this slot included).
      const postings = this.stamped & STEMS ? this.view?.byStem.get(stem) : undefined;
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
