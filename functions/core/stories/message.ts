/**
 * How a story travels in a stories-queue message. SQS bodies are Unicode text limited to the XML character
 * range (#x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF), so a story that is not such text —
 * ANPA-1312 with its control characters, ISO-8859-1 NITF — is sent as base64 with the String message
 * attribute `contentEncoding` = `base64`, and read back as bytes (the parser then decides the charset).
 * Anything else is sent as it is. A `format` attribute may name the wire format and skip detection.
 */
import { StoryParseError } from './errors.ts';

/** Names of the String message attributes the matcher reads. */
export const STORY_MESSAGE_ATTRIBUTES = { format: 'format', contentEncoding: 'contentEncoding' } as const;
export const BASE64 = 'base64';

export interface StoryMessage {
  readonly body: string;
  /** `base64` when the body is the story's bytes in base64; absent when it is the story itself. */
  readonly contentEncoding?: typeof BASE64;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** True when every character of `text` may appear in an SQS message body. */
export function isSqsBodyText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code <= 0xd7ff) continue;
    if (code === 0x9 || code === 0xa || code === 0xd) continue;
    if (code >= 0xe000 && code <= 0xfffd) continue;
    // A surrogate pair (a character from #x10000 up) is allowed; a lone surrogate is not.
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** The message that carries a story's bytes: the text itself when SQS accepts it, else base64. */
export function encodeStoryMessage(bytes: Uint8Array): StoryMessage {
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && isSqsBodyText(text)) return { body: text };
  return { body: Buffer.from(bytes).toString('base64'), contentEncoding: BASE64 };
}

/** The SQS message attributes (SendMessage shape) that go with a story message: none, or its encoding. */
export function storyMessageAttributes(
  message: StoryMessage,
): Record<string, { DataType: 'String'; StringValue: string }> | undefined {
  if (message.contentEncoding === undefined) return undefined;
  return {
    [STORY_MESSAGE_ATTRIBUTES.contentEncoding]: { DataType: 'String', StringValue: message.contentEncoding },
  };
}

/** Base64 as Buffer.from would silently half-read it is refused: only the alphabet, padded to whole quads. */
function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const letterOrDigit =
      (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
    if (letterOrDigit || code === 0x2b || code === 0x2f) continue;
    // "=" only as the last one or two characters.
    if (code === 0x3d && i >= text.length - 2 && (i === text.length - 1 || text[i + 1] === '=')) continue;
    return false;
  }
  return true;
}

/**
 * The story a message carries: its body, or the bytes its base64 body encodes. Throws StoryParseError
 * (`invalid-field`) for an unknown encoding or a body that is not base64, so the message fails with a reason.
 */
export function decodeStoryMessage(body: string, contentEncoding: string | undefined): string | Uint8Array {
  if (contentEncoding === undefined || contentEncoding === '') return body;
  if (contentEncoding !== BASE64) {
    throw new StoryParseError(
      'invalid-field',
      `message attribute ${STORY_MESSAGE_ATTRIBUTES.contentEncoding} is "${contentEncoding.slice(0, 40)}"; use "${BASE64}" or leave it out`,
    );
  }
  const compact = body.replace(/\s+/g, '');
  if (!isBase64(compact)) {
    throw new StoryParseError(
      'invalid-field',
      `message says ${STORY_MESSAGE_ATTRIBUTES.contentEncoding}=${BASE64} but its body is not base64; send the story's bytes base64-encoded, or as text without the attribute`,
    );
  }
  return Buffer.from(compact, 'base64');
}
