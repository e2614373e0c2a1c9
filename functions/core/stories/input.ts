import { MAX_STORY_BYTES, StoryParseError } from './errors.ts';

/** What every "cannot read this" message ends with: the formats Wirewatch accepts. */
export const SEND_ACCEPTED_FORMATS =
  'send NITF, NewsML-G2, NewsML 1.x, ninjs, ANPA-1312, Dow Jones text or a Wirewatch JSON envelope (docs/story-envelope.md)';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Windows-1252 bytes 0x80-0x9F (WHATWG mapping). Decoded by hand because Node 20's
 * TextDecoder treats `windows-1252` as plain Latin-1 while Node 24 does not.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk: number[] = [];
  for (const byte of bytes) {
    chunk.push(byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : byte);
    if (chunk.length === 8192) parts.push(String.fromCharCode(...chunk.splice(0)));
  }
  parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

function tooLarge(bytes: number): StoryParseError {
  return new StoryParseError(
    'too-large',
    `story is ${bytes} bytes, over the ${MAX_STORY_BYTES}-byte limit (1 MiB, the SQS message limit); split it or send the text without attachments`,
  );
}

/** Byte length of a string as UTF-8, with shortcuts so that huge strings are not measured twice. */
function utf8Length(text: string): number {
  if (text.length > MAX_STORY_BYTES) return text.length; // at least one byte per UTF-16 unit: already too large
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Turns raw input into text. The size limit is checked first, before any decoding.
 * Bytes are read as UTF-8 (a byte-order mark is dropped); bytes that are not valid UTF-8 are read
 * as Windows-1252, the superset of Latin-1 that older feeds (ANPA, ISO-8859-1 NITF) use.
 * The encoding named in an XML declaration is not consulted: the bytes decide.
 */
export function decodeStoryInput(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    const bytes = utf8Length(input);
    if (bytes > MAX_STORY_BYTES) throw tooLarge(bytes);
    text = input;
  } else {
    if (input.byteLength > MAX_STORY_BYTES) throw tooLarge(input.byteLength);
    try {
      text = utf8.decode(input);
    } catch {
      text = decodeWindows1252(input);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    throw new StoryParseError('empty', `story is empty or only whitespace; ${SEND_ACCEPTED_FORMATS}`);
  }
  return text;
}
