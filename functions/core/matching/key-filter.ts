/**
 * A blocked Bloom filter over the index's anchor keys: a story key it rules out has no posting row, found
 * without a lookup in the large key -> row table. At a million subscriptions that table holds over a million
 * keys (tens of MB), and most of a story's words and word pairs are keys the index does not know; the filter
 * answers for them from 12 bits a key (one 64-byte block per key). On the long tail at 1M it took a story from
 * 609-740 to 521-526 µs (docs/benchmarks.md). It never rules out a key it holds; about 2 % of other keys get
 * through, and are then looked up as before.
 */

/** Bits a key, for about 12 bits a key: 3 bits of one 512-bit block. */
const BITS_PER_KEY = 12;
const WORDS_PER_BLOCK = 16;

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Murmur3's finaliser: a second, well-mixed hash from the first. */
function mixed(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyFilter {
  private readonly words: Int32Array;
  private readonly blockMask: number;

  constructor(keys: Iterable<string>, count: number) {
    let blocks = 1;
    while (blocks * WORDS_PER_BLOCK * 32 < count * BITS_PER_KEY) blocks *= 2;
    this.words = new Int32Array(blocks * WORDS_PER_BLOCK);
    this.blockMask = blocks - 1;
    for (const key of keys) this.add(key);
  }

  add(key: string): void {
    const hash = hashOf(key);
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
    const hash = hashOf(key);
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
