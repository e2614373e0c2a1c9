/**
 * The same news in different clothes: a compact fingerprint of a story's text, and the rules built on it.
 *
 * The fingerprint is a MinHash sketch of the text's word 3-shingles (lower-cased words of letters and digits),
 * made with one-permutation hashing: each shingle is hashed once, the hash's top 6 bits pick one of 64 bins and
 * each bin keeps its smallest remaining value; empty bins borrow the next filled bin's value (densification),
 * so that short texts still compare. The share of equal bins estimates the resemblance (Jaccard index) of the
 * two shingle sets; with the number of distinct shingles it also gives their containment. At most
 * MAX_FINGERPRINT_WORDS words are read: ledes carry the story, and the cost stays bounded (one hash per word).
 *
 * Rules (thresholds tested in test/core/stories/near-duplicates.test.ts, on pairs written for the tests and on
 * the Dow Jones versions of the shared corpus):
 * - `sameNews`: the smaller text is at least SAME_NEWS_CONTAINMENT contained in the larger, and the two resemble
 *   each other at least SAME_NEWS_MIN_RESEMBLANCE (a retransmission under a new id, an edited copy of
 *   another agency's story, a write-through that repeats most of an earlier take). Independent reports that
 *   share facts but little wording are not the same text, and are not grouped.
 * - `isSubstantiveUpdate`: a new version adds at least SUBSTANTIVE_NEW_SHINGLES shingles (about a new
 *   paragraph of that many words) or resembles the earlier one less than SUBSTANTIVE_RESEMBLANCE; a
 *   retransmission or a typo fix is neither.
 */

export const FINGERPRINT_BINS = 64;
export const MAX_FINGERPRINT_WORDS = 2000;
export const SAME_NEWS_CONTAINMENT = 0.5;
/**
 * And at least this resemblance: containment estimated from a few equal bins is noise (unrelated Dow Jones
 * stories of 73 and 771 shingles share 2 of 64 bins, which reads as 0.35 contained). A text contained in one
 * more than about six times its length is therefore not grouped with it.
 */
export const SAME_NEWS_MIN_RESEMBLANCE = 0.15;
export const SUBSTANTIVE_NEW_SHINGLES = 40;
export const SUBSTANTIVE_RESEMBLANCE = 0.8;
/** LSH bands for finding candidates: 16 bands of 4 bins; two texts at resemblance 0.5 share one at 0.65. */
export const FINGERPRINT_BANDS = 16;

const SHINGLE_WORDS = 3;
const EMPTY = 0xffffffff;
const FORMAT = 'm1';

export interface TextFingerprint {
  /** Distinct shingles seen (a text shorter than three words counts its words as one shingle). */
  readonly shingles: number;
  /** FINGERPRINT_BINS minimum values, densified. */
  readonly bins: Uint32Array;
}

/** The fingerprint of a text (case-insensitive; punctuation and spacing do not count). */
export function fingerprintText(text: string): TextFingerprint {
  const wordHashes = hashWords(text, MAX_FINGERPRINT_WORDS);
  const bins = new Uint32Array(FINGERPRINT_BINS).fill(EMPTY);
  // Distinct shingles counted in an open-addressing table of typed integers (no boxed numbers, no Set).
  const table = new Uint32Array(tableSize(wordHashes.length));
  const mask = table.length - 1;
  let shingles = 0;
  const add = (shingle: number) => {
    const hash = mix(shingle);
    const stored = hash === 0 ? 1 : hash;
    let slot = hash & mask;
    while (table[slot] !== 0 && table[slot] !== stored) slot = (slot + 1) & mask;
    if (table[slot] === 0) {
      table[slot] = stored;
      shingles++;
    }
    const bin = hash >>> 26;
    const value = hash & 0x03ffffff;
    if (value < bins[bin]!) bins[bin] = value;
  };
  if (wordHashes.length > 0 && wordHashes.length < SHINGLE_WORDS) {
    add(wordHashes.reduce((sum, word) => mix(sum ^ word), 0));
  }
  for (let at = 0; at + SHINGLE_WORDS <= wordHashes.length; at++) {
    add(mix(mix(wordHashes[at]! ^ 0x9e3779b9) ^ wordHashes[at + 1]!) ^ wordHashes[at + 2]!);
  }
  densify(bins);
  return { shingles, bins };
}

