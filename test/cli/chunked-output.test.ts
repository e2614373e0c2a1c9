import { describe, expect, it } from 'vitest';
import { type ByteSink, ChunkedOutput, lineSink } from '../../functions/cli/chunked-output.ts';

/** A sink that keeps every chunk it is given. */
function collecting(): { sink: ByteSink; chunks: Uint8Array[]; text(): string } {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    sink: (bytes) => {
      chunks.push(bytes);
      return undefined;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

const AWKWARD = [
  'plain',
  '',
  'quote " and backslash \\',
  'control \u0001 and tab \t and newline \n',
  'accents: Peña Nieto, Erdoğan',
  'ellipsis … and an emoji 🗞️',
  'lone surrogate \ud800 at the end',
  'x'.repeat(40),
];

describe('ChunkedOutput', () => {
  it('writes what was appended, in order, whatever the chunk boundaries', async () => {
    const target = collecting();
    const out = new ChunkedOutput(target.sink, 16);
    const long = Buffer.from('a long run of bytes that spans several chunks of sixteen');
    out.text('{"a":');
    out.bytes(long);
    out.bytes(Buffer.from('|short|'));
    out.text('Peña … 🗞️ ');
    out.text('é'.repeat(20));
    await out.end();
    expect(target.text()).toBe(`{"a":${long.toString()}|short|Peña … 🗞️ ${'é'.repeat(20)}`);
    expect(target.chunks.length).toBeGreaterThan(5);
    expect(target.chunks.every((chunk) => chunk.length <= 16)).toBe(true);
  });

  it('copies appended bytes, so the caller may reuse them', async () => {
    const target = collecting();
    const out = new ChunkedOutput(target.sink, 64);
    const shared = Buffer.from('0123456789');
    out.bytes(shared);
    shared.fill(0x2d);
    out.bytes(shared);
    await out.end();
    expect(target.text()).toBe('0123456789----------');
  });

  it.each([16, 1 << 20])('writes each string as JSON.stringify would (chunks of %i bytes)', async (size) => {
    const target = collecting();
    const out = new ChunkedOutput(target.sink, size);
    for (const value of AWKWARD) {
      out.jsonString(value);
      out.text(',');
    }
    await out.end();
    expect(target.text()).toBe(AWKWARD.map((value) => `${JSON.stringify(value)},`).join(''));
  });

  it.each([16, 64, 1 << 20])(
    'keeps the bytes of a text to append again, intact after later chunks (chunks of %i bytes)',
    async (size) => {
      const target = collecting();
      const out = new ChunkedOutput(target.sink, size);
      const texts = ['short é', 'a text of forty characters, more or less', 'x'.repeat(30)];
      const kept = texts.map((text) => {
        out.text('|');
        return out.keptText(text);
      });
      for (const bytes of kept) out.bytes(bytes);
      await out.end();
      expect(kept.map((bytes) => Buffer.from(bytes).toString('utf8'))).toEqual(texts);
      expect(target.text()).toBe(`|${texts.join('|')}${texts.join('')}`);
    },
  );

  it('hands nothing over for nothing appended', async () => {
    const target = collecting();
    await new ChunkedOutput(target.sink).end();
    expect(target.chunks).toEqual([]);
  });

  it('waits for a sink that asks it to (backpressure) before saying it can take more', async () => {
    let release: () => void = () => {};
    const taken: string[] = [];
    const out = new ChunkedOutput((bytes) => {
      taken.push(Buffer.from(bytes).toString());
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    }, 8);
    out.text('0123456789');
    let drained = false;
    const waiting = out.drained().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toEqual(['01234567']);
    expect(drained).toBe(false);
    release();
    await waiting;
    expect(drained).toBe(true);
    const ended = out.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toEqual(['01234567', '89']);
    release();
    await ended;
  });
});

describe('lineSink', () => {
  it('gives whole lines when chunks cut lines and characters in two', () => {
    const lines: string[] = [];
    const { sink, end } = lineSink((line) => lines.push(line));
    const bytes = Buffer.from('first ✓\nsecond 🗞️ line\n\nlast without newline');
    for (let at = 0; at < bytes.length; at += 3) sink(bytes.subarray(at, at + 3));
    end();
    expect(lines).toEqual(['first ✓', 'second 🗞️ line', '', 'last without newline']);
  });

  it('gives no extra line after a final newline', () => {
    const lines: string[] = [];
    const { sink, end } = lineSink((line) => lines.push(line));
    sink(Buffer.from('one\ntwo\n'));
    end();
    expect(lines).toEqual(['one', 'two']);
  });
});
