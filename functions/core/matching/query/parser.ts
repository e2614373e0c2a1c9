/**
 * Recursive-descent parser for the query language.
 *
 *   query   := or
 *   or      := and ( "OR" and )*
 *   and     := unary ( "AND"? unary )*          terms side by side mean AND
 *   unary   := ( "NOT" | "-" ) unary | near     precedence: NOT > AND > OR
 *   near    := primary ( "NEAR/n" primary )?    operands: term, phrase or person
 *   primary := field ":" primary | "person:" (word | phrase) | entity ":" (word | phrase)
 *            | "(" or ")" | word | phrase
 *   entity  := org | company | ticker | subject | place | country | lang | source | provider | urgency | status
 *
 * A field prefix applies to the term, phrase or group right after it; an inner prefix wins.
 */
import type { LeafSource } from '../leaf-interner.ts';
import { QueryError } from '../types.ts';
import { DEFAULT_FIELDS, type FieldMask, fieldBit, isLeaf, type LeafNode, type QueryNode } from './ast.ts';
import { entityLeaf, isEntityField } from './entities.ts';
import { personLeaf, wordLeaf } from './leaves.ts';
import { lex, type QueryToken } from './lexer.ts';
import { QUERY_LIMITS } from './limits.ts';
import { parseCommonShape } from './shortcut.ts';

const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  and: 'AND',
  or: 'OR',
  not: 'NOT',
  minus: "'-'",
  near: 'NEAR',
};

function startsUnary(token: QueryToken | undefined): boolean {
  if (token === undefined) return false;
  return (
    token.type === 'word' ||
    token.type === 'phrase' ||
    token.type === 'field' ||
    token.type === 'lparen' ||
    token.type === 'not' ||
    token.type === 'minus'
  );
}

class Parser {
  private at = 0;
  private terms = 0;

  constructor(
    private readonly tokens: readonly QueryToken[],
    private readonly queryLength: number,
    private readonly interner: LeafSource | undefined,
  ) {}

  parse(): QueryNode {
    const node = this.parseOr(DEFAULT_FIELDS, 0);
    const extra = this.peek();
    if (extra !== undefined) {
      if (extra.type === 'rparen') {
        throw new QueryError(`Unexpected ')' at ${extra.pos}: remove it or add a matching '('`, extra.pos);
      }
      throw new QueryError(`Unexpected ${this.describe(extra)} at ${extra.pos}`, extra.pos);
    }
    return node;
  }

  private peek(): QueryToken | undefined {
    return this.tokens[this.at];
  }

  private next(): QueryToken | undefined {
    const token = this.tokens[this.at];
    this.at++;
    return token;
  }

  private describe(token: QueryToken): string {
    switch (token.type) {
      case 'word':
        return `'${token.text}'`;
      case 'phrase':
        return `phrase ${token.raw}`;
      case 'field':
        return `field '${token.name}:'`;
      case 'lparen':
        return "'('";
      case 'rparen':
        return "')'";
      default:
        return OPERATOR_NAMES[token.type] ?? token.type;
    }
  }

  /** Throws unless the next token can start a term; `operator` is what needs it. */
  private expectOperand(operator: QueryToken): void {
    const next = this.peek();
    if (startsUnary(next)) return;
    const name = OPERATOR_NAMES[operator.type] ?? operator.type;
    if (next === undefined) {
      throw new QueryError(`${name} at ${operator.pos} needs a term after it`, operator.pos);
    }
    throw new QueryError(
      `${name} at ${operator.pos} needs a term after it, not ${this.describe(next)}`,
      operator.pos,
    );
  }

  private checkDepth(depth: number, pos: number): void {
    if (depth > QUERY_LIMITS.maxDepth) {
      throw new QueryError(
        `Query nests too deeply at ${pos} (max ${QUERY_LIMITS.maxDepth} levels of parentheses and NOT): simplify it`,
        pos,
      );
    }
  }

  private parseOr(fields: FieldMask, depth: number): QueryNode {
    const children = [this.parseAnd(fields, depth)];
    for (let token = this.peek(); token?.type === 'or'; token = this.peek()) {
      this.next();
      this.expectOperand(token);
      children.push(this.parseAnd(fields, depth));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'or', children };
  }

