import { errorMessage } from '../describe-error.ts';
import { StoryParseError } from './errors.ts';
import { looksLikeAnpa } from './formats/anpa.ts';
import { isDowJonesRecord } from './formats/dowjones.ts';
import { NEWSML_1_ROOTS } from './formats/newsml-1.ts';
import { isNinjs } from './formats/ninjs.ts';
import { SEND_ACCEPTED_FORMATS } from './input.ts';
import type { StoryFormat } from './story.ts';

const NEWSML_G2_ROOTS = new Set([
  'newsMessage',
  'newsItem',
  'packageItem',
  'conceptItem',
  'knowledgeItem',
  'planningItem',
  'catalogItem',
  'contentSet',
  'contentMeta',
]);

/** Local name of the root element, skipping the XML declaration, comments and a DOCTYPE. */
export function xmlRootName(text: string): string | undefined {
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open === -1 || text.slice(at, open).trim() !== '') return undefined;
    if (text.startsWith('<?', open)) at = text.indexOf('?>', open) + 2;
    else if (text.startsWith('<!--', open)) at = text.indexOf('-->', open) + 3;
    else if (text.startsWith('<!', open)) {
      // A DOCTYPE internal subset ([...]) holds '>' characters of its own.
      const subset = text.indexOf('[', open);
      const close = text.indexOf('>', open);
      at = subset !== -1 && subset < close ? text.indexOf('>', text.indexOf(']', subset)) + 1 : close + 1;
    } else {
      const match = /^<([A-Za-z_][\w.:-]{0,100})/.exec(text.slice(open, open + 110));
      const name = match?.[1];
      return name === undefined ? undefined : name.slice(name.lastIndexOf(':') + 1);
    }
    if (at <= open) return undefined;
  }
}

/** Format of an XML story from its root element. */
function xmlFormat(root: string | undefined): StoryFormat | undefined {
  if (root === 'nitf') return 'nitf';
  if (root !== undefined && NEWSML_G2_ROOTS.has(root)) return 'newsml-g2';
  if (root !== undefined && NEWSML_1_ROOTS.includes(root)) return 'newsml-1';
  return undefined;
}

/** Format of a parsed JSON story from its keys. */
export function jsonFormat(json: Record<string, unknown>): StoryFormat | undefined {
  if (Object.hasOwn(json, 'wirewatch')) return 'envelope';
  if (isDowJonesRecord(json)) return 'dowjones';
  if (isNinjs(json)) return 'ninjs';
  return undefined;
}

const DOW_JONES_TRAILER = /\((?:END|ENDE|MORE TO FOLLOW)\)\s+Dow Jones Newswires/i;
const DOW_JONES_TIMESTAMP = /^[ \t]*[A-Z][a-z]+ \d{1,2}, \d{4} \d{1,2}:\d{2} E[SD]?T\b/m;
const DASH_DATELINE = /^[ \t]*\p{Lu}[\p{Lu} .,']{1,40}--\S/mu;

function looksLikeDowJones(text: string): boolean {
  const head = text.slice(0, 4096);
  return DOW_JONES_TRAILER.test(text) || DOW_JONES_TIMESTAMP.test(text) || DASH_DATELINE.test(head);
}

/** Parses JSON, rephrasing the error in one line with line and column. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = errorMessage(error);
    const position = /position (\d+)/.exec(message);
    const offset = position === null ? text.length : Number(position[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = message.replace(/\s*(?:in JSON\s*)?at position \d+.*$/s, '').replace(/\s+/g, ' ');
    throw new StoryParseError(
      'malformed-json',
      `story is not valid JSON at line ${line}, column ${column}: ${reason}; fix the JSON (ninjs or a Wirewatch envelope, docs/story-envelope.md)`,
    );
  }
}

/**
 * The format of a story text, or undefined when it is none Wirewatch reads (or is JSON that does
 * not parse). Checks, in order: ANPA control characters, XML root element, JSON keys, Dow Jones markers.
 */
export function detectFormat(text: string): StoryFormat | undefined {
  const start = text.trimStart();
  if (looksLikeAnpa(text)) return 'anpa';
  if (start.startsWith('<')) return xmlFormat(xmlRootName(start));
  if (start.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(start);
      return typeof json === 'object' && json !== null && !Array.isArray(json)
        ? jsonFormat(json as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return looksLikeDowJones(text) ? 'dowjones' : undefined;
}

/** The one-line error for input that is no known format, naming what was found when that helps. */
export function unknownFormat(text: string): StoryParseError {
  const start = text.trimStart();
  let found = 'plain text without Dow Jones markers';
  if (start.startsWith('\u0001')) {
    found = 'IPTC 7901 (not supported)';
  } else if (start.startsWith('<')) {
    const root = xmlRootName(start);
    found = root === undefined ? 'markup without a root element' : `XML with root <${root}>`;
  } else if (start.startsWith('{') || start.startsWith('[')) {
    found = start.startsWith('[')
      ? 'a JSON array (send one story object)'
      : 'JSON that is neither ninjs nor an envelope';
  }
  return new StoryParseError(
    'unknown-format',
    `unrecognised story format (${found}); ${SEND_ACCEPTED_FORMATS}`,
  );
}
