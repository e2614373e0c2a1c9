/**
 * Distinct strings numbered 0, 1, 2... in the order first met: an open-addressing hash table over typed arrays.
 *
 * Why not a Map: compile numbers a million query texts and over a million stems, and a Map grown to that size
 * costs two lookups per new key (get, then set), rehashes of the whole table as it grows, and several cache
 * misses a lookup. Here a new key costs one probe sequence, the table can be sized up front, and growing it
 * rehashes numbers, not strings. The hash is seeded per table, so that chosen query texts cannot make every
 * key collide.
 */
export class StringIds {
  /** Per slot: id + 1, or 0 when empty. At most half full. */
  private slots: Int32Array;
  /** Per id: its hash (to grow the table without hashing the strings again). */
  private hashes: Int32Array;
  private readonly seed = (Math.random() * 0x100000000) | 0;
  /** The strings by id. */
  readonly strings: string[] = [];

  /** `expected`: how many distinct strings to make room for before the first growth. */
  constructor(expected = 16) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(Math.max(16, expected));
  }

  get size(): number {
    return this.strings.length;
  }

  /** The id of `text`, or undefined when it has none. */
  get(text: string): number | undefined {
    const { slots, strings } = this;
    const mask = slots.length - 1;
    for (let at = this.hash(text) & mask; ; at = (at + 1) & mask) {
      const entry = slots[at] as number;
      if (entry === 0) return undefined;
      if (strings[entry - 1] === text) return entry - 1;
    }
  }

  /** The id of `text`, numbering it when it is new (`size` tells whether it was). */
  idOf(text: string): number {
    const hash = this.hash(text);
    const { slots, strings } = this;
    const mask = slots.length - 1;
    let at = hash & mask;
    for (; ; at = (at + 1) & mask) {
      const entry = slots[at] as number;
      if (entry === 0) break;
      if (strings[entry - 1] === text) return entry - 1;
    }
    const id = strings.length;
    strings.push(text);
    if (id === this.hashes.length) {
      const grown = new Int32Array(id * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    slots[at] = id + 1;
    if (strings.length * 2 > slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let at = (this.hashes[id] as number) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = id + 1;
    }
    this.slots = slots;
  }

  /** FNV-1a over the UTF-16 code units from a per-table seed, then murmur3's finaliser to spread the bits. */
  private hash(text: string): number {
    let hash = this.seed ^ 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    return hash ^ (hash >>> 16);
  }
}
