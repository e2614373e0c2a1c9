/** The parsed form of a query. Leaves carry everything evaluation needs; nothing refers back to the text. */
import { STORY_FIELDS, type StoryField } from '../types.ts';

/** A set of story fields as bits, in STORY_FIELDS order. */
export type FieldMask = number;

export function fieldBit(field: StoryField): FieldMask {
  return 1 << STORY_FIELDS.indexOf(field);
}

/** Where a term searches when the query gives no field: headline, summary and body. */
export const DEFAULT_FIELDS: FieldMask = fieldBit('headline') | fieldBit('summary') | fieldBit('body');

/** One query word, ready to compare with story tokens. */
export interface WordMatcher {
  /** Folded form (lower case, no accents). */
  readonly form: string;
  /** Stem of the form, for keyword matching. */
  readonly stem: string;
  /** For an acronym written in capitals (`US`, `U.S.`, `IMF`): the exact letters, compared case-sensitively. */
  readonly acronym?: string;
  /** Stems by story language, for the languages that inflect keywords (text/language-stemmers.ts). */
  readonly languageStems?: Readonly<Record<string, string>>;
}

/** A keyword: whole word, case- and accent-insensitive, plural-insensitive (or an exact acronym). */
export interface TermNode {
  readonly kind: 'term';
  /** As written in the query (without a field prefix). */
  readonly text: string;
  readonly fields: FieldMask;
  readonly word: WordMatcher;
}

/** Words in this order, exact forms, within one sentence. */
export interface PhraseNode {
  readonly kind: 'phrase';
  readonly text: string;
  readonly fields: FieldMask;
  readonly words: readonly WordMatcher[];
}

/** One way the story may write a person's surname on its own (`von der Leyen`, `Assad`, `Lula`). */
export interface SurnameForm {
  /** Folded words in order; the last is never a particle. */
  readonly words: readonly string[];
  /** Bit k set: word k is a particle (`von`, `der`, `al`), matched in any case; other words must be capitalised. */
  readonly particles: number;
}

/**
 * One reading of a person's name (see the README, "People"): `Ursula von der Leyen` -> given
 * `ursula`, surname `von der leyen`. A query has several readings when its split is uncertain
 * (`Xi Jinping`: surname first or last) or when it lists aliases.
 */
export interface PersonName {
  /** Folded given names in order, hyphenated ones split (`jean`, `claude`); empty for a one-word name. */
  readonly given: readonly string[];
  /** Folded initials written after the given names (`John F. Kelly` -> `f`). */
  readonly middles: readonly string[];
  /** Folded surname words, particles included. */
  readonly surname: readonly string[];
  /** Ways the surname may stand alone, longest first; the first is the whole surname. */
  readonly forms: readonly SurnameForm[];
  /** Read surname first (`Xi Jinping`, `Kim Jong-un`): a capitalised word after the surname is someone else's given name. */
  readonly surnameFirst: boolean;
  /** From the first given name, when the name lists say; decides which honorifics fit. */
  readonly gender?: 'male' | 'female';
  /** A one-word name (`Suharto`, `Pelé`): its own full name. */
  readonly mononym: boolean;
}

export interface PersonNode {
  readonly kind: 'person';
  /** As written, e.g. `person:"Peña Nieto"`. */
  readonly text: string;
  readonly fields: FieldMask;
  /** The readings of the name, one or more; a reference under any of them is a reference to the person. */
  readonly names: readonly PersonName[];
  /** Stems of which every reference contains at least one (the person's anchor clause). */
  readonly anchors: readonly string[];
}

export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly QueryNode[];
}

export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly QueryNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly child: QueryNode;
}

/** Both sides within `distance` words of each other, in either order, in the same field. */
export interface NearNode {
  readonly kind: 'near';
  readonly left: LeafNode;
  readonly right: LeafNode;
  readonly distance: number;
}

/** `org:"Baker Hughes"` / `company:`: an organisation named in the text or the story's metadata (evaluate/organisation.ts). */
export interface OrgNode {
  readonly kind: 'org';
  readonly text: string;
  readonly fields: FieldMask;
  /** Folded words of the name, without a legal suffix or a leading `The`. */
  readonly words: readonly string[];
  /** Metadata key of the name (metadata.ts). */
  readonly key: string;
}

/** `ticker:BKR`, `ticker:NYSE:BKR`: a ticker as wires write it, or in the story's metadata (evaluate/ticker.ts). */
export interface TickerNode {
  readonly kind: 'ticker';
  readonly text: string;
  readonly fields: FieldMask;
  /** The symbol as written, case-sensitive (`BKR`, `BRK.B`). */
  readonly symbol: string;
  /** Upper-case exchange (`NYSE`), when the query names one. */
  readonly exchange?: string;
}

/** Story metadata a filter reads (evaluate/metadata.ts). */
export const METADATA_FIELDS = ['subject', 'place', 'lang', 'source', 'urgency', 'status'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** `subject:`, `place:`/`country:`, `lang:`, `source:`/`provider:`, `urgency:<=N`, `status:`: a filter on metadata. */
export interface MetaNode {
  readonly kind: 'meta';
  readonly text: string;
  readonly fields: FieldMask;
  readonly field: MetadataField;
  /** Folded words a value must contain in this order (subject names, places, sources), or the one folded value (a code, a language, a status). */
  readonly words: readonly string[];
  /** urgency: the accepted range, inclusive. */
  readonly min?: number;
  readonly max?: number;
  /** The metadata keys any one of which a matching story has (anchors, metadata.ts). */
  readonly keys: readonly string[];
}

export type LeafNode = TermNode | PhraseNode | PersonNode | OrgNode | TickerNode | MetaNode;
export type QueryNode = LeafNode | AndNode | OrNode | NotNode | NearNode;

/** Which kinds are leaves; a Record so that a new node kind does not compile until it is placed here. */
const IS_LEAF_KIND: Readonly<Record<QueryNode['kind'], boolean>> = {
  term: true,
  phrase: true,
  person: true,
  org: true,
  ticker: true,
  meta: true,
  and: false,
  or: false,
  not: false,
  near: false,
};

export function isLeaf(node: QueryNode): node is LeafNode {
  return IS_LEAF_KIND[node.kind];
}
