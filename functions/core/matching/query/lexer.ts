/**
 * Hand-written lexer for the query language. Linear in the query length; no regular expression
 * is built from the query.
 */
import { QueryError, STORY_FIELDS } from '../types.ts';
import { QUERY_LIMITS } from './limits.ts';

export type QueryToken =
  | { readonly type: 'word'; readonly text: string; readonly pos: number }
  | { readonly type: 'phrase'; readonly text: string; readonly pos: number; readonly raw: string }
  | { readonly type: 'field'; readonly name: string; readonly pos: number }
  | { readonly type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus'; readonly pos: number }
  | { readonly type: 'near'; readonly distance: number; readonly pos: number };

/** Prefixes whose value is one term taken as written (`ticker:NYSE:BKR`, `subject:medtop:20000763`, `urgency:<=2`). */
export const VALUE_FIELDS: readonly string[] = [
  'org',
  'company',
  'ticker',
  'subject',
  'place',
  'country',
  'lang',
  'source',
  'provider',
  'urgency',
  'status',
];

/** Field prefixes the language knows: the story fields, `person` and the value fields. */
export const FIELD_NAMES: readonly string[] = [...STORY_FIELDS, 'person', ...VALUE_FIELDS];

/** An example value for each value field, for error messages. */
export const FIELD_EXAMPLES: Readonly<Record<string, string>> = {
  person: '"Jane Doe"',
  org: '"Baker Hughes"',
  company: '"Baker Hughes"',
  ticker: 'BKR',
  subject: '"immigration"',
  place: 'Mexico',
  country: 'Mexico',
  lang: 'es',
  source: '"Dow Jones"',
  provider: '"Dow Jones"',
  urgency: '<=2',
  status: 'correction',
};

const FIELD_HELP =
  'use headline, body, byline, dateline, slugline or summary, person:"Name", org:"Name", ticker:, subject:, place:, lang:, source:, urgency: or status:';

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\u00a0';
}

function endsWord(char: string | undefined): boolean {
  return char === undefined || isSpace(char) || char === '(' || char === ')' || char === '"';
}

function isAsciiLetters(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i) | 0x20;
    if (code < 97 || code > 122) return false;
  }
  return true;
}

function nearToken(word: string, pos: number): QueryToken {
  const digits = word.slice('NEAR/'.length);
  let valid = word.startsWith('NEAR/') && digits.length > 0 && digits.length <= 6;
  for (const char of digits) if (char < '0' || char > '9') valid = false;
  if (!valid) {
    throw new QueryError(`NEAR at position ${pos} needs a number, e.g. NEAR/5`, pos);
  }
  const distance = Number(digits);
  if (distance < QUERY_LIMITS.minNear || distance > QUERY_LIMITS.maxNear) {
    throw new QueryError(
      `NEAR/${digits} at position ${pos} is out of range: use a distance from ${QUERY_LIMITS.minNear} to ${QUERY_LIMITS.maxNear}`,
      pos,
    );
  }
  return { type: 'near', distance, pos };
}

/** Splits a query into tokens, or throws QueryError with the position of the problem. */
export function lex(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let at = 0;
  while (at < query.length) {
    const char = query[at];
    if (isSpace(char)) {
      at++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'lparen' : 'rparen', pos: at });
      at++;
    } else if (char === '"') {
      const close = query.indexOf('"', at + 1);
      if (close < 0) throw new QueryError(`Unclosed quote at position ${at}: add a closing "`, at);
      tokens.push({
        type: 'phrase',
        text: query.slice(at + 1, close),
        raw: query.slice(at, close + 1),
        pos: at,
      });
      at = close + 1;
    } else if (
      char === '-' &&
      query[at + 1] !== undefined &&
      !isSpace(query[at + 1]) &&
      query[at + 1] !== ')'
    ) {
      tokens.push({ type: 'minus', pos: at });
      at++;
    } else {
      let end = at;
      while (!endsWord(query[end])) end++;
      const word = query.slice(at, end);
      const colon = word.indexOf(':');
      if (colon > 0 && isAsciiLetters(word.slice(0, colon))) {
        const name = word.slice(0, colon).toLowerCase();
        if (!FIELD_NAMES.includes(name)) {
          throw new QueryError(`Unknown field '${word.slice(0, colon)}' at ${at}: ${FIELD_HELP}`, at);
        }
        const next = query[at + colon + 1];
        if (next === undefined || isSpace(next) || next === ')') {
          throw new QueryError(
            `Field '${name}:' at ${at} needs a term right after the colon, e.g. ${name}:${FIELD_EXAMPLES[name] ?? 'deportation'}`,
            at,
          );
        }
        tokens.push({ type: 'field', name, pos: at });
        at += colon + 1;
        if (VALUE_FIELDS.includes(name) && query[at] !== '"' && query[at] !== '(') {
          tokens.push({ type: 'word', text: query.slice(at, end), pos: at });
          at = end;
        }
        continue;
      }
      if (word === 'AND') tokens.push({ type: 'and', pos: at });
      else if (word === 'OR') tokens.push({ type: 'or', pos: at });
      else if (word === 'NOT') tokens.push({ type: 'not', pos: at });
      else if (word === 'NEAR' || word.startsWith('NEAR/')) tokens.push(nearToken(word, at));
      else tokens.push({ type: 'word', text: word, pos: at });
      at = end;
    }
  }
  return tokens;
}
