/**
 * Ticker references (`ticker:BKR`, `ticker:NYSE:BKR`), as wires write them, compared case-sensitively
 * (`ticker:ON` is not the word "on"):
 *
 *  - `(NYSE: BKR)`, `(Nasdaq:AAPL)`, `(NYSE: BKR, HAL)`: an exchange and a colon in brackets;
 *  - `(BKR.N)`, `<IBM.N>` (Reuters instrument codes) and `(BNP.FR)`, `(UU.LN)` (Dow Jones): the symbol and
 *    an exchange or country suffix;
 *  - `(BKR)`, `(BKR, HAL)` right after a capitalised word (a company name, `Rio Tinto PLC (RIO)`);
 *  - ticker lists in brackets mixing these, separated by commas or semicolons;
 *  - ticker metadata (NITF `<org value>`, ninjs organisation `symbols`, NewsML-G2 `R:` codes), as a hit in
 *    the `metadata` field.
 *
 * With an exchange in the query, a reference on another exchange does not count; one that names none
 * does. The bracket is read character by character within a bounded window; no regular expression.
 */
import { exchangeName } from '../../stories/exchanges.ts';
import type { TickerNode } from '../query/ast.ts';
import { POSITION_SPAN, type StoryView } from '../story-view.ts';
import { CAPITALISED, type Token } from '../text/tokenize.ts';
import { NO_OCCURRENCES, Occurrence } from './occurrence.ts';

/** At most this many characters between the bracket and the symbol (a list of a dozen tickers). */
const WINDOW = 160;

interface Listed {
  readonly exchange: string | undefined;
  /** Offset just after the symbol and its suffix. */
  readonly end: number;
}

function isUpperOrDigit(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Reads a bracketed ticker group `( ... )` or `< ... >` around `[start, end)`, the symbol as written. Returns
 * how the symbol is listed, or undefined when the brackets hold anything but tickers.
 */
function readGroup(
  text: string,
  start: number,
  end: number,
): { listed: Listed; open: number; marked: boolean } | undefined {
  let open = start - 1;
  while (open >= 0 && start - open <= WINDOW && text[open] !== '(' && text[open] !== '<') {
    if (text[open] === ')' || text[open] === '>' || text[open] === '\n') return undefined;
    open--;
  }
  if (open < 0 || start - open > WINDOW) return undefined;
  const close = text[open] === '(' ? ')' : '>';
  // Items: [EXCHANGE WORDS ':'] SYMBOL ['.' SUFFIX], separated by ',' or ';'.
  let at = open + 1;
  let exchange: string | undefined;
  let marked = false; // an exchange or a suffix somewhere in the group
  let ours: Listed | undefined;
  for (let items = 0; items < 24; items++) {
    while (text[at] === ' ') at++;
    const wordStart = at;
    while (
      at < text.length &&
      (isLetter(text.charCodeAt(at)) || isUpperOrDigit(text.charCodeAt(at)) || text[at] === ' ') &&
      at - wordStart < 24
    )
      at++;
    let symbolStart = wordStart;
    if (text[at] === ':') {
      exchange = exchangeName(text.slice(wordStart, at));
      marked = true;
      at++;
      while (text[at] === ' ') at++;
      symbolStart = at;
    } else {
      at = wordStart;
    }
    while (at < text.length && isUpperOrDigit(text.charCodeAt(at)) && at - symbolStart < 12) at++;
    if (at === symbolStart) return undefined;
    const symbolEnd = at;
    let itemExchange = exchange;
    if (text[at] === '.' && isUpperOrDigit(text.charCodeAt(at + 1))) {
      const suffixStart = at + 1;
      at = suffixStart;
      while (at < text.length && isUpperOrDigit(text.charCodeAt(at)) && at - suffixStart < 3) at++;
      itemExchange = exchangeName(text.slice(suffixStart, at));
      marked = true;
    }
    if (symbolStart === start && symbolEnd === end) ours = { exchange: itemExchange, end: at };
    while (text[at] === ' ') at++;
    if (text[at] === close) return ours === undefined ? undefined : { listed: ours, open, marked };
    if (text[at] !== ',' && text[at] !== ';') return undefined;
    at++;
  }
  return undefined;
}

/** The capitalised word right before the bracket at `open` (a company name), if any. */
function companyBefore(tokens: readonly Token[], text: string, index: number, open: number): boolean {
  for (let at = index - 1; at >= 0; at--) {
    const token = tokens[at] as Token;
    if (token.end > open) continue;
    return text.slice(token.end, open).trim().replace('.', '') === '' && (token.flags & CAPITALISED) !== 0;
  }
  return false;
}

function find(view: StoryView, node: TickerNode): readonly Occurrence[] {
  const postings = view.byForm.get(node.symbol.toLowerCase());
  if (postings === undefined || (postings.mask & node.fields) === 0) return NO_OCCURRENCES;
  const found: Occurrence[] = [];
  for (const position of postings.positions) {
    const field = Math.floor(position / POSITION_SPAN);
    if (((1 << field) & node.fields) === 0) continue;
    const fieldView = view.fields[field];
    if (fieldView === undefined) continue;
    const index = position - field * POSITION_SPAN;
    const token = fieldView.tokens[index] as Token;
    const { text, tokens } = fieldView;
    if (text.slice(token.start, token.end) !== node.symbol) continue;
    const group = readGroup(text, token.start, token.end);
    if (group === undefined) continue;
    if (!group.marked && !companyBefore(tokens, text, index, group.open)) continue;
    if (
      node.exchange !== undefined &&
      group.listed.exchange !== undefined &&
      group.listed.exchange !== exchangeName(node.exchange)
    )
      continue;
    let last = index;
    while (last + 1 < tokens.length && (tokens[last + 1] as Token).end <= group.listed.end) last++;
    found.push(new Occurrence(field, index, last));
  }
  return found;
}

/** Where the text references the ticker, in field then position order (memoized per story). */
export function tickerOccurrences(view: StoryView, node: TickerNode): readonly Occurrence[] {
  const cached = view.memo.get(node) as readonly Occurrence[] | undefined;
  if (cached !== undefined) return cached;
  const result = find(view, node);
  view.memo.set(node, result);
  return result;
}

/** The ticker as the story's metadata carries it (`NYSE:BKR`), when it does. */
export function tickerInMetadata(view: StoryView, node: TickerNode): string | undefined {
  for (const ticker of view.metadata.tickers) {
    if (ticker.symbol !== node.symbol) continue;
    if (
      node.exchange !== undefined &&
      ticker.exchange !== undefined &&
      exchangeName(ticker.exchange) !== exchangeName(node.exchange)
    )
      continue;
    return ticker.exchange === undefined ? ticker.symbol : `${ticker.exchange}:${ticker.symbol}`;
  }
  return undefined;
}
