import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { errorMessage } from '../describe-error.ts';
import { decodeXmlEntities } from './entities.ts';
import { StoryParseError } from './errors.ts';
import { SEND_ACCEPTED_FORMATS } from './input.ts';

/** An XML element with namespace prefixes removed from element and attribute names. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
/** Text (entities decoded; CDATA as written) or an element. */
export type XmlNode = XmlElement | string;

/** Deeper nesting than this is refused: no wire format comes close, and it bounds every tree walk. */
export const MAX_XML_DEPTH = 100;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Entities stay as written; the five XML ones and character references are decoded by hand.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  maxNestedTags: MAX_XML_DEPTH,
});

function forbidden(what: string): StoryParseError {
  return new StoryParseError(
    'doctype-forbidden',
    `XML story contains ${what}, which Wirewatch refuses (entity expansion risk); remove the DOCTYPE/ENTITY declarations and resend`,
  );
}

/**
 * Refuses entity declarations and DOCTYPEs with an internal subset before any parsing. A DOCTYPE that
 * only names an external DTD (`<!DOCTYPE nitf SYSTEM "nitf-3-2.dtd">`, as in the NITF specification
 * sample) declares nothing and is never fetched: it is blanked out, keeping line and column numbers.
 */
export function stripSafeDoctype(xml: string): string {
  if (/<!ENTITY/i.test(xml)) throw forbidden('an <!ENTITY> declaration');
  const start = xml.search(/<!DOCTYPE/i);
  if (start === -1) return xml;
  const end = xml.indexOf('>', start);
  const bracket = xml.indexOf('[', start);
  if (end === -1 || (bracket !== -1 && bracket < end))
    throw forbidden('a <!DOCTYPE> with an internal subset');
  if (/<!DOCTYPE/i.test(xml.slice(end))) throw forbidden('more than one <!DOCTYPE>');
  return xml.slice(0, start) + xml.slice(start, end + 1).replace(/[^\n]/g, ' ') + xml.slice(end + 1);
}

type OrderedNode = Record<string, unknown>;

function toElement(name: string, raw: OrderedNode): { element: XmlElement; pending: [XmlNode[], unknown][] } {
  const attrs: Record<string, string> = {};
  const rawAttrs = raw[':@'];
  if (rawAttrs !== null && typeof rawAttrs === 'object') {
    for (const [key, value] of Object.entries(rawAttrs as Record<string, unknown>)) {
      if (typeof value === 'string') attrs[key] = decodeXmlEntities(value);
    }
  }
  const children: XmlNode[] = [];
  return { element: { name, attrs, children }, pending: [[children, raw[name]]] };
}

/** Converts fast-xml-parser's ordered output into XmlElement trees, iteratively. */
function convert(ordered: unknown): XmlElement[] {
  const roots: XmlNode[] = [];
  const work: [XmlNode[], unknown][] = [[roots, ordered]];
  while (work.length > 0) {
    const [target, list] = work.pop()!;
    if (!Array.isArray(list)) continue;
    const converted: XmlNode[] = [];
    for (const item of list as OrderedNode[]) {
      const key = Object.keys(item).find((name) => name !== ':@');
      if (key === undefined || key.startsWith('?')) continue;
      if (key === '#text') {
        converted.push(decodeXmlEntities(String(item[key])));
      } else if (key === '#cdata') {
        const inner = item[key];
        const text = Array.isArray(inner)
          ? inner.map((part: OrderedNode) => String(part['#text'] ?? ''))
          : [];
        converted.push(text.join(''));
      } else {
        const { element, pending } = toElement(key, item);
        converted.push(element);
        work.push(...pending);
      }
    }
    target.push(...converted);
  }
  return roots.filter((node): node is XmlElement => typeof node !== 'string');
}

/**
 * Parses an XML story safely: entity declarations refused up front, well-formedness checked, entities
 * never expanded by the parser. Errors are one line with the position.
 */
export function parseXml(xml: string, what: string): XmlElement {
  const text = stripSafeDoctype(xml);
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new StoryParseError(
      'malformed-xml',
      `${what} is not well-formed XML at line ${line}, column ${col}: ${bounded(msg)} Fix the XML, or ${SEND_ACCEPTED_FORMATS}`,
    );
  }
  let ordered: unknown;
  try {
    ordered = parser.parse(text);
  } catch (error) {
    const reason = errorMessage(error);
    const detail = /nested/i.test(reason) ? `elements nested deeper than ${MAX_XML_DEPTH} levels` : reason;
    throw new StoryParseError('malformed-xml', `${what} cannot be read as XML: ${bounded(detail)}`);
  }
  const [root] = convert(ordered);
  if (root === undefined) {
    throw new StoryParseError('malformed-xml', `${what} has no root element; ${SEND_ACCEPTED_FORMATS}`);
  }
  return root;
}

export function childElements(element: XmlElement | undefined): XmlElement[] {
  if (element === undefined) return [];
  return element.children.filter((node): node is XmlElement => typeof node !== 'string');
}

/** Direct children with one of the given local names. */
export function children(element: XmlElement | undefined, ...names: string[]): XmlElement[] {
  return childElements(element).filter((child) => names.includes(child.name));
}

/** First direct child with one of the given local names. */
export function child(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  return childElements(element).find((node) => names.includes(node.name));
}

/** Follows a path of direct children: `path(head, 'docdata', 'doc-id')`. */
export function path(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) current = child(current, name);
  return current;
}

/** All descendants (depth-first, document order) with one of the given names. */
export function descendants(element: XmlElement | undefined, ...names: string[]): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const next of childElements(node)) {
      if (names.includes(next.name)) found.push(next);
      visit(next);
    }
  };
  if (element !== undefined) visit(element);
  return found;
}

/** The first descendant with one of the given names. */
export function descendant(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  return descendants(element, ...names)[0];
}

/** All text below an element, in document order, optionally skipping some child elements. */
export function textOf(element: XmlElement | undefined, skip: readonly string[] = []): string {
  if (element === undefined) return '';
  const parts: string[] = [];
  const visit = (node: XmlNode): void => {
    if (typeof node === 'string') parts.push(node);
    else if (!skip.includes(node.name)) for (const next of node.children) visit(next);
  };
  visit(element);
  return parts.join('');
}

export function attr(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.attrs[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Longest parser message quoted in an error: a parser may quote the whole (megabyte) input. */
const MAX_XML_MESSAGE_CHARS = 300;

function bounded(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ');
  return oneLine.length <= MAX_XML_MESSAGE_CHARS ? oneLine : `${oneLine.slice(0, MAX_XML_MESSAGE_CHARS)}…`;
}
