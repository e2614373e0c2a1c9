import { decodeHtmlEntities } from './entities.ts';
import { cleanLine, plainTextParagraphs, uniqueClean } from './text.ts';
import type { XmlElement, XmlNode } from './xml.ts';

/** Elements that start and end a paragraph (NITF, XHTML and HTML5 names). */
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'aside',
  'blockquote',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hl1',
  'hl2',
  'hl3',
  'block',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'caption',
  'footer',
  'body',
  'body.content',
  'html',
  'address',
  'center',
  'hr',
  'nitf-table',
]);

/** Elements whose text is not story text: media, scripts, page headers (dpa puts keyword lists there). */
const SKIPPED = new Set([
  'head',
  'title',
  'script',
  'style',
  'header',
  'nav',
  'figure',
  'media',
  'note',
  'nitf-table-metadata',
  'object',
  'iframe',
  'noscript',
  'template',
]);

const CELLS = new Set(['td', 'th']);

/** Text paragraphs of a marked-up body plus the people and organisations tagged inline (NITF `<person>`, `<org>`). */
export interface MarkupText {
  readonly paragraphs: string[];
  readonly people: string[];
  readonly organisations: string[];
  /** Tickers of tagged organisations (`<org idsrc="NYSE" value="BKR">`), `EXCHANGE:SYMBOL` or `SYMBOL`. */
  readonly tickers: string[];
}

