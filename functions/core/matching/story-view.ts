/**
 * A story tokenized once per match call and shared by every subscription evaluated against it:
 * the tokens of each field, and which fields and positions each form and stem occurs at.
 */
import type { Story } from '../stories/story.ts';
import { type StoryMetadata, storyMetadata } from './metadata.ts';
import { languageStem, type StemmedLanguage, stemmedLanguage } from './text/language-stemmers.ts';
import { BREAK_BEFORE, CAPITALISED, type Token, tokenize } from './text/tokenize.ts';
import { STORY_FIELDS, type StoryField } from './types.ts';

/**
 * The text of a field as the engine sees it; Hit offsets index into this string.
 * `summary` joins the summary paragraphs and `byline` the authors with a blank line (so no
 * phrase runs from one into the next); a missing slugline is empty.
 */
export function fieldText(story: Story, field: StoryField): string {
  switch (field) {
    case 'headline':
      return story.headline;
    case 'summary':
      return story.summary.join('\n\n');
    case 'body':
      return story.body;
    case 'byline':
      return story.authors.join('\n\n');
    case 'dateline':
      return story.dateline;
    case 'slugline':
      return story.slugline ?? '';
  }
}

export interface FieldView {
  readonly field: StoryField;
  /** Index in STORY_FIELDS; bit `1 << index` in a FieldMask. */
  readonly index: number;
  readonly text: string;
  readonly tokens: readonly Token[];
}

const NO_POSITIONS: readonly number[] = [];

/**
 * The positions of every key of one map of a story (byStem, byForm...) in two typed arrays, each key's as a
 * linked list. Why not an array a key: most of a story's words occur once and are never evaluated, and with a
 * million subscriptions in the heap a few hundred small arrays a story were what young collections kept
 * copying (a long-tail run with --trace-gc: scavenges of 60-70 ms promoting 16 MB each, against under 1 ms).
 */
class PositionLists {
  readonly positions: Int32Array;
  /** Per entry: the next entry of the same key, or -1. */
  readonly next: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.positions = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  append(position: number): number {
    const at = this.length++;
    this.positions[at] = position;
    this.next[at] = -1;
    return at;
  }
}

/** Where a form or stem occurs: the fields (as a mask) and the encoded positions. A class, like Token. */
export class Postings {
  private head = -1;
  private tail = -1;
  private list: readonly number[] | undefined;
  constructor(
    public mask: number,
    private readonly lists: PositionLists | undefined,
  ) {}

  add(position: number): void {
    const lists = this.lists as PositionLists;
    const at = lists.append(position);
    if (this.head < 0) this.head = at;
    else lists.next[this.tail] = at;
    this.tail = at;
  }

  /** Ascending; made when first read (the positions are all added by then: a map is complete once built). */
  get positions(): readonly number[] {
    if (this.list !== undefined) return this.list;
    const lists = this.lists;
    if (lists === undefined || this.head < 0) return NO_POSITIONS;
    const list: number[] = [];
    for (let at = this.head; at >= 0; at = lists.next[at] as number) list.push(lists.positions[at] as number);
    this.list = list;
    return list;
  }
}

/** Field index and token index packed into one ascending number. Stories are at most 1 MiB, so at most ~2^19 tokens. */
export const POSITION_SPAN = 1 << 22;

function addPosting(
  map: Map<string, Postings>,
  lists: PositionLists,
  key: string,
  fieldIndex: number,
  position: number,
): void {
  const postings = map.get(key);
  if (postings === undefined) {
    const created = new Postings(1 << fieldIndex, lists);
    created.add(position);
    map.set(key, created);
  } else {
    postings.mask |= 1 << fieldIndex;
    postings.add(position);
  }
}

/** The key of two adjacent forms in `StoryView.wordPairs` (forms never hold a space). */
export function wordPair(first: string, second: string): string {
  return `${first} ${second}`;
}

export class StoryView {
  readonly fields: readonly FieldView[];
  /** Stem -> where it occurs, for keywords and for candidate selection. */
  readonly byStem = new Map<string, Postings>();
  /** Results computed once per story and reused by every subscription sharing a leaf. */
  readonly memo = new Map<object, unknown>();
  /** Hits per leaf, shared by every query containing the leaf. */
  readonly hitMemo = new Map<object, unknown>();
  /** Snippet windows by `field:start:end` of the first hit, shared by matches that start there. */
  readonly snippetWindows = new Map<string, unknown>();
  /** Snippets per hit list, shared by queries with the same hits. */
  readonly snippetMemo = new Map<object, unknown>();
  /** The folded words of each name in the story's people metadata (NITF, NewsML-G2, ninjs). */
  readonly peopleWords: readonly ReadonlySet<string>[];
  private forms: Map<string, Postings> | undefined;
  private pairs: Map<string, number> | undefined;
  private nameLike: Map<string, number> | undefined;
  private readonly informative: (boolean | undefined)[] = [];
  /** Metadata the organisation, ticker and metadata terms read, with its index keys. */
  readonly metadata: StoryMetadata;
  /** For a Spanish or German story: its language, whose rules inflect keywords (text/language-stemmers.ts). */
  readonly keywordLanguage: StemmedLanguage | undefined;
  /** For such a story: stem by its language's rules -> where it occurs; keywords are looked up here. */
  readonly byLanguageStem: Map<string, Postings> | undefined;

