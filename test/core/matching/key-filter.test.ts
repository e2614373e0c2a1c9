import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../../functions/core/matching/key-filter.ts';

describe('KeyFilter', () => {
  it('never rules out a key it holds', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 12 }), { maxLength: 300 }), (keys) => {
        const filter = new KeyFilter(keys, keys.length);
        for (const key of keys) expect(filter.mayHave(key)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rules out nearly every key it does not hold', () => {
    const held = Array.from({ length: 200_000 }, (_, i) => `word${i} pair${i * 7}`);
    const filter = new KeyFilter(held, held.length);
    let through = 0;
    const others = 100_000;
    for (let i = 0; i < others; i++) if (filter.mayHave(`other${i}`)) through++;
    expect(through / others).toBeLessThan(0.05);
    expect(held.every((key) => filter.mayHave(key))).toBe(true);
  });
});
