/** Growing the typed arrays the index and the per-story programs keep: one copy into a larger array. */

type TypedArray = Int32Array | Uint32Array | Uint8Array;

/** `to` (a larger array of the same type) holding `from`'s values at the start. */
export function grown<T extends TypedArray>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** `array` itself when it holds `needed` values, else a copy at least twice as long (16 at least). */
export function grownInt32(array: Int32Array, needed: number): Int32Array {
  if (needed <= array.length) return array;
  return grown(array, new Int32Array(Math.max(needed, array.length * 2, 16)));
}
