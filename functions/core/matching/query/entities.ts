/**
 * Leaves for organisations, tickers and metadata filters: `org:"Baker Hughes"` (`company:`), `ticker:BKR`,
 * `ticker:NYSE:BKR`, `subject:`, `place:` (`country:`), `lang:`, `source:` (`provider:`), `urgency:<=2`,
 * `status:`. Values are read by hand, character by character; none becomes a regular expression.
 */
import { STORY_STATUSES } from '../../stories/story.ts';
import { estimateFrequency } from '../anchors.ts';
import { metadataKey } from '../metadata.ts';
import { nameWords } from '../text/organisation-names.ts';
import { tokenize } from '../text/tokenize.ts';
import { QueryError } from '../types.ts';
import type { FieldMask, LeafNode, MetadataField } from './ast.ts';
import type { QueryToken } from './lexer.ts';
import { QUERY_LIMITS } from './limits.ts';

type ValueToken = QueryToken & { type: 'word' | 'phrase' };

const METADATA_OF: Readonly<Record<string, MetadataField>> = {
  subject: 'subject',
  place: 'place',
  country: 'place',
  lang: 'lang',
  source: 'source',
  provider: 'source',
  urgency: 'urgency',
  status: 'status',
};

/** Whether a field prefix starts one of these leaves. */
export function isEntityField(name: string): boolean {
  return name === 'org' || name === 'company' || name === 'ticker' || name in METADATA_OF;
}

function written(token: ValueToken): string {
  return token.type === 'phrase' ? token.raw : token.text;
}

/** `org:NAME` / `company:NAME`. */
function orgLeaf(name: string, fieldPos: number, token: ValueToken, fields: FieldMask): LeafNode {
  const tokens = tokenize(token.text);
  const words = nameWords(tokens.map((t) => t.form));
  if (tokens.length === 0) {
    throw new QueryError(`${name}: at ${fieldPos} needs a name, e.g. ${name}:"Baker Hughes"`, fieldPos);
  }
  if (words.length > QUERY_LIMITS.maxPhraseWords) {
    throw new QueryError(
      `Name at ${fieldPos} is too long (max ${QUERY_LIMITS.maxPhraseWords} words)`,
      fieldPos,
    );
  }
  return {
    kind: 'org',
    text: `${name}:${written(token)}`,
    fields,
    words,
    key: metadataKey('org', words.join(' ')),
  };
}

function isSymbolChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `ticker:BKR`, `ticker:NYSE:BKR`: a symbol of capitals and digits, case-sensitive. */
function tickerLeaf(fieldPos: number, token: ValueToken, fields: FieldMask): LeafNode {
  const value = token.text.trim();
  const colon = value.lastIndexOf(':');
  const symbol = value.slice(colon + 1).trim();
  const exchange = colon < 0 ? '' : value.slice(0, colon).trim().toUpperCase();
  let valid = symbol.length >= 1 && symbol.length <= 10;
  let capitals = 0;
  for (let i = 0; i < symbol.length; i++) {
    const code = symbol.charCodeAt(i);
    if (!isSymbolChar(code) || (code >= 97 && code <= 122)) valid = false;
    if (code >= 65 && code <= 90) capitals++;
  }
  for (let i = 0; i < exchange.length; i++) {
    if (!isSymbolChar(exchange.charCodeAt(i)) && exchange[i] !== ' ') valid = false;
  }
  if (!valid || capitals === 0) {
    throw new QueryError(
      `ticker: at ${fieldPos} needs a symbol in capitals, optionally after an exchange, e.g. ticker:BKR or ticker:NYSE:BKR (tickers are case-sensitive)`,
      fieldPos,
    );
  }
  const node = { kind: 'ticker' as const, text: `ticker:${written(token)}`, fields, symbol };
  return exchange === '' ? node : { ...node, exchange };
}