  constructor(readonly story: Story) {
    this.fields = STORY_FIELDS.map((field, index) => {
      const text = fieldText(story, field);
      return { field, index, text, tokens: text.length === 0 ? [] : tokenize(text) };
    });
    const stemLists = new PositionLists(this.tokenCount());
    for (const view of this.fields) {
      const base = view.index * POSITION_SPAN;
      const { tokens } = view;
      for (let tokenIndex = 0; tokenIndex < tokens.length; tokenIndex++)
        addPosting(this.byStem, stemLists, (tokens[tokenIndex] as Token).stem, view.index, base + tokenIndex);
    }
    this.peopleWords = story.people.map((person) => {
      const tokens = tokenize(person);
      // A name in the metadata is evidence for person queries: its stems make them candidates
      // (with no positions and no field, so no keyword matches them).
      for (const token of tokens)
        if (!this.byStem.has(token.stem)) this.byStem.set(token.stem, new Postings(0, undefined));
      return new Set(tokens.map((token) => token.form));
    });
    this.metadata = storyMetadata(story);
    this.keywordLanguage = stemmedLanguage(story.language);
    const language = this.keywordLanguage;
    if (language === undefined) {
      this.byLanguageStem = undefined;
    } else {
      const byLanguageStem = new Map<string, Postings>();
      const languageLists = new PositionLists(this.tokenCount());
      for (const view of this.fields) {
        const base = view.index * POSITION_SPAN;
        view.tokens.forEach((token, tokenIndex) => {
          const written = view.text.slice(token.start, token.end);
          addPosting(
            byLanguageStem,
            languageLists,
            languageStem(language, written),
            view.index,
            base + tokenIndex,
          );
        });
      }
      this.byLanguageStem = byLanguageStem;
    }
  }

  /**
   * What selects candidates in the index: the stems, the language stems, the metadata keys and the word pairs
   * (a key may come twice). The index reads the same keys from the maps and the tokens directly, building a
   * word pair's string only when its key filter lets it through.
   */
  get anchorKeys(): Iterable<string> {
    return [
      ...this.byStem.keys(),
      ...(this.byLanguageStem?.keys() ?? []),
      ...this.metadata.keys,
      ...this.wordPairs.keys(),
    ];
  }

  private tokenCount(): number {
    let count = 0;
    for (const view of this.fields) count += view.tokens.length;
    return count;
  }

  /** Form -> where it occurs, for phrases, acronyms and names. Built on first use. */
  get byForm(): Map<string, Postings> {
    if (this.forms === undefined) {
      this.forms = new Map();
      const formLists = new PositionLists(this.tokenCount());
      for (const view of this.fields) {
        const base = view.index * POSITION_SPAN;
        const { tokens } = view;
        for (let tokenIndex = 0; tokenIndex < tokens.length; tokenIndex++)
          addPosting(
            this.forms,
            formLists,
            (tokens[tokenIndex] as Token).form,
            view.index,
            base + tokenIndex,
          );
      }
    }
    return this.forms;
  }

  /**
   * Every two forms written next to each other within a sentence, as `wordPair(first, second)`, with the
   * fields (a mask) that write them so. A phrase can only occur where each two of its words do, so most
   * candidate phrases (both words in the story, rarely side by side) are ruled out without a walk over the
   * first word's positions, and a two-word phrase is decided by its pair alone. Built on first use.
   */
  get wordPairs(): ReadonlyMap<string, number> {
    if (this.pairs === undefined) {
      const pairs = new Map<string, number>();
      for (const view of this.fields) {
        const tokens = view.tokens;
        const bit = 1 << view.index;
        for (let i = 1; i < tokens.length; i++) {
          const token = tokens[i] as Token;
          if ((token.flags & BREAK_BEFORE) !== 0) continue;
          const pair = wordPair((tokens[i - 1] as Token).form, token.form);
          pairs.set(pair, (pairs.get(pair) ?? 0) | bit);
        }
      }
      this.pairs = pairs;
    }
    return this.pairs;
  }

  /**
   * Form -> the fields (a mask) where it is written as a name may be: capitalised, or anywhere in a field
   * whose capitals carry no meaning (see isCaseInformative). A person reference needs such a word (its
   * surname, or its given name after a title), so most candidate person queries (`person:"Chief Executive"`
   * when the story says `chief executive`) are ruled out by a lookup. Built on first use.
   */
  get nameLikeForms(): ReadonlyMap<string, number> {
    if (this.nameLike === undefined) {
      const nameLike = new Map<string, number>();
      for (const view of this.fields) {
        const anyCase = !this.isCaseInformative(view.index);
        const bit = 1 << view.index;
        for (const token of view.tokens) {
          if (anyCase || token.flags & CAPITALISED)
            nameLike.set(token.form, (nameLike.get(token.form) ?? 0) | bit);
        }
      }
      this.nameLike = nameLike;
    }
    return this.nameLike;
  }

  /**
   * Whether capitals carry meaning in a field: false for text in capitals or Title Case, where
   * every word looks like a name. Judged on words of four or more letters that do not start a
   * sentence (short words are lower case even in Title Case): informative when at least a
   * quarter of them are lower case.
   */
  isCaseInformative(fieldIndex: number): boolean {
    const known = this.informative[fieldIndex];
    if (known !== undefined) return known;
    let words = 0;
    let lower = 0;
    for (const token of this.fields[fieldIndex]?.tokens ?? []) {
      if (token.form.length < 4 || token.flags & BREAK_BEFORE) continue;
      const first = token.form.charCodeAt(0);
      if (first >= 48 && first <= 57) continue;
      words++;
      if ((token.flags & CAPITALISED) === 0) lower++;
    }
    const result = words === 0 || lower * 4 >= words;
    this.informative[fieldIndex] = result;
    return result;
  }
}
