/**
 * Growing the typed arrays that compile, the index and the per-story programs fill as they go: one way, so
 * that each grows by doubling and none copies more than it must.
 */

type TypedArray = Int32Array | Uint32Array | Uint8Array;

/** `array` itself when it holds `needed` values, else a copy of the same type at least twice as long (16 at least). */
export function withRoom<T extends TypedArray>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const Same = array.constructor as new (length: number) => T;
  const bigger = new Same(Math.max(needed, array.length * 2, 16));
  bigger.set(array);
  return bigger;
}

/** Sets array[index], growing the array first when index is past its end; returns the array to keep. */
export function withAppended<T extends TypedArray>(array: T, index: number, value: number): T {
  const target = withRoom(array, index + 1);
  target[index] = value;
  return target;
}
