import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeDeliveryJob,
  decodeDeliveryMessage,
  InvalidDeliveryJobError,
} from '../../../functions/core/alerts/decode-job.ts';
import {
  encodeDeliveryMessages,
  MAX_JOBS_PER_MESSAGE,
  MAX_MESSAGE_BYTES,
} from '../../../functions/core/alerts/delivery-message.ts';
import { capSnippet, snippetSegments, validHighlights } from '../../../functions/core/alerts/snippet.ts';
import { escapeHtml, safeHttpUrl, toSingleLine, truncateBytes } from '../../../functions/core/alerts/text.ts';
import { aDeliveryJob, isWellFormed } from './factories.ts';

describe('text helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('removes controls, separators, bidi overrides and lone surrogates from one-line text', () => {
    expect(toSingleLine(' a\r\nb\tc\u0000d\u2028e\u202ef\ud800g ')).toBe('a b c d e f g');
    expect(toSingleLine('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('never splits a character when cutting to bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 100 }),
        fc.integer({ min: 3, max: 200 }),
        (text, max) => {
          const cut = truncateBytes(text, max);
          expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
          expect(isWellFormed(cut)).toBe(isWellFormed(text));
        },
      ),
    );
  });

  it('accepts only absolute http(s) links without credentials', () => {
    expect(safeHttpUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHttpUrl(' JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('/relative')).toBeUndefined();
    expect(safeHttpUrl('https://user:pw@example.com/')).toBeUndefined();
  });
});

describe('snippets', () => {
  it('ignores highlights that overlap, run backwards or fall outside the text', () => {
    const snippet = {
      text: 'abcdefghij',
      highlights: [
        [0, 2],
        [1, 3],
        [5, 4],
        [8, 20],
        [6, 8],
      ] as [number, number][],
    };
    expect(validHighlights(snippet)).toEqual([
      [0, 2],
      [6, 8],
    ]);
    expect(snippetSegments(snippet)).toEqual([
      { text: 'ab', highlighted: true },
      { text: 'cdef', highlighted: false },
      { text: 'gh', highlighted: true },
      { text: 'ij', highlighted: false },
    ]);
  });

  it('caps a long snippet around its first highlight, shifting the highlights', () => {
    const text = `${'x'.repeat(1000)} harbour ${'y'.repeat(1000)}`;
    const capped = capSnippet({ text, highlights: [[1001, 1008]] }, 100);
    expect(capped.text.length).toBeLessThanOrEqual(100);
    const [start, end] = capped.highlights[0] ?? [0, 0];
    expect(capped.text.slice(start, end)).toBe('harbour');
    expect(capped.text.startsWith('…')).toBe(true);
    expect(capped.text.endsWith('…')).toBe(true);
  });
});

describe('decodeDeliveryJob', () => {
  it('reads back what the matcher writes', () => {
    const job = aDeliveryJob();
    expect(decodeDeliveryJob(JSON.stringify(job))).toEqual(job);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no story', JSON.stringify({ ...aDeliveryJob(), story: null }), /"story" must be an object/],
    ['bad channel', JSON.stringify({ ...aDeliveryJob(), channel: 'fax' }), /"channel" must be one of/],
    [
      'no destination',
      JSON.stringify({ ...aDeliveryJob(), destination: undefined }),
      /"destination" is required/,
    ],
    [
      'bad highlights',
      JSON.stringify({ ...aDeliveryJob(), snippet: { text: 'x', highlights: [[1]] } }),
      /highlights/,
    ],
  ])('refuses %s with a clear error', (_name, body, message) => {
    expect(() => decodeDeliveryJob(body)).toThrow(InvalidDeliveryJobError);
    expect(() => decodeDeliveryJob(body)).toThrow(message);
  });
});

/** A message as the matcher writes it, with one part replaced. */
function message(change: { story?: unknown; matches?: unknown; channels?: unknown[] }): string {
  const written = JSON.parse(encodeDeliveryMessages([aDeliveryJob()])[0] ?? '{}');
  if ('story' in change) written.story = change.story;
  if ('channels' in change) written.matches[0].deliveries = change.channels;
  if ('matches' in change) written.matches = change.matches;
  return JSON.stringify(written);
}

describe('deliveries-queue messages', () => {
  const jobs = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` } }),
    );

  it('carry up to 50 jobs each, in order, and read back as they were written', () => {
    const written = jobs(120);
    const bodies = encodeDeliveryMessages(written);
    expect(bodies).toHaveLength(3);
    const read = bodies.map(decodeDeliveryMessage);
    expect(read.map((message) => message.length)).toEqual([MAX_JOBS_PER_MESSAGE, MAX_JOBS_PER_MESSAGE, 20]);
    expect(read.flat()).toEqual(written);
    expect(encodeDeliveryMessages([])).toEqual([]);
  });

  it('stay within MAX_MESSAGE_BYTES, a job too large for that going alone', () => {
    const large = (i: number) =>
      aDeliveryJob({
        subscription: { ...aDeliveryJob().subscription, id: `big-${i}` },
        snippet: { text: 'é'.repeat(20_000), highlights: [] },
      });
    const bodies = encodeDeliveryMessages([...Array.from({ length: 5 }, (_, i) => large(i)), ...jobs(2)]);
    for (const body of bodies) {
      const count = decodeDeliveryMessage(body).length;
      if (count > 1) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    }
    expect(bodies.flatMap(decodeDeliveryMessage).map((job) => job.subscription.id)).toEqual([
      'big-0',
      'big-1',
      'big-2',
      'big-3',
      'big-4',
      'sub-0',
      'sub-1',
    ]);
    expect(bodies.length).toBeGreaterThan(1);
  });

  it('write a story once, and a match once for all its channels; another story starts another message', () => {
    const email = aDeliveryJob();
    const sns = { ...email, channel: 'sns' as const, destination: undefined };
    const other = aDeliveryJob({ story: { ...email.story, id: 'story-43' } });
    const bodies = encodeDeliveryMessages([email, sns, other]);
    expect(bodies).toHaveLength(2);
    const first = JSON.parse(bodies[0] ?? '{}');
    expect(first.story.id).toBe(email.story.id);
    expect(first.matches).toHaveLength(1);
    expect(first.matches[0].deliveries).toEqual([
      { channel: 'email', destination: 'reader@example.com' },
      { channel: 'sns' },
    ]);
    expect(bodies.flatMap(decodeDeliveryMessage)).toEqual([email, sns, other]);
  });

  it('still read a bare job, as the matcher wrote before it grouped them', () => {
    const job = aDeliveryJob();
    expect(decodeDeliveryMessage(JSON.stringify(job))).toEqual([job]);
  });

  it.each([
    ['no matches', message({ matches: [] }), /"matches" must be a non-empty list/],
    ['matches that are not a list', message({ matches: 'x' }), /"matches" must be a non-empty list/],
    ['no story', message({ story: null }), /"story" must be an object/],
    [
      'a bad channel among good ones',
      message({ channels: [{ channel: 'email', destination: 'a@example.com' }, { channel: 'fax' }] }),
      /"matches\[0\]\.deliveries\[1\]\.channel" must be one of/,
    ],
    [
      'an e-mail delivery without an address',
      message({ channels: [{ channel: 'email' }] }),
      /"matches\[0\]\.deliveries\[0\]\.destination" is required/,
    ],
    ['not an object', '[1, 2]', /"message" must be an object/],
  ])('refuse %s, naming the field', (_name, body, message) => {
    expect(() => decodeDeliveryMessage(body)).toThrow(InvalidDeliveryJobError);
    expect(() => decodeDeliveryMessage(body)).toThrow(message);
  });
});
