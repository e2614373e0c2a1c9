/**
 * The components and text of a NewsML 1.x NewsItem: which NewsComponents belong to the story and
 * which to its pictures, and the paragraphs of their ContentItems.
 */

import { htmlParagraphs, xmlParagraphs } from '../markup.ts';
import { cleanLine, plainTextParagraphs } from '../text.ts';
import { attr, child, childElements, children, descendant, textOf, type XmlElement } from '../xml.ts';
import { type NitfContent, nitfContent } from './nitf.ts';

/** Component roles that carry the story text; when any is present only those are read. */
const BODY_ROLES = /^(?:main|body|text|story|content)$/i;
/** Component roles that never carry story text (the headline and subheadline are read separately). */
const NOT_BODY_ROLES =
  /^(?:headline|subheadline|contact|stylesheet|caption|logo|photo|picture|image|video|audio|graphic|thumbnail|preview|abstract|summary)$/i;
/** Roles whose NewsLines describe a picture or clip, not the story (Business Wire puts a caption there). */
export const MEDIA_ROLES = /^(?:caption|logo|photo|picture|image|video|audio|graphic|thumbnail|preview)$/i;
/** Roles whose text is a summary of the story. */
const SUMMARY_ROLES = /^(?:subheadline|abstract|summary)$/i;

export interface Component {
  readonly element: XmlElement;
  readonly role: string | undefined;
  readonly depth: number;
}

/**
 * Every NewsComponent of an item in document order, with its role (inherited from the nearest
 * component that names one) and depth. Of equivalent components (`EquivalentsList="yes"`, the same
 * content in several languages or formats) only the first is read, so text is never doubled.
 */
export function components(item: XmlElement): Component[] {
  const found: Component[] = [];
  const visit = (element: XmlElement, inherited: string | undefined, depth: number): void => {
    const role = attr(child(element, 'Role'), 'FormalName') ?? inherited;
    found.push({ element, role, depth });
    const nested = children(element, 'NewsComponent');
    const equivalents = attr(element, 'EquivalentsList')?.toLowerCase() === 'yes';
    for (const next of equivalents ? nested.slice(0, 1) : nested) visit(next, role, depth + 1);
  };
  for (const top of children(item, 'NewsComponent')) visit(top, undefined, 0);
  return found;
}

/** True for a ContentItem that can hold text: not a picture, clip, style sheet or encoded binary. */
function isTextItem(item: XmlElement): boolean {
  const kinds = [
    attr(child(item, 'MediaType'), 'FormalName'),
    attr(child(item, 'MimeType'), 'FormalName'),
    attr(child(item, 'Format'), 'FormalName'),
  ].map((kind) => kind?.toLowerCase() ?? '');
  if (
    kinds.some((kind) => /^(?:image|video|audio|photo|graphic)|css|jpeg|quicktime|windows media/.test(kind))
  )
    return false;
  const encoding = attr(child(item, 'Encoding'), 'Notation');
  return encoding === undefined || /^(?:none|plain|text|xml)$/i.test(encoding);
}

/** Paragraphs of a ContentItem's DataContent: NITF, XHTML, XML paragraphs, HTML as text, or plain text. */
function itemText(item: XmlElement): { paragraphs: string[]; nitf?: NitfContent } {
  const data = child(item, 'DataContent');
  if (data === undefined || !isTextItem(item)) return { paragraphs: [] };
  const nitf = descendant(data, 'nitf');
  if (nitf !== undefined) {
    const parsed = nitfContent(nitf);
    return { paragraphs: parsed.paragraphs, nitf: parsed };
  }
  const html = descendant(data, 'html');
  if (html !== undefined) return { paragraphs: xmlParagraphs(child(html, 'body') ?? html).paragraphs };
  if (childElements(data).length > 0) return { paragraphs: xmlParagraphs(data).paragraphs };
  // HTML sent as escaped text or CDATA (ANA), or plain wire copy.
  const raw = textOf(data);
  return { paragraphs: /<[A-Za-z]/.test(raw) ? htmlParagraphs(raw) : plainTextParagraphs(raw) };
}

export interface ItemText {
  readonly paragraphs: string[];
  readonly summary: string[];
  readonly headline: string;
  readonly nitf?: NitfContent | undefined;
}

/** Body, summary and a headline held as a text component (Business Wire sends its headline so). */
export function storyText(parts: readonly Component[]): ItemText {
  const items = parts.flatMap((part) =>
    children(part.element, 'ContentItem').map((item) => ({ role: part.role ?? '', item })),
  );
  const bodyItems = items.some(({ role }) => BODY_ROLES.test(role))
    ? items.filter(({ role }) => BODY_ROLES.test(role))
    : items.filter(({ role }) => !NOT_BODY_ROLES.test(role));
  const paragraphs: string[] = [];
  let nitf: NitfContent | undefined;
  for (const { item } of bodyItems) {
    const text = itemText(item);
    paragraphs.push(...text.paragraphs);
    nitf ??= text.nitf;
  }
  const textOfRole = (pattern: RegExp): string[] =>
    items.filter(({ role }) => pattern.test(role)).flatMap(({ item }) => itemText(item).paragraphs);
  return {
    paragraphs,
    nitf,
    summary: textOfRole(SUMMARY_ROLES),
    headline: cleanLine(textOfRole(/^headline$/i).join(' ')),
  };
}

/** Drops an agency's closing initials (`hh/ph/ts/hd`, AFP) from the end of the text. */
export function dropSignature(paragraphs: string[]): string[] {
  const kept = [...paragraphs];
  while (kept.length > 0 && /^[a-z]{1,4}(?:\/[a-z]{1,4})+$/i.test(kept[kept.length - 1]!)) kept.pop();
  return kept;
}