/** A power of two at least twice `entries` (at least 8): the table stays at most half full. */
function tableSize(entries: number): number {
  let size = 8;
  while (size < entries * 2) size *= 2;
  return size;
}

/** The text a story is judged by: headline, summary and body (not the byline or metadata). */
export function storyText(story: {
  readonly headline: string;
  readonly summary: readonly string[];
  readonly body: string;
}): string {
  return [story.headline, ...story.summary, story.body].join('\n');
}

/** Estimated Jaccard index of the two texts' shingle sets, 0 to 1. Two empty texts resemble each other fully. */
export function resemblance(a: TextFingerprint, b: TextFingerprint): number {
  if (a.shingles === 0 || b.shingles === 0) return a.shingles === b.shingles ? 1 : 0;
  let equal = 0;
  for (let bin = 0; bin < FINGERPRINT_BINS; bin++) if (a.bins[bin] === b.bins[bin]) equal++;
  return equal / FINGERPRINT_BINS;
}

/** Estimated share of the smaller text's shingles found in the larger one, 0 to 1. */
export function containment(a: TextFingerprint, b: TextFingerprint): number {
  const similar = resemblance(a, b);
  const smaller = Math.min(a.shingles, b.shingles);
  if (smaller === 0) return similar;
  return Math.min(1, (similar * (a.shingles + b.shingles)) / ((1 + similar) * smaller));
}

/** Estimated shingles of `next` that `earlier` does not have (about the words it adds). */
export function newShingles(earlier: TextFingerprint, next: TextFingerprint): number {
  const similar = resemblance(earlier, next);
  const shared = (similar * (earlier.shingles + next.shingles)) / (1 + similar);
  return Math.max(0, Math.round(next.shingles - shared));
}

/** True when two texts are the same news: see the rules at the top of this file. */
export function sameNews(a: TextFingerprint, b: TextFingerprint): boolean {
  return resemblance(a, b) >= SAME_NEWS_MIN_RESEMBLANCE && containment(a, b) >= SAME_NEWS_CONTAINMENT;
}

/** True when `next` changed materially since `earlier` (not a retransmission or a small fix). */
export function isSubstantiveUpdate(earlier: TextFingerprint, next: TextFingerprint): boolean {
  return (
    newShingles(earlier, next) >= SUBSTANTIVE_NEW_SHINGLES ||
    resemblance(earlier, next) < SUBSTANTIVE_RESEMBLANCE
  );
}

/**
 * Groups items that are the same news, in order: each item joins the first group whose first item (its
 * representative) it is the same news as, else starts a group. Quadratic in the number of groups: meant for
 * the tens of items of a digest, not for a whole feed.
 */
export function groupNearDuplicates<T>(
  items: readonly T[],
  fingerprintOf: (item: T) => TextFingerprint,
): T[][] {
  const groups: { readonly fingerprint: TextFingerprint; readonly items: T[] }[] = [];
  for (const item of items) {
    const fingerprint = fingerprintOf(item);
    const group = groups.find((candidate) => sameNews(candidate.fingerprint, fingerprint));
    if (group === undefined) groups.push({ fingerprint, items: [item] });
    else group.items.push(item);
  }
  return groups.map((group) => group.items);
}

/** Band keys (`b<band>:<hex>`): two texts that are the same news very likely share at least one. */
export function bandKeys(fingerprint: TextFingerprint): string[] {
  const rows = FINGERPRINT_BINS / FINGERPRINT_BANDS;
  const keys: string[] = [];
  for (let band = 0; band < FINGERPRINT_BANDS; band++) {
    let hash = band;
    for (let row = 0; row < rows; row++) hash = mix(hash ^ fingerprint.bins[band * rows + row]!);
    keys.push(`b${band}:${(hash >>> 0).toString(16)}`);
  }
  return keys;
}

