/**
 * Entity decoding done by hand, in one pass, with a fixed table: the XML parser runs with
 * entity processing off, so no entity can expand into markup or into other entities.
 */

const XML_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Named HTML entities common in wire copy (ninjs `body_html`, XHTML bodies). Others stay as written. */
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  ...XML_ENTITIES,
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  laquo: '\u00ab',
  raquo: '\u00bb',
  bull: '\u2022',
  middot: '\u00b7',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  deg: '\u00b0',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
  sect: '\u00a7',
  para: '\u00b6',
  times: '\u00d7',
  divide: '\u00f7',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  shy: '',
  zwj: '\u200d',
  zwnj: '\u200c',
  eacute: '\u00e9',
  egrave: '\u00e8',
  aacute: '\u00e1',
  agrave: '\u00e0',
  oacute: '\u00f3',
  uacute: '\u00fa',
  iacute: '\u00ed',
  ntilde: '\u00f1',
  ccedil: '\u00e7',
  auml: '\u00e4',
  ouml: '\u00f6',
  uuml: '\u00fc',
  Auml: '\u00c4',
  Ouml: '\u00d6',
  Uuml: '\u00dc',
  szlig: '\u00df',
  aring: '\u00e5',
  Aring: '\u00c5',
  aelig: '\u00e6',
  oslash: '\u00f8',
  Oslash: '\u00d8',
};

const MAX_ENTITY_NAME = 10;

function fromCodePoint(code: number): string {
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : '\ufffd';
}

function decodeWith(text: string, table: Readonly<Record<string, string>>): string {
  if (!text.includes('&')) return text;
  let out = '';
  let last = 0;
  let at = text.indexOf('&');
  while (at !== -1) {
    // Look for the ';' only a few characters ahead, so that text full of '&' stays linear.
    const window = text.slice(at + 1, at + 2 + MAX_ENTITY_NAME);
    const semicolon = window.indexOf(';');
    const name = semicolon === -1 ? '' : window.slice(0, semicolon);
    let replacement: string | undefined;
    if (/^#[0-9]{1,7}$/.test(name)) replacement = fromCodePoint(Number.parseInt(name.slice(1), 10));
    else if (/^#[xX][0-9a-fA-F]{1,6}$/.test(name))
      replacement = fromCodePoint(Number.parseInt(name.slice(2), 16));
    else if (name !== '' && Object.hasOwn(table, name)) replacement = table[name];
    if (replacement === undefined) {
      at = text.indexOf('&', at + 1);
      continue;
    }
    out += text.slice(last, at) + replacement;
    last = at + 2 + semicolon;
    at = text.indexOf('&', last);
  }
  return out + text.slice(last);
}

/** The five predefined XML entities and numeric character references; anything else is left as written. */
export function decodeXmlEntities(text: string): string {
  return decodeWith(text, XML_ENTITIES);
}

/** XML entities plus a fixed table of common HTML ones. */
export function decodeHtmlEntities(text: string): string {
  return decodeWith(text, HTML_ENTITIES);
}
