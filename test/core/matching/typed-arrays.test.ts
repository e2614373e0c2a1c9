import { describe, expect, it } from 'vitest';
import { grown, grownInt32 } from '../../../functions/core/matching/typed-arrays.ts';

describe('grown', () => {
  it('copies the values to the start of the larger array', () => {
    const to = grown(Uint8Array.of(3, 1, 2), new Uint8Array(6));
    expect([...to]).toEqual([3, 1, 2, 0, 0, 0]);
  });
});

describe('grownInt32', () => {
  it('keeps an array that already holds what is needed', () => {
    const array = new Int32Array(8);
    expect(grownInt32(array, 8)).toBe(array);
  });

  it('at least doubles, keeping the values', () => {
    const bigger = grownInt32(Int32Array.of(7, 9), 3);
    expect(bigger.length).toBe(16);
    expect([...bigger.slice(0, 3)]).toEqual([7, 9, 0]);
    expect(grownInt32(new Int32Array(16), 40).length).toBe(40);
  });
});