  private parseAnd(fields: FieldMask, depth: number): QueryNode {
    const children = [this.parseUnary(fields, depth)];
    for (;;) {
      const token = this.peek();
      if (token?.type === 'and') {
        this.next();
        this.expectOperand(token);
      } else if (!startsUnary(token)) {
        break;
      }
      children.push(this.parseUnary(fields, depth));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'and', children };
  }

  private parseUnary(fields: FieldMask, depth: number): QueryNode {
    const token = this.peek();
    if (token?.type === 'not' || token?.type === 'minus') {
      this.next();
      this.expectOperand(token);
      this.checkDepth(depth + 1, token.pos);
      return { kind: 'not', child: this.parseUnary(fields, depth + 1) };
    }
    return this.parseNear(fields, depth);
  }

  private parseNear(fields: FieldMask, depth: number): QueryNode {
    const start = this.peek();
    const left = this.parsePrimary(fields, depth);
    const near = this.peek();
    if (near?.type !== 'near') return left;
    this.next();
    const rightStart = this.peek();
    if (
      rightStart === undefined ||
      (rightStart.type !== 'word' &&
        rightStart.type !== 'phrase' &&
        rightStart.type !== 'field' &&
        rightStart.type !== 'lparen')
    ) {
      throw new QueryError(`NEAR at ${near.pos} needs a term, "phrase" or person after it`, near.pos);
    }
    const right = this.parsePrimary(fields, depth);
    const operandHelp = 'NEAR joins two terms, phrases or people, e.g. immigration NEAR/3 raids';
    if (!isLeaf(left))
      throw new QueryError(`${operandHelp}: the left side at ${start?.pos ?? 0} is a group`, start?.pos ?? 0);
    if (!isLeaf(right))
      throw new QueryError(`${operandHelp}: the right side at ${rightStart.pos} is a group`, rightStart.pos);
    for (const [side, pos] of [
      [left, start?.pos ?? 0],
      [right, rightStart.pos],
    ] as const) {
      if (side.kind === 'meta') {
        throw new QueryError(`${operandHelp}: ${side.text} at ${pos} is a metadata filter, not words`, pos);
      }
    }
    const chained = this.peek();
    if (chained?.type === 'near') {
      throw new QueryError(
        `NEAR at ${chained.pos} cannot be chained: write (a NEAR/3 b) AND (b NEAR/3 c)`,
        chained.pos,
      );
    }
    return { kind: 'near', left, right, distance: near.distance };
  }

  private countTerm(pos: number): void {
    this.terms++;
    if (this.terms > QUERY_LIMITS.maxTerms) {
      throw new QueryError(
        `Too many terms at ${pos} (max ${QUERY_LIMITS.maxTerms}): split the query into several subscriptions`,
        pos,
      );
    }
  }

  private parsePrimary(fields: FieldMask, depth: number): QueryNode {
    const token = this.next();
    if (token === undefined) {
      throw new QueryError(`Query ends too early at ${this.queryLength}: add a term`, this.queryLength);
    }
    switch (token.type) {
      case 'word':
      case 'phrase':
        return this.leaf(token, fields);
      case 'field':
        if (token.name === 'person') return this.person(token, fields);
        return isEntityField(token.name) ? this.entity(token, fields) : this.scoped(token, depth);
      case 'lparen': {
        this.checkDepth(depth + 1, token.pos);
        if (this.peek()?.type === 'rparen') {
          throw new QueryError(`Empty parentheses at ${token.pos}: put a term inside`, token.pos);
        }
        const inner = this.parseOr(fields, depth + 1);
        if (this.peek()?.type !== 'rparen') {
          throw new QueryError(`Unclosed parenthesis at ${token.pos}: add a closing )`, token.pos);
        }
        this.next();
        return inner;
      }
      case 'rparen':
        throw new QueryError(`Unexpected ')' at ${token.pos}: remove it or add a matching '('`, token.pos);
      default:
        throw new QueryError(
          `${OPERATOR_NAMES[token.type] ?? token.type} at ${token.pos} needs a term before it`,
          token.pos,
        );
    }
  }

