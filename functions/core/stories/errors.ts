/** Why a story could not be parsed; stable codes for logs and metrics. */
export type StoryErrorCode =
  | 'empty'
  | 'too-large'
  | 'unknown-format'
  | 'malformed-xml'
  | 'malformed-json'
  | 'doctype-forbidden'
  | 'missing-field'
  | 'invalid-field';

/**
 * A story that cannot be parsed. The message is one line: what is wrong and what to do.
 * Parsers throw only this type for bad input, never a raw parser error.
 */
export class StoryParseError extends Error {
  override readonly name = 'StoryParseError';
  constructor(
    readonly code: StoryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Largest story accepted, in bytes: the SQS message limit (1 MiB). */
export const MAX_STORY_BYTES = 1024 * 1024;