/** A symbol as tickers are written: 1-10 capitals and digits, at least one capital, optionally `.N`-style suffix. */
function isTickerSymbol(value: string): boolean {
  const [symbol = '', suffix, extra] = value.split('.');
  const shaped = (part: string, max: number): boolean =>
    part.length >= 1 &&
    part.length <= max &&
    [...part].every((char) => (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9'));
  return (
    extra === undefined &&
    shaped(symbol, 10) &&
    /[A-Z]/.test(symbol) &&
    (suffix === undefined || shaped(suffix, 3))
  );
}

/**
 * The ticker of an organisation element whose `value` is a ticker symbol: NITF `<org idsrc="NYSE" value="BKR">`
 * -> `NYSE:BKR` (the `idsrc` is kept as the exchange when it is a short name in capitals).
 */
export function organisationTicker(element: XmlElement): string | undefined {
  const value = element.attrs.value?.trim();
  if (value === undefined || !isTickerSymbol(value)) return undefined;
  const source = element.attrs.idsrc?.trim() ?? '';
  return /^[A-Z][A-Z ]{1,15}$/.test(source) ? `${source}:${value}` : value;
}

/**
 * Plain wire copy wrapped in one element (Reuters XHTML does this): hard-wrapped lines where indented
 * lines start paragraphs and unindented lines continue them. Pretty-printed markup indents every line.
 */
function isWireCopy(raw: string): boolean {
  if (raw.indexOf('\n', raw.indexOf('\n') + 1) === -1) return false; // fewer than three lines
  const lines = raw
    .replace(/^\s*\n/, '')
    .split(/\r\n|\r|\n/)
    .slice(1);
  const indented = lines.filter((line) => /^(?:\t| {2,})\S/.test(line)).length;
  const flush = lines.filter((line) => /^\S/.test(line)).length;
  return indented >= 2 && flush >= 1;
}

/** Paragraphs of one block of text: wire copy keeps its line structure, markup text is joined. */
function blockParagraphs(raw: string): string[] {
  if (isWireCopy(raw)) return plainTextParagraphs(raw);
  const line = cleanLine(raw);
  return line === '' ? [] : [line];
}

/** Paragraphs of an XML body (NITF `body.content`, XHTML `body`, or any element holding text). */
export function xmlParagraphs(root: XmlElement | undefined): MarkupText {
  const paragraphs: string[] = [];
  const people: string[] = [];
  const organisations: string[] = [];
  const tickers: string[] = [];
  let current = '';
  const flush = (): void => {
    paragraphs.push(...blockParagraphs(current));
    current = '';
  };
  const inlineText = (node: XmlNode): string =>
    typeof node === 'string' ? node : node.children.map(inlineText).join('');
  const visit = (node: XmlNode): void => {
    if (typeof node === 'string') {
      current += node;
      return;
    }
    const name = node.name.toLowerCase();
    if (SKIPPED.has(name)) return;
    if (name === 'br') {
      current += ' ';
      return;
    }
    if (name === 'pre') {
      flush();
      paragraphs.push(...plainTextParagraphs(inlineText(node)).filter((line) => line !== ''));
      return;
    }
    if (name === 'person') people.push(inlineText(node));
    if (name === 'org' || name === 'company') {
      organisations.push(inlineText(node));
      const ticker = organisationTicker(node);
      if (ticker !== undefined) tickers.push(ticker);
    }
    const block = BLOCKS.has(name);
    if (block) flush();
    if (CELLS.has(name)) current += ' ';
    for (const next of node.children) visit(next);
    if (CELLS.has(name)) current += ' ';
    if (block) flush();
  };
  if (root !== undefined) visit(root);
  flush();
  return {
    paragraphs,
    people: uniqueClean(people.map((person) => person.replace(/['\u2019]s$/, ''))),
    organisations: uniqueClean(organisations),
    tickers: uniqueClean(tickers),
  };
}

interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly end: number;
}

/** Reads the tag starting at `start` (which holds '<'), honouring quoted attribute values. */
function readTag(html: string, start: number): Tag | undefined {
  let quote = '';
  for (let at = start + 1; at < html.length; at += 1) {
    const char = html[at]!;
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      const inner = html.slice(start + 1, at);
      const closing = inner.startsWith('/');
      const match = /^\/?([A-Za-z][\w:.-]*)/.exec(inner);
      const qualified = match?.[1]?.toLowerCase() ?? '';
      const name = qualified.slice(qualified.lastIndexOf(':') + 1);
      return { name, closing, selfClosing: inner.endsWith('/'), end: at + 1 };
    }
  }
  return undefined;
}

/** Index just after the closing tag `</name>` from `from`, or the end of the text. */
function skipElement(html: string, name: string, from: number): number {
  let at = html.indexOf('</', from);
  while (at !== -1) {
    const tag = readTag(html, at);
    if (tag === undefined) return html.length;
    if (tag.name === name) return tag.end;
    at = html.indexOf('</', tag.end);
  }
  return html.length;
}

/**
 * Splits an HTML string into raw text blocks at block-level tags, decoding entities from a fixed
 * table. A linear scan, not a parser: HTML in wire JSON is often not well-formed XML.
 */
export function htmlBlocks(html: string): string[] {
  const blocks: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current.trim() !== '') blocks.push(current);
    current = '';
  };
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      current += decodeHtmlEntities(html.slice(at));
      break;
    }
    current += decodeHtmlEntities(html.slice(at, open));
    if (html.startsWith('<!--', open)) {
      const close = html.indexOf('-->', open + 4);
      at = close === -1 ? html.length : close + 3;
      continue;
    }
    if (html.startsWith('<![CDATA[', open)) {
      const close = html.indexOf(']]>', open + 9);
      current += html.slice(open + 9, close === -1 ? html.length : close);
      at = close === -1 ? html.length : close + 3;
      continue;
    }
    if (!/^[A-Za-z/!?]/.test(html.charAt(open + 1))) {
      // '<' that cannot start a tag ("x < y") is text.
      current += '<';
      at = open + 1;
      continue;
    }
    const tag = readTag(html, open);
    if (tag === undefined) {
      // No '>' follows: the rest is text (stopping here keeps the scan linear).
      current += decodeHtmlEntities(html.slice(open));
      break;
    }
    if (tag.name === '') {
      // A declaration or processing instruction (<!DOCTYPE ...>, <?xml ...?>), or '<' before a non-letter.
      at = tag.end;
      continue;
    }
    at = tag.end;
    if (SKIPPED.has(tag.name) && !tag.closing && !tag.selfClosing) {
      at = skipElement(html, tag.name, at);
    } else if (tag.name === 'br') {
      current += '\n';
    } else if (BLOCKS.has(tag.name) || tag.name === 'pre') {
      flush();
    } else if (CELLS.has(tag.name)) {
      current += ' ';
    }
  }
  flush();
  return blocks;
}

/** Paragraphs of an HTML body: one per block, whitespace (including line breaks) collapsed. */
export function htmlParagraphs(html: string): string[] {
  return htmlBlocks(html).flatMap(blockParagraphs);
}

/** Paragraphs of text that may carry a few tags (`text/plain` wrapped in `<p>`): line structure kept. */
export function taggedTextParagraphs(text: string): string[] {
  return htmlBlocks(text).flatMap(plainTextParagraphs);
}
