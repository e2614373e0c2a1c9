/**
 * The person check of query-programs.ts: rules out a candidate person cheaply, before evaluate/person.ts
 * looks for references, from facts stamped once per story about the words of the names queried (slots),
 * read as small typed arrays instead of through each person's objects (scattered over a large heap at a
 * million subscriptions). Necessary conditions only: see `mayBeNamed`.
 */
import { type FieldContext, titleBefore } from './evaluate/references.ts';
import { DEFAULT_FIELDS, type PersonNode } from './query/ast.ts';
import { POSITION_SPAN, type StoryView } from './story-view.ts';
import { CAPITALISED, INITIAL } from './text/tokenize.ts';
import { withAppended, withRoom } from './typed-arrays.ts';

/** Bit of `initials` for an initial that is not a letter a-z. */
const OTHER_INITIAL = 1 << 26;

export class PersonChecks {
  /**
   * Each person's check, from the offset `describe` returns: its alternatives, then each one's item count and
   * items (`formSlot << 1 | 1` for a word written as a name may be, `formSlot << 1` for the word in any case),
   * an alternative holding when its items share a field; then whether a reading is a one-word name; the count
   * of first given names, then each one's form slot and initial bit (see `initials`); the count of surname
   * forms' first words, then their form slots.
   */
  private checks = new Int32Array(1024);
  private checksLength = 0;
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
  private generation = 0;
  private view: StoryView | undefined;
  /** Whether the slots hold this story's facts: stamped when a person is first checked. */
  private stamped = false;

  /** Starts a story (its facts are stamped when the first person is checked). */
  beginStory(view: StoryView): void {
    this.view = view;
    this.stamped = false;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.formStamp.fill(0);
      this.generation = 1;
    }
  }

  /**
   * For each person-name word of the story: the fields it occurs in, those it is written in as a name may be,
   * and those where it follows a title; and each field's initials.
   */
  private stampForms(view: StoryView): void {
    this.stamped = true;
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
  mayBeNamed(check: number, fields: number): boolean {
    if (!this.stamped) this.stampForms(this.view as StoryView);
    const { checks, formStamp, formMask, formNameLike, formTitled, generation } = this;
    let at = check;
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

  /** Encodes the person's check (see `checks`) and returns where it starts. */
  describe(node: PersonNode): number {
    const at = this.checksLength;
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
    return at;
  }

  private pushCheck(value: number): number {
    this.checks = withAppended(this.checks, this.checksLength, value);
    return this.checksLength++;
  }

  private formSlot(form: string): number {
    let slot = this.slotOfForm.get(form);
    if (slot === undefined) {
      slot = this.slotOfForm.size;
      this.slotOfForm.set(form, slot);
      if (slot >= this.formStamp.length) {
        this.formStamp = withRoom(this.formStamp, slot + 1);
        this.formMask = withRoom(this.formMask, slot + 1);
        this.formNameLike = withRoom(this.formNameLike, slot + 1);
        this.formTitled = withRoom(this.formTitled, slot + 1);
      }
      if (this.view !== undefined && this.stamped) this.stampNewForm(this.view, slot, form);
    }
    return slot;
  }

  /** A slot made while a story is matched (programs are built then) holds that story's facts at once. */
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
