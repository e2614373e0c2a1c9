/**
 * Bulk output in large chunks of UTF-8: `wirewatch match` writes tens of kilobytes a story at 200,000
 * subscriptions and hundreds at a million, and building one string a line, then encoding and writing it,
 * cost more than matching. Parts are appended as bytes (a shared explanation is encoded once and copied per
 * match) and each full chunk goes out in one write.
 */

/** Takes a chunk; returns a promise when the destination wants no more until it settles (backpressure). */
export type ByteSink = (bytes: Uint8Array) => Promise<void> | undefined;

const CHUNK_BYTES = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class ChunkedOutput {
  #chunk: Buffer;
  #used = 0;
  #pending: Promise<void> | undefined;

  constructor(
    private readonly sink: ByteSink,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.#chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Appends text as UTF-8. */
  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (text.length * 3 > this.#chunk.length - this.#used) {
      this.bytes(Buffer.from(text, 'utf8'));
      return;
    }
    this.#used += this.#chunk.write(text, this.#used, 'utf8');
  }

  /**
   * Appends text as UTF-8 and returns those bytes, to append again with `bytes` without encoding it again.
   * They are a view of the chunk written to, which stays as it is: chunks are never reused.
   */
  keptText(text: string): Uint8Array {
    if (text.length * 3 > this.#chunk.length - this.#used) {
      if (text.length * 3 > this.chunkBytes) {
        const bytes = Buffer.from(text, 'utf8');
        this.bytes(bytes);
        return bytes;
      }
      // Start a fresh chunk rather than split the text over two.
      this.#handOver();
    }
    const start = this.#used;
    this.#used += this.#chunk.write(text, start, 'utf8');
    return this.#chunk.subarray(start, this.#used);
  }

  /** Appends bytes (copied: the caller may append the same bytes again). */
  bytes(bytes: Uint8Array): void {
    let from = 0;
    while (bytes.length - from > this.#chunk.length - this.#used) {
      const room = this.#chunk.length - this.#used;
      this.#chunk.set(bytes.subarray(from, from + room), this.#used);
      this.#used += room;
      from += room;
      this.#handOver();
    }
    if (from === 0 && bytes.length < 64) {
      // A loop beats the native copy for a few bytes (most ids and separators).
      const chunk = this.#chunk;
      let at = this.#used;
      for (let i = 0; i < bytes.length; i++) chunk[at++] = bytes[i] as number;
      this.#used = at;
      return;
    }
    this.#chunk.set(from === 0 ? bytes : bytes.subarray(from), this.#used);
    this.#used += bytes.length - from;
  }

  /** Appends `JSON.stringify(value)`, without building it when the value is plain printable ASCII. */
  jsonString(value: string): void {
    if (value.length + 2 > this.#chunk.length - this.#used) {
      this.text(JSON.stringify(value));
      return;
    }
    const chunk = this.#chunk;
    let at = this.#used;
    chunk[at++] = QUOTE;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) {
        this.text(JSON.stringify(value));
        return;
      }
      chunk[at++] = code;
    }
    chunk[at++] = QUOTE;
    this.#used = at;
  }

  /** Resolves when the sink can take more; call between lines so that output never piles up in memory. */
  async drained(): Promise<void> {
    while (this.#pending !== undefined) {
      const pending = this.#pending;
      await pending;
      if (this.#pending === pending) this.#pending = undefined;
    }
  }

  /** Hands over what is buffered and waits until the sink has taken it. */
  async end(): Promise<void> {
    if (this.#used > 0) this.#handOver();
    await this.drained();
  }

  #handOver(): void {
    const full = this.#chunk.subarray(0, this.#used);
    // A fresh chunk: the sink may hold on to the one it was given until it is written.
    this.#chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.#used = 0;
    const waiting = this.sink(full);
    if (waiting !== undefined) {
      const before = this.#pending;
      this.#pending = before === undefined ? waiting : Promise.all([before, waiting]).then(() => undefined);
    }
  }
}

/**
 * A sink that splits the bytes into lines (without their newline) for a line-at-a-time writer: commands
 * run by tests, or a caller without a byte stream.
 */
export function lineSink(writeLine: (line: string) => void): { sink: ByteSink; end(): void } {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let carried = '';
  return {
    sink(bytes) {
      const text = carried + decoder.decode(bytes, { stream: true });
      const lines = text.split('\n');
      carried = lines.pop() ?? '';
      for (const line of lines) writeLine(line);
      return undefined;
    },
    end() {
      const rest = carried + decoder.decode();
      carried = '';
      if (rest !== '') writeLine(rest);
    },
  };
}
