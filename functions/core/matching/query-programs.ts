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
import { type FieldContext, titleBefore } from './evaluate/references.ts';
import { DEFAULT_FIELDS, type PersonNode, type PhraseNode, type QueryNode } from './query/ast.ts';
import { POSITION_SPAN, type StoryView, wordPair } from './story-view.ts';
import { CAPITALISED, INITIAL } from './text/tokenize.ts';

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
/** A person: ruled out when no reading can have a reference that counts (see mayBeNamed), else GENERAL. */
const PERSON = 4;

/** Which slots hold the current story's facts (`stamped`): each kind is stamped when a leaf first needs it. */
const STEMS = 1;
const PAIRS = 2;
const FORMS = 4;

/** Bit of `initials` for an initial that is not a letter a-z. */
const OTHER_INITIAL = 1 << 26;

export class QueryPrograms {
  private code = new Int32Array(4096);
  private length = 0;
  /** Per query: 0 while not built, NEVER, 1 + the offset of its program in `code`, or -2 - its leaf's id (a query of one leaf). */
  private start = new Int32Array(1024);
  private readonly leafIds = new Map<QueryNode, number>();
  private readonly leaves: QueryNode[] = [];
  private leafStamp = new Uint32Array(256);
  private leafTruth = new Uint8Array(256);
  /** Per leaf: how it is decided (GENERAL, KEYWORD, ...), its fields, and its slot (KEYWORD, PAIR) or check. */
  private leafKind = new Uint8Array(256);
  private leafFields = new Uint8Array(256);
  private leafSlot = new Int32Array(256);
  /**
   * The checks of PHRASE and PERSON leaves, at `leafSlot`: a phrase's pair count, then its pair slots. A
   * person's: its alternatives, then each one's item count and items (`formSlot << 1 | 1` for a word written
   * as a name may be, `formSlot << 1` for the word in any case), an alternative holding when its items share
   * a field; then whether a reading is a one-word name; the count of first given names, then each one's form
   * slot and initial bit (see `initials`); the count of surname forms' first words, then their form slots.
   */
  private checks = new Int32Array(1024);
  private checksLength = 0;
  /** Word pairs of phrases, each with a slot holding the fields this story writes the pair in. */
  private readonly slotOfPair = new Map<string, number>();
  private pairStamp = new Uint32Array(256);
  private pairMask = new Uint8Array(256);
  /** Words of person names, each with a slot: the fields it occurs in, and where it is written as a name may be. */
  private readonly slotOfForm = new Map<string, number>();
  private formStamp = new Uint32Array(256);
  private formMask = new Uint8Array(256);
  private formNameLike = new Uint8Array(256);
  /** Per form slot: the fields where the word follows a title (`Mr. Kelly`, `Secretary of State Kelly`). */
  private formTitled = new Uint8Array(256);
  /** Per field of the story: the first letters of its initials (`J.`, `A`), bit 0 for `a`; OTHER_INITIAL. */
  private readonly initials = new Int32Array(8);
  /** Whether the story's metadata names people (a person may then be identified there). */
  private storyNamesPeople = false;
  /** The stems of plain keywords, each with a slot whose fields this story holds it in are stamped below. */
  private readonly slotOfStem = new Map<string, number>();
  private slotStamp = new Uint32Array(256);
  private slotMask = new Uint8Array(256);
  /** Whether keywords read the story's English stems (not a Spanish or German story): the slots apply. */
  private englishStems = false;
  private generation = 0;
  private view: StoryView | undefined;
  /** STEMS | PAIRS | FORMS: the slots stamped for this story so far. */
  private stamped = 0;

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
      this.formStamp.fill(0);
      this.generation = 1;
    }
    // Slots are stamped from the story's words when a leaf first needs them (a story with few candidates,
    // as at a long tail of subscriptions, may need none).
    this.englishStems = view.keywordLanguage === undefined;
    this.stamped = 0;
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

  /**
   * For each person-name word of the story: the fields it occurs in, those it is written in as a name may be,
   * and those where it follows a title; and each field's initials.
   */
  private stampForms(view: StoryView): void {
    this.stamped |= FORMS;
    const { slotOfForm, formStamp, formMask, formNameLike, formTitled, initials, generation } = this;
    this.storyNamesPeople = view.peopleWords.length > 0;
    initials.fill(0);
    for (const field of view.fields) {
      const bit = 1 << field.index;
      const context = fieldContext(view, field.index);
      const anyCase = !context.informative;
      const { tokens } = field;
      for (let index = 0; index < tokens.length; index++) {
        const token = tokens[index] as NonNullable<(typeof tokens)[number]>;
        if (token.flags & INITIAL)
          initials[field.index] = (initials[field.index] as number) | initialBit(token.form);
        const slot = slotOfForm.get(token.form);
        if (slot === undefined) continue;
        const nameLike = anyCase || (token.flags & CAPITALISED) !== 0 ? bit : 0;
        const titled = titleBefore(index, context) === undefined ? 0 : bit;
        if (formStamp[slot] !== generation) {
          formStamp[slot] = generation;
          formMask[slot] = bit;
          formNameLike[slot] = nameLike;
          formTitled[slot] = titled;
        } else {
          formMask[slot] = (formMask[slot] as number) | bit;
          formNameLike[slot] = (formNameLike[slot] as number) | nameLike;
          formTitled[slot] = (formTitled[slot] as number) | titled;
        }
      }
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
    if (kind === KEYWORD && this.englishStems) {
      if ((this.stamped & STEMS) === 0) this.stampStems(this.view as StoryView);
      const slot = this.leafSlot[id] as number;
      const mask = this.slotStamp[slot] === this.generation ? (this.slotMask[slot] as number) : 0;
      return (mask & (this.leafFields[id] as number)) !== 0;
    }
    if ((kind === PAIR || kind === PHRASE) && (this.stamped & PAIRS) === 0)
      this.stampPairs(this.view as StoryView);
    if (kind === PERSON && (this.stamped & FORMS) === 0) this.stampForms(this.view as StoryView);
    if (kind === PAIR)
      return (this.pairFields(this.leafSlot[id] as number) & (this.leafFields[id] as number)) !== 0;
    if (this.leafStamp[id] === this.generation) return this.leafTruth[id] === 1;
    const view = this.view as StoryView;
    const leaf = this.leaves[id] as QueryNode;
    const truth =
      kind === PERSON
        ? this.mayBeNamed(id) && personOccurrences(view, leaf as PersonNode, true).length > 0
        : (kind !== PHRASE || this.pairsShareField(id)) && satisfies(view, leaf);
    this.leafStamp[id] = this.generation;
    this.leafTruth[id] = truth ? 1 : 0;
    return truth;
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

  /**
   * Whether the person may have a reference that counts (evaluate/person.ts), by necessary conditions only:
   *  - some reading has a surname form whose words all occur in one of the person's fields (the first one,
   *    unless a particle, written as a name may be: capitalised, or in a field whose capitals mean nothing;
   *    a one-word form likewise), or its first given name written so (after a title);
   *  - and, unless a reading is a one-word name (which counts bare) or the story's metadata names people,
   *    some reference is full or titled, which every other kind needs in order to count: so some reading's
   *    first given name, or an initial with its first letter, occurs in the fields searched for evidence, or
   *    the first word of some surname form follows a title there.
   */
  private mayBeNamed(id: number): boolean {
    const { checks, formStamp, formMask, formNameLike, formTitled, generation } = this;
    const fields = this.leafFields[id] as number;
    let at = this.leafSlot[id] as number;
    const alternatives = checks[at++] as number;
    let written = false;
    for (let a = 0; a < alternatives; a++) {
      const items = checks[at++] as number;
      let shared = fields;
      for (let i = 0; i < items; i++) {
        const item = checks[at + i] as number;
        const slot = item >>> 1;
        shared &=
          formStamp[slot] !== generation
            ? 0
            : item & 1
              ? (formNameLike[slot] as number)
              : (formMask[slot] as number);
      }
      at += items;
      if (shared !== 0) written = true;
    }
    if (!written) return false;
    if (checks[at++] === 1 || this.storyNamesPeople) return true;
    const evidence = fields | DEFAULT_FIELDS;
    const givens = checks[at++] as number;
    for (let g = 0; g < givens; g++, at += 2) {
      const slot = checks[at] as number;
      if (formStamp[slot] === generation && ((formMask[slot] as number) & evidence) !== 0) return true;
      if (this.initialIn(checks[at + 1] as number, evidence)) return true;
    }
    const firstWords = checks[at++] as number;
    for (let f = 0; f < firstWords; f++) {
      const slot = checks[at + f] as number;
      if (formStamp[slot] === generation && ((formTitled[slot] as number) & evidence) !== 0) return true;
    }
    return false;
  }

  /** Whether an initial with this bit (-1: any initial at all) is written in one of the fields. */
  private initialIn(bit: number, fields: number): boolean {
    for (let field = 0; field < this.initials.length; field++) {
      if (((1 << field) & fields) !== 0 && ((this.initials[field] as number) & bit) !== 0) return true;
    }
    return false;
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
        this.leafKind = grown(this.leafKind, new Uint8Array(id * 2));
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
      this.describePerson(id, node);
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

  private describePerson(id: number, node: PersonNode): void {
    this.leafKind[id] = PERSON;
    this.leafFields[id] = node.fields;
    this.leafSlot[id] = this.checksLength;
    const alternativesAt = this.pushCheck(0);
    let alternatives = 0;
    for (const name of node.names) {
      for (const form of name.forms) {
        const { words } = form;
        if (words.length === 0) continue;
        this.pushCheck(words.length);
        words.forEach((word, k) => {
          // A form's first word must look like a name unless it is a particle; later words may follow a hyphen.
          const nameLike = words.length === 1 || (k === 0 && ((form.particles >> k) & 1) === 0);
          this.pushCheck((this.formSlot(word) << 1) | (nameLike ? 1 : 0));
        });
        alternatives++;
      }
      const given = name.given[0];
      if (given !== undefined) {
        this.pushCheck(1);
        this.pushCheck((this.formSlot(given) << 1) | 1);
        alternatives++;
      }
    }
    this.checks[alternativesAt] = alternatives;
    this.pushCheck(node.names.some((name) => name.mononym) ? 1 : 0);
    const givens = node.names.flatMap((name) => (name.given[0] === undefined ? [] : [name.given[0]]));
    this.pushCheck(givens.length);
    for (const given of givens) {
      this.pushCheck(this.formSlot(given));
      // `J. Kelly` is a full name for John Kelly; a given name of one letter is compatible with any word it starts.
      this.pushCheck(given.length === 1 ? -1 : initialBit(given));
    }
    const firstWords = node.names.flatMap((name) => name.forms.flatMap((form) => form.words.slice(0, 1)));
    this.pushCheck(firstWords.length);
    for (const word of firstWords) this.pushCheck(this.formSlot(word));
  }

  private pushCheck(value: number): number {
    if (this.checksLength === this.checks.length)
      this.checks = grown(this.checks, new Int32Array(this.checks.length * 2));
    this.checks[this.checksLength] = value;
    return this.checksLength++;
  }

  private pairSlot(pair: string): number {
    let slot = this.slotOfPair.get(pair);
    if (slot === undefined) {
      slot = this.slotOfPair.size;
      this.slotOfPair.set(pair, slot);
      if (slot >= this.pairStamp.length) {
        this.pairStamp = grown(this.pairStamp, new Uint32Array(slot * 2));
        this.pairMask = grown(this.pairMask, new Uint8Array(slot * 2));
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
      if (slot >= this.slotStamp.length) {
        this.slotStamp = grown(this.slotStamp, new Uint32Array(slot * 2));
        this.slotMask = grown(this.slotMask, new Uint8Array(slot * 2));
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

  private formSlot(form: string): number {
    let slot = this.slotOfForm.get(form);
    if (slot === undefined) {
      slot = this.slotOfForm.size;
      this.slotOfForm.set(form, slot);
      if (slot >= this.formStamp.length) {
        this.formStamp = grown(this.formStamp, new Uint32Array(slot * 2));
        this.formMask = grown(this.formMask, new Uint8Array(slot * 2));
        this.formNameLike = grown(this.formNameLike, new Uint8Array(slot * 2));
        this.formTitled = grown(this.formTitled, new Uint8Array(slot * 2));
      }
      if (this.view !== undefined && this.stamped & FORMS) this.stampNewForm(this.view, slot, form);
    }
    return slot;
  }

  /** As in slotFor: a slot made while a story is matched holds that story's facts at once. */
  private stampNewForm(view: StoryView, slot: number, form: string): void {
    const postings = view.byForm.get(form);
    if (postings === undefined) return;
    let titled = 0;
    for (const position of postings.positions) {
      const field = Math.floor(position / POSITION_SPAN);
      if (titleBefore(position - field * POSITION_SPAN, fieldContext(view, field)) !== undefined)
        titled |= 1 << field;
    }
    this.formStamp[slot] = this.generation;
    this.formMask[slot] = postings.mask;
    this.formNameLike[slot] = view.nameLikeForms.get(form) ?? 0;
    this.formTitled[slot] = titled;
  }
}

/** The bit of an initial's first letter in `initials`. */
function initialBit(form: string): number {
  const letter = form.charCodeAt(0) - 97;
  return letter >= 0 && letter < 26 ? 1 << letter : OTHER_INITIAL;
}

function fieldContext(view: StoryView, field: number): FieldContext {
  const fieldView = view.fields[field];
  return {
    tokens: fieldView?.tokens ?? [],
    text: fieldView?.text ?? '',
    informative: view.isCaseInformative(field),
  };
}

function wordPairs(words: readonly { form: string }[]): string[] {
  const pairs: string[] = [];
  for (let i = 1; i < words.length; i++)
    pairs.push(wordPair((words[i - 1] as { form: string }).form, (words[i] as { form: string }).form));
  return pairs;
}

function grown<T extends Uint32Array | Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
