import { describe, expect, it } from 'vitest';
import { withAppended, withRoom } from '../../../functions/core/matching/typed-arrays.ts';

describe('withRoom', () => {
  it('keeps an array that already holds what is needed', () => {
    const array = new Int32Array(8);
    expect(withRoom(array, 8)).toBe(array);
  });

  it('at least doubles, keeping the values and the type', () => {
    const bigger = withRoom(Uint8Array.of(7, 9), 3);
    expect(bigger).toBeInstanceOf(Uint8Array);
    expect(bigger.length).toBe(16);
    expect([...bigger.slice(0, 3)]).toEqual([7, 9, 0]);
    expect(withRoom(new Uint32Array(16), 40).length).toBe(40);
  });
});

describe('withAppended', () => {
  it('sets the value past the end of a full array, in a larger one', () => {
    const full = Int32Array.of(1, 2);
    const after = withAppended(full, 2, 3);
    expect([...after.slice(0, 3)]).toEqual([1, 2, 3]);
    expect(full.length).toBe(2);
  });
});