/** The fingerprint as text, for messages and the ledger: `m1.<shingles>.<base64url of the bins>`. */
export function encodeFingerprint(fingerprint: TextFingerprint): string {
  const bytes = Buffer.from(
    fingerprint.bins.buffer,
    fingerprint.bins.byteOffset,
    fingerprint.bins.byteLength,
  );
  return `${FORMAT}.${fingerprint.shingles}.${bytes.toString('base64url')}`;
}

/** Reads `encodeFingerprint`'s text; undefined for anything else (an unknown format is simply not compared). */
export function decodeFingerprint(text: unknown): TextFingerprint | undefined {
  if (typeof text !== 'string' || text.length > 400) return undefined;
  const [format, count, data] = text.split('.');
  const shingles = Number(count);
  if (format !== FORMAT || !Number.isSafeInteger(shingles) || shingles < 0 || data === undefined)
    return undefined;
  const bytes = Buffer.from(data, 'base64url');
  if (bytes.length !== FINGERPRINT_BINS * 4) return undefined;
  const bins = new Uint32Array(FINGERPRINT_BINS);
  for (let bin = 0; bin < FINGERPRINT_BINS; bin++) bins[bin] = bytes.readUInt32LE(bin * 4);
  return { shingles, bins };
}

/** Fills empty bins from the next filled one (circularly), offset by the distance so borrowed values differ. */
function densify(bins: Uint32Array): void {
  let filled = -1;
  for (let bin = 0; bin < FINGERPRINT_BINS; bin++) if (bins[bin] !== EMPTY) filled = bin;
  if (filled === -1) {
    bins.fill(0);
    return;
  }
  const source = Uint32Array.from(bins);
  for (let bin = 0; bin < FINGERPRINT_BINS; bin++) {
    if (source[bin] !== EMPTY) continue;
    let step = 1;
    while (source[(bin + step) % FINGERPRINT_BINS] === EMPTY) step++;
    bins[bin] = mix(source[(bin + step) % FINGERPRINT_BINS]! ^ Math.imul(step, 0x9e3779b9)) | 0x04000000;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// A fixed pattern on one character at a time: is it a letter or a digit.
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Non-ASCII code units seen: their lower-case code unit, or -1 when not part of a word. */
const foldedCodes = new Map<number, number>();

/**
 * FNV-1a hashes of the text's first `limit` words (runs of letters and digits, lower-cased), in one pass over
 * the characters without building a string per word. Code units outside the Basic Multilingual Plane (emoji)
 * separate words.
 */
function hashWords(text: string, limit: number): Uint32Array {
  const hashes = new Uint32Array(Math.min(limit, (text.length >>> 1) + 1));
  let count = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  for (let at = 0; at < text.length; at++) {
    const code = foldedCode(text.charCodeAt(at));
    if (code >= 0) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    hashes[count++] = hash;
    if (count >= hashes.length) return hashes;
    hash = FNV_OFFSET;
    inWord = false;
  }
  if (inWord) hashes[count++] = hash;
  return hashes.subarray(0, count);
}

function foldedCode(code: number): number {
  if (code < 0x80) {
    if (code >= 0x61 && code <= 0x7a) return code; // a-z
    if (code >= 0x41 && code <= 0x5a) return code | 0x20; // A-Z
    return code >= 0x30 && code <= 0x39 ? code : -1; // 0-9
  }
  let folded = foldedCodes.get(code);
  if (folded === undefined) {
    const character = String.fromCharCode(code);
    folded = LETTER_OR_DIGIT.test(character) ? character.toLowerCase().charCodeAt(0) : -1;
    // Bounded: at most the 65,536 code units of the plane.
    foldedCodes.set(code, folded);
  }
  return folded;
}

/** Murmur3's finaliser: every input bit moves every output bit. */
function mix(value: number): number {
  let hash = value >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}
