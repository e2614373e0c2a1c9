import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoryParseError } from '../../../functions/core/stories/errors.ts';
import {
  decodeStoryMessage,
  encodeStoryMessage,
  isSqsBodyText,
  storyMessageAttributes,
} from '../../../functions/core/stories/message.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

describe('isSqsBodyText', () => {
  it.each([
    ['plain text with tabs and line breaks', 'Peña Nieto\tsaid\r\n€', true],
    ['a character beyond the BMP (a surrogate pair)', 'flag 🇲🇽', true],
    ['an ANPA control character', 'a\u0016b', false],
    ['NUL', 'a\u0000b', false],
    ['a lone surrogate', 'a\ud800b', false],
    ['U+FFFE', 'a\ufffeb', false],
  ])('%s -> %s', (_what, text, expected) => {
    expect(isSqsBodyText(text)).toBe(expected);
  });
});

describe('encodeStoryMessage / decodeStoryMessage', () => {
  it('sends UTF-8 text as it is, with no attribute', () => {
    const text = 'MEXICO CITY--Peña Nieto met Kelly.';
    expect(encodeStoryMessage(Buffer.from(text))).toEqual({ body: text });
    expect(storyMessageAttributes({ body: text })).toBeUndefined();
    expect(decodeStoryMessage(text, undefined)).toBe(text);
  });

  it.each([
    ['ANPA with control characters', fixture('anpa-strike.tst')],
    ['Latin-1 bytes (not UTF-8)', Buffer.from([0x50, 0x65, 0xf1, 0x61])],
  ])('sends %s as base64 and reads the same bytes back', (_what, bytes) => {
    const message = encodeStoryMessage(bytes);
    expect(message.contentEncoding).toBe('base64');
    expect(storyMessageAttributes(message)).toEqual({
      contentEncoding: { DataType: 'String', StringValue: 'base64' },
    });
    expect(isSqsBodyText(message.body)).toBe(true);
    expect(Buffer.from(decodeStoryMessage(message.body, message.contentEncoding))).toEqual(bytes);
  });

  it('an ANPA story survives the trip and parses', () => {
    const message = encodeStoryMessage(fixture('anpa-strike.tst'));
    const story = parseStory(decodeStoryMessage(message.body, message.contentEncoding));
    expect(story.format).toBe('anpa');
    expect(story.headline).toBe('Dock workers end strike at Example Harbour');
  });

  it('tolerates line breaks in base64 (as tools wrap it)', () => {
    const wrapped = Buffer.from('Invented story text.')
      .toString('base64')
      .replace(/(.{8})/g, '$1\n');
    expect(Buffer.from(decodeStoryMessage(wrapped, 'base64')).toString()).toBe('Invented story text.');
  });

  it.each([
    ['not base64', 'base64', 'not base64!', /not base64/],
    ['truncated base64', 'base64', 'QUJDRA=', /not base64/],
    ['padding in the middle', 'base64', 'QU=DRA==', /not base64/],
    ['an unknown encoding', 'gzip', 'H4sI', /contentEncoding is "gzip"; use "base64" or leave it out/],
  ])('refuses %s with an invalid-field error that says what to do', (_what, encoding, body, message) => {
    let caught: unknown;
    try {
      decodeStoryMessage(body, encoding);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoryParseError);
    expect((caught as StoryParseError).code).toBe('invalid-field');
    expect((caught as StoryParseError).message).toMatch(message);
  });
});
