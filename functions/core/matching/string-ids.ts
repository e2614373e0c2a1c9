/**
 * Distinct strings numbered 0, 1, 2... in the order first met: an open-addressing hash table over typed arrays.
 *
 * Why not a Map: compile numbers a million query texts and over a million stems, and a Map grown to that size
 * costs two lookups per new key (get, then set), rehashes of the whole table as it grows, and several cache
 * misses a lookup. Here a slot holds the id and the full hash side by side, so a probe costs one cache miss
 * and a string is compared only when the hashes are equal; the table can be sized up front, and growing it
 * moves numbers, not strings. The hash is seeded per table, so that chosen query texts cannot make keys collide.
 */
export class StringIds {
  /** Slot s is table[2s] = id + 1 (0 when empty) and table[2s + 1] = the hash. At most 3/4 of the slots are used. */
  private table: Int32Array;
  private readonly seed = (Math.random() * 0x100000000) | 0;
  /** The strings by id. */
  readonly strings: string[] = [];

  /** `expected`: how many distinct strings to make room for before the first growth. */
  constructor(expected = 16) {
    this.table = new Int32Array(slotsFor(expected) * 2);
  }

  get size(): number {
    return this.strings.length;
  }

  /** The id of `text`, or undefined when it has none. */
  get(text: string): number | undefined {
    const { table, strings } = this;
    const hash = this.hash(text);
    const mask = (table.length >>> 1) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[2 * slot] as number;
      if (entry === 0) return undefined;
      if (table[2 * slot + 1] === hash && strings[entry - 1] === text) return entry - 1;
    }
  }

  /** The id of `text`, numbering it when it is new (`size` tells whether it was). */
  idOf(text: string): number {
    const { table, strings } = this;
    const hash = this.hash(text);
    const mask = (table.length >>> 1) - 1;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const entry = table[2 * slot] as number;
      if (entry === 0) break;
      if (table[2 * slot + 1] === hash && strings[entry - 1] === text) return entry - 1;
    }
    const id = strings.length;
    strings.push(text);
    table[2 * slot] = id + 1;
    table[2 * slot + 1] = hash;
    if (strings.length * 8 > table.length * 3) this.grow(); // over 3/4 of table.length / 2 slots
    return id;
  }

  private grow(): void {
    this.rehash(this.table.length);
  }

  private rehash(slots: number): void {
    const old = this.table;
    const table = new Int32Array(slots * 2);
    const mask = (table.length >>> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      const entry = old[i] as number;
      if (entry === 0) continue;
      const hash = old[i + 1] as number;
      let slot = hash & mask;
      while (table[2 * slot] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = entry;
      table[2 * slot + 1] = hash;
    }
    this.table = table;
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

/**
 * Slots for this many strings with at most 3/4 of them used (a power of two, at least 16). Fuller than the usual
 * half: a table of millions of keys is probed at random, and at that size each probe's cost is the page it lands
 * on (half the table, half the TLB misses), not the few neighbouring slots a fuller table makes it read.
 */
function slotsFor(strings: number): number {
  let slots = 16;
  while (slots * 3 < strings * 4) slots *= 2;
  return slots;
}
