/**
 * A blocked Bloom filter over the index's anchor keys: a story key it rules out has no posting row, found
 * without a lookup in the large key -> row table. At a million subscriptions that table holds over a million
 * keys (tens of MB), and most of a story's words and word pairs are keys the index does not know; the filter
 * answers for them from 12 bits a key (one 64-byte block per key). On the long tail at 1M it took a story from
 * 609-740 to 521-526 µs (docs/benchmarks.md). It never rules out a key it holds; about 2 % of other keys get
 * through, and are then looked up as before.
 *
 * A word pair key (`first second`, story-view.ts wordPair) is hashed from its two words' hashes (pairHash), so
 * a story asks about each pair it writes with one multiply, and builds the pair's string only for the few that
 * get through.
 */

/** Bits a key, for about 12 bits a key: 3 bits of one 512-bit block. */
const BITS_PER_KEY = 12;
const WORDS_PER_BLOCK = 16;

/** FNV-1a over the UTF-16 code units of text[from, to). */
function fnv(text: string, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** Murmur3's finaliser: a well-mixed hash from another. */
function mixed(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The hash of a word (a key without a space). */
export function wordHash(word: string): number {
  return fnv(word, 0, word.length);
}

/** The hash of the key `first second` from the hashes of its two words. */
export function pairHash(first: number, second: number): number {
  return mixed(Math.imul(first, 0x9e3779b1) ^ second);
}

/** The hash of any key: a key with a space is hashed as a pair at its first space (no word holds one). */
export function keyHash(key: string): number {
  const space = key.indexOf(' ');
  if (space < 0) return fnv(key, 0, key.length);
  return pairHash(fnv(key, 0, space), fnv(key, space + 1, key.length));
}

export class KeyFilter {
  private readonly words: Int32Array;
  private readonly blockMask: number;

  constructor(keys: Iterable<string>, count: number) {
    let blocks = 1;
    while (blocks * WORDS_PER_BLOCK * 32 < count * BITS_PER_KEY) blocks *= 2;
    this.words = new Int32Array(blocks * WORDS_PER_BLOCK);
    this.blockMask = blocks - 1;
    for (const key of keys) this.addHash(keyHash(key));
  }

  /**
   * A filter of the words of the pair keys among `keys` (either side of a key's first space). Far smaller
   * than the filter of all keys (at a million long-tail subscriptions about 80,000 words against 1.4 million
   * keys: 120 KB, which stays in the L2 cache), so a story rules out most of its pairs by their words, one
   * cheap probe a word, before it asks the large filter about a pair (a cache miss each).
   */
  static ofPairWords(keys: readonly string[]): KeyFilter {
    const hashes: number[] = [];
    for (const key of keys) {
      const space = key.indexOf(' ');
      if (space < 0) continue;
      hashes.push(fnv(key, 0, space), fnv(key, space + 1, key.length));
    }
    const filter = new KeyFilter([], hashes.length);
    for (const hash of hashes) filter.addHash(hash);
    return filter;
  }

  /** Adds a key by its hash (keyHash, wordHash or pairHash). */
  addHash(hash: number): void {
    const base = (hash & this.blockMask) * WORDS_PER_BLOCK;
    const bits = mixed(hash);
    for (let k = 0; k < 3; k++) {
      const bit = (bits >>> (9 * k)) & 511;
      const at = base + (bit >>> 5);
      this.words[at] = (this.words[at] as number) | (1 << (bit & 31));
    }
  }

  /** False when the key was certainly never added. */
  mayHave(key: string): boolean {
    return this.mayHaveHash(keyHash(key));
  }

  /** False when no key with this hash (keyHash, or pairHash of a pair's word hashes) was added. */
  mayHaveHash(hash: number): boolean {
    const base = (hash & this.blockMask) * WORDS_PER_BLOCK;
    const bits = mixed(hash);
    const { words } = this;
    for (let k = 0; k < 3; k++) {
      const bit = (bits >>> (9 * k)) & 511;
      if (((words[base + (bit >>> 5)] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
