/**
 * The parser's shortcut for the commonest query shapes: lower-case words, quoted phrases, `person:` names and
 * `headline:word`, joined by spaces, AND, OR, NOT, `-`, NEAR/n and parentheses. It reads them straight from
 * the string, with no tokens and no parser object (compile parses a million queries, most of them of these
 * shapes), and returns exactly the tree parser.ts would build, or undefined for anything else, which the
 * general lexer and parser then read (and report, when it is an error).
 *
 * Anything it is not sure of goes to the general path: other whitespace, two spaces, capitals outside
 * operators and names, other field prefixes, deeper nesting, more terms. It first reads the query without
 * making leaves, so a query it gives up on half-way has touched no leaf (nor the compile's leaf cache).
 */
import type { LeafSource } from '../leaf-interner.ts';
import { QueryError, STORY_FIELDS, type StoryField } from '../types.ts';
import { DEFAULT_FIELDS, type FieldMask, fieldBit, isLeaf, type LeafNode, type QueryNode } from './ast.ts';
import { personLeaf, wordLeaf } from './leaves.ts';
import { QUERY_LIMITS } from './limits.ts';

/** Well inside the parser's bounds (QUERY_LIMITS.maxDepth, maxTerms): longer queries take the general path. */
const MAX_DEPTH = 4;
const MAX_TERMS = 24;

/** What a dry read returns for a leaf: a leaf, so that NEAR's check reads it as one. */
const PLACEHOLDER: LeafNode = {
  kind: 'term',
  text: '',
  fields: DEFAULT_FIELDS,
  word: { form: '', stem: '' },
};

/** Thrown to give up: the general path reads the query. */
const GIVE_UP = Symbol('give up');

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isLetter(code: number): boolean {
  return isLower(code | 0x20);
}

class Shortcut {
  private at = 0;
  private terms = 0;

  constructor(
    private readonly query: string,
    /** False for the dry read: leaves are not made. */
    private readonly build: boolean,
    private readonly interner: LeafSource | undefined,
  ) {}

  parse(): QueryNode {
    const node = this.or(0);
    if (this.at !== this.query.length) throw GIVE_UP;
    return node;
  }

  private startsWith(text: string): boolean {
    return this.query.startsWith(text, this.at);
  }

  private skip(text: string): boolean {
    if (!this.startsWith(text)) return false;
    this.at += text.length;
    return true;
  }

  /** The character code at the cursor; NaN at the end. */
  private code(): number {
    return this.query.charCodeAt(this.at);
  }

  /** Where a word may end: the end, a space or a closing parenthesis (the lexer ends words at more). */
  private atWordEnd(): boolean {
    return this.at === this.query.length || this.code() === 32 || this.code() === 41;
  }

  private or(depth: number): QueryNode {
    const first = this.and(depth);
    if (!this.startsWith(' OR ')) return first;
    const children = [first];
    while (this.skip(' OR ')) children.push(this.and(depth));
    return { kind: 'or', children };
  }

  private and(depth: number): QueryNode {
    const first = this.unary(depth);
    let children: QueryNode[] | undefined;
    for (;;) {
      if (this.atEndOfAnd()) break;
      if (!this.skip(' AND ') && !this.skip(' ')) throw GIVE_UP;
      children ??= [first];
      children.push(this.unary(depth));
    }
    return children === undefined ? first : { kind: 'and', children };
  }

  private atEndOfAnd(): boolean {
    return this.at === this.query.length || this.code() === 41 || this.startsWith(' OR ');
  }

  private unary(depth: number): QueryNode {
    if (this.skip('NOT ') || (this.code() === 45 && this.skip('-'))) {
      if (depth + 1 > MAX_DEPTH) throw GIVE_UP;
      return { kind: 'not', child: this.unary(depth + 1) };
    }
    return this.near(depth);
  }

  private near(depth: number): QueryNode {
    const left = this.primary(depth);
    if (!this.skip(' NEAR/')) return left;
    let distance = 0;
    const digitsAt = this.at;
    for (let code = this.code(); code >= 48 && code <= 57; code = this.code()) {
      distance = distance * 10 + (code - 48);
      this.at++;
    }
    const digits = this.at - digitsAt;
    if (digits === 0 || digits > 3 || distance < QUERY_LIMITS.minNear || distance > QUERY_LIMITS.maxNear) {
      throw GIVE_UP;
    }
    if (!this.skip(' ')) throw GIVE_UP;
    const right = this.primary(depth);
    if (!isLeaf(left) || !isLeaf(right) || this.startsWith(' NEAR')) throw GIVE_UP;
    return { kind: 'near', left, right, distance };
  }