/** `urgency:N`, `<=N`, `<N`, `>=N`, `>N` with N from 1 (flash) to 9 -> the accepted range. */
function urgencyRange(value: string, fieldPos: number): { min: number; max: number } {
  let operator = '';
  let at = 0;
  while (at < value.length && (value[at] === '<' || value[at] === '>' || value[at] === '='))
    operator += value[at++];
  const digits = value.slice(at);
  const number = digits.length === 1 && digits >= '1' && digits <= '9' ? Number(digits) : Number.NaN;
  const ranges: Record<string, { min: number; max: number }> = {
    '': { min: number, max: number },
    '=': { min: number, max: number },
    '<=': { min: 1, max: number },
    '<': { min: 1, max: number - 1 },
    '>=': { min: number, max: 9 },
    '>': { min: number + 1, max: 9 },
  };
  const range = ranges[operator];
  if (Number.isNaN(number) || range === undefined || range.min > range.max) {
    throw new QueryError(
      `urgency: at ${fieldPos} needs a level from 1 (flash) to 9, optionally after <=, <, >= or >, e.g. urgency:<=2`,
      fieldPos,
    );
  }
  return range;
}

/** The rarest word of a value, for its anchor key. */
function rarest(stems: readonly string[]): string {
  let best = stems[0] as string;
  for (const stemmed of stems) if (estimateFrequency(stemmed) < estimateFrequency(best)) best = stemmed;
  return best;
}

function metaLeaf(name: string, fieldPos: number, token: ValueToken, fields: FieldMask): LeafNode {
  const field = METADATA_OF[name] as MetadataField;
  const text = `${name}:${written(token)}`;
  const value = token.text.trim();
  if (field === 'urgency') {
    const { min, max } = urgencyRange(value, fieldPos);
    const keys: string[] = [];
    for (let level = min; level <= max; level++) keys.push(metadataKey('urgency', String(level)));
    return { kind: 'meta', text, fields, field, words: [], min, max, keys };
  }
  if (field === 'status' || field === 'lang') {
    const folded = value.toLowerCase().replaceAll('_', '-');
    const known =
      field === 'status' ? (STORY_STATUSES as readonly string[]).includes(folded) : isLanguageTag(folded);
    if (!known) {
      const help =
        field === 'status'
          ? `one of ${STORY_STATUSES.join(', ')}, e.g. status:correction`
          : 'a language tag such as es, de or pt-BR, e.g. lang:es';
      throw new QueryError(`${name}: at ${fieldPos} needs ${help}`, fieldPos);
    }
    return { kind: 'meta', text, fields, field, words: [folded], keys: [metadataKey(field, folded)] };
  }
  const stems = tokenize(value).map((t) => t.stem);
  if (stems.length === 0) {
    throw new QueryError(`${name}: at ${fieldPos} needs words, e.g. ${name}:"Dow Jones"`, fieldPos);
  }
  if (stems.length > QUERY_LIMITS.maxPhraseWords) {
    throw new QueryError(
      `Value at ${fieldPos} is too long (max ${QUERY_LIMITS.maxPhraseWords} words)`,
      fieldPos,
    );
  }
  return { kind: 'meta', text, fields, field, words: stems, keys: [metadataKey(field, rarest(stems))] };
}

function isLanguageTag(tag: string): boolean {
  if (tag.length < 2 || tag.length > 35) return false;
  for (let i = 0; i < tag.length; i++) {
    const code = tag.charCodeAt(i);
    const letterOrDigit = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (!letterOrDigit && !(tag[i] === '-' && i >= 2)) return false;
  }
  return true;
}

/** The leaf of `name:VALUE` for an organisation, ticker or metadata prefix; `fieldPos` is the prefix's position. */
export function entityLeaf(name: string, fieldPos: number, token: ValueToken, fields: FieldMask): LeafNode {
  if (name === 'org' || name === 'company') return orgLeaf(name, fieldPos, token, fields);
  if (name === 'ticker') return tickerLeaf(fieldPos, token, fields);
  return metaLeaf(name, fieldPos, token, fields);
}
