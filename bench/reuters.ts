/**
 * A small reader for Reuters-21578 SGML (`reut2-NNN.sgm`): enough to get each document's title,
 * dateline, body and PEOPLE/PLACES/ORGS/TOPICS labels. Read from ../shared/corpus only; the texts
 * are never copied into the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReutersDocument {
  readonly id: string;
  readonly title: string;
  readonly dateline: string;
  readonly body: string;
  readonly people: readonly string[];
  readonly places: readonly string[];
  readonly orgs: readonly string[];
  readonly topics: readonly string[];
}

function decodeEntities(text: string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const amp = text.indexOf('&', at);
    if (amp < 0) break;
    out += text.slice(at, amp);
    const semi = text.indexOf(';', amp);
    const name = semi > amp && semi - amp <= 8 ? text.slice(amp + 1, semi) : '';
    if (name === 'lt') out += '<';
    else if (name === 'gt') out += '>';
    else if (name === 'amp') out += '&';
    else if (name === 'quot') out += '"';
    else if (name.startsWith('#') && /^#\d+$/.test(name)) {
      const code = Number(name.slice(1));
      // Control characters (&#2;, &#3;, &#31;...) are wire framing, not text.
      if (code >= 32 || code === 10 || code === 9) out += String.fromCharCode(code);
    } else {
      out += '&';
      at = amp + 1;
      continue;
    }
    at = semi + 1;
  }
  return out + text.slice(at);
}

function element(doc: string, tag: string): string {
  const open = doc.indexOf(`<${tag}>`);
  if (open < 0) return '';
  const close = doc.indexOf(`</${tag}>`, open);
  if (close < 0) return '';
  return doc.slice(open + tag.length + 2, close);
}

function labels(doc: string, tag: string): string[] {
  const inner = element(doc, tag);
  const found: string[] = [];
  let at = 0;
  for (;;) {
    const open = inner.indexOf('<D>', at);
    if (open < 0) return found;
    const close = inner.indexOf('</D>', open);
    if (close < 0) return found;
    found.push(inner.slice(open + 3, close));
    at = close + 4;
  }
}

function cleanBody(body: string): string {
  // Paragraphs are lines indented with spaces; the story ends with "Reuter" and a control character.
  const text = decodeEntities(body)
    .replace(/\s*\bReuters?\s*$/, '')
    .replace(/\n {2,}/g, '\n\n')
    .trim();
  return text;
}

function parseDocument(doc: string): ReutersDocument | undefined {
  const idAt = doc.indexOf('NEWID="');
  const id = idAt < 0 ? '' : doc.slice(idAt + 7, doc.indexOf('"', idAt + 7));
  const body = element(doc, 'BODY');
  if (body === '') return undefined;
  const dateline = decodeEntities(element(doc, 'DATELINE')).trim();
  return {
    id: `reuters-${id}`,
    title: decodeEntities(element(doc, 'TITLE')).trim(),
    dateline: dateline.split(',')[0]?.trim() ?? '',
    body: cleanBody(body),
    people: labels(doc, 'PEOPLE'),
    places: labels(doc, 'PLACES'),
    orgs: labels(doc, 'ORGS'),
    topics: labels(doc, 'TOPICS'),
  };
}

/** Every document with a body, or undefined when the folder is absent. */
export function readReuters(dir: string): ReutersDocument[] | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((name) => /^reut2-\d{3}\.sgm$/.test(name))
    .sort();
  if (files.length === 0) return undefined;
  const documents: ReutersDocument[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'latin1');
    let at = text.indexOf('<REUTERS');
    while (at >= 0) {
      const end = text.indexOf('</REUTERS>', at);
      if (end < 0) break;
      const doc = parseDocument(text.slice(at, end));
      if (doc !== undefined) documents.push(doc);
      at = text.indexOf('<REUTERS', end);
    }
  }
  return documents;
}