  private scoped(token: QueryToken & { type: 'field' }, depth: number): QueryNode {
    const next = this.peek();
    if (
      next?.type !== 'word' &&
      next?.type !== 'phrase' &&
      next?.type !== 'lparen' &&
      next?.type !== 'field'
    ) {
      throw new QueryError(
        `Field '${token.name}:' at ${token.pos} needs a term, "phrase" or (group) right after it`,
        token.pos,
      );
    }
    return this.parsePrimary(fieldBit(token.name as Parameters<typeof fieldBit>[0]), depth);
  }

  private leaf(token: QueryToken & { type: 'word' | 'phrase' }, fields: FieldMask): LeafNode {
    this.countTerm(token.pos);
    const interner = this.interner;
    if (interner === undefined) return wordLeaf(token, fields);
    const text = token.type === 'word' ? token.text : token.raw; // the leaf's text (leaves.ts)
    return interner.known(false, fields, text) ?? interner.add(wordLeaf(token, fields));
  }

  private entity(token: QueryToken & { type: 'field' }, fields: FieldMask): LeafNode {
    const valueToken = this.next();
    if (valueToken?.type !== 'word' && valueToken?.type !== 'phrase') {
      throw new QueryError(`${token.name}: at ${token.pos} needs a value right after the colon`, token.pos);
    }
    this.countTerm(token.pos);
    const interner = this.interner;
    if (interner === undefined) return entityLeaf(token.name, token.pos, valueToken, fields);
    const text = `${token.name}:${valueToken.type === 'word' ? valueToken.text : valueToken.raw}`; // entities.ts
    return (
      interner.known(true, fields, text) ??
      interner.add(entityLeaf(token.name, token.pos, valueToken, fields))
    );
  }

  private person(token: QueryToken & { type: 'field' }, fields: FieldMask): LeafNode {
    const nameToken = this.next();
    if (nameToken?.type !== 'word' && nameToken?.type !== 'phrase') {
      throw new QueryError(`person: at ${token.pos} needs a name, e.g. person:"Jane Doe"`, token.pos);
    }
    this.countTerm(token.pos);
    const interner = this.interner;
    if (interner === undefined) return personLeaf(token.pos, nameToken, fields);
    const text = `person:${nameToken.type === 'word' ? nameToken.text : nameToken.raw}`; // leaves.ts
    return interner.known(true, fields, text) ?? interner.add(personLeaf(token.pos, nameToken, fields));
  }
}

/**
 * Parses a query, or throws QueryError with a clear message and the 0-based position of the problem. With an
 * interner, the leaves come back shared (as `interner.intern` would make them) and each distinct leaf is
 * analysed once.
 */
export function parseQuery(query: string, interner?: LeafSource): QueryNode {
  checkLength(query);
  return parseCommonShape(query, interner) ?? parseTokens(query, interner);
}

/** The general lexer and parser alone, without the shortcut for common shapes (tests compare the two). */
export function parseGeneral(query: string, interner?: LeafSource): QueryNode {
  checkLength(query);
  return parseTokens(query, interner);
}

function checkLength(query: string): void {
  if (query.length > QUERY_LIMITS.maxLength) {
    throw new QueryError(
      `Query is too long (${query.length} characters, max ${QUERY_LIMITS.maxLength}): shorten it or split it into several subscriptions`,
      QUERY_LIMITS.maxLength,
    );
  }
}

function parseTokens(query: string, interner: LeafSource | undefined): QueryNode {
  const tokens = lex(query);
  if (tokens.length === 0) {
    throw new QueryError('Query is empty: write a word, a "phrase" or person:"Name"', 0);
  }
  return new Parser(tokens, query.length, interner).parse();
}

/** Parses a query, or returns its QueryError; other errors are bugs and propagate. */
export function tryParse(query: string, interner?: LeafSource): QueryNode | QueryError {
  try {
    return parseQuery(query, interner);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
}

/** The error a query would raise, or undefined when it is valid (for API validation messages). */
export function validateQuery(query: string): QueryError | undefined {
  const parsed = tryParse(query);
  return parsed instanceof QueryError ? parsed : undefined;
}