  private primary(depth: number): QueryNode {
    const code = this.code();
    if (code === 40) {
      // `(`: a group, returned as its inner node (as the parser does).
      if (depth + 1 > MAX_DEPTH) throw GIVE_UP;
      this.at++;
      const inner = this.or(depth + 1);
      if (!this.skip(')')) throw GIVE_UP;
      return inner;
    }
    if (code === 34) return this.phrase(DEFAULT_FIELDS);
    if (!isLower(code)) throw GIVE_UP;
    const start = this.at;
    while (isLower(this.code())) this.at++;
    if (this.atWordEnd()) return this.word(start, DEFAULT_FIELDS);
    if (this.code() !== 58) throw GIVE_UP; // only `:` may follow, for a field prefix
    const name = this.query.slice(start, this.at);
    this.at++;
    if (name === 'person') return this.person(start);
    if (!(STORY_FIELDS as readonly string[]).includes(name)) throw GIVE_UP;
    const fields = fieldBit(name as StoryField);
    if (this.code() === 34) return this.phrase(fields);
    const wordAt = this.at;
    while (isLower(this.code())) this.at++;
    if (this.at === wordAt || !this.atWordEnd()) throw GIVE_UP;
    return this.word(wordAt, fields);
  }

  private countTerm(): void {
    this.terms++;
    if (this.terms > MAX_TERMS) throw GIVE_UP;
  }

  /** A lower-case word from `start` to the cursor. */
  private word(start: number, fields: FieldMask): LeafNode {
    this.countTerm();
    if (!this.build) return PLACEHOLDER;
    const text = this.query.slice(start, this.at);
    const token = { type: 'word' as const, text, pos: start };
    const interner = this.interner;
    if (interner === undefined) return wordLeaf(token, fields);
    return interner.known(false, fields, text) ?? interner.add(wordLeaf(token, fields));
  }

  /** The quoted text at the cursor, as the lexer reads it: up to the next quote, then a word end. */
  private quoted(): { text: string; raw: string; pos: number } | undefined {
    const pos = this.at;
    const close = this.query.indexOf('"', pos + 1);
    if (close < 0) throw GIVE_UP;
    this.at = close + 1;
    if (!this.atWordEnd()) throw GIVE_UP;
    if (!this.build) return undefined;
    return { text: this.query.slice(pos + 1, close), raw: this.query.slice(pos, close + 1), pos };
  }

  private phrase(fields: FieldMask): LeafNode {
    const quoted = this.quoted();
    this.countTerm();
    if (quoted === undefined) return PLACEHOLDER;
    const token = { type: 'phrase' as const, ...quoted };
    const interner = this.interner;
    if (interner === undefined) return wordLeaf(token, fields);
    return interner.known(false, fields, quoted.raw) ?? interner.add(wordLeaf(token, fields));
  }

  /** `person:"Name"` or `person:Name` (ASCII letters); `fieldPos` is where `person:` starts. */
  private person(fieldPos: number): LeafNode {
    let token:
      | { type: 'word'; text: string; pos: number }
      | { type: 'phrase'; text: string; raw: string; pos: number };
    if (this.code() === 34) {
      const quoted = this.quoted();
      this.countTerm();
      if (quoted === undefined) return PLACEHOLDER;
      token = { type: 'phrase', ...quoted };
    } else {
      const start = this.at;
      while (isLetter(this.code())) this.at++;
      if (this.at === start || !this.atWordEnd()) throw GIVE_UP;
      this.countTerm();
      if (!this.build) return PLACEHOLDER;
      token = { type: 'word', text: this.query.slice(start, this.at), pos: start };
    }
    const interner = this.interner;
    if (interner === undefined) return personLeaf(fieldPos, token, DEFAULT_FIELDS);
    const text = `person:${token.type === 'word' ? token.text : token.raw}`;
    return (
      interner.known(true, DEFAULT_FIELDS, text) ?? interner.add(personLeaf(fieldPos, token, DEFAULT_FIELDS))
    );
  }
}

/**
 * The tree of a query of the common shapes, exactly as the general parser builds it (leaves shared through
 * `interner` the same way), or undefined: then the general parser reads it, and reports its errors.
 */
export function parseCommonShape(query: string, interner: LeafSource | undefined): QueryNode | undefined {
  try {
    new Shortcut(query, false, undefined).parse();
    return new Shortcut(query, true, interner).parse();
  } catch (error) {
    // A leaf's QueryError too: the general path raises it, with its position.
    if (error === GIVE_UP || error instanceof QueryError) return undefined;
    throw error;
  }
}
