import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyFilter, pairHash, wordHash } from '../../../functions/core/matching/key-filter.ts';

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

  it("never rules out a word pair it holds, asked by its two words' hashes", () => {
    const word = fc.string({ minLength: 1, maxLength: 8 }).filter((text) => !text.includes(' '));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(word, word), { maxLength: 200 }), (pairs) => {
        const keys = pairs.map(([first, second]) => `${first} ${second}`);
        const filter = new KeyFilter(keys, keys.length);
        for (const [first, second] of pairs)
          expect(filter.mayHaveHash(pairHash(wordHash(first), wordHash(second)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rules out nearly every word pair it does not hold, asked by hashes', () => {
    const held = Array.from({ length: 200_000 }, (_, i) => `word${i} pair${i * 7}`);
    const filter = new KeyFilter(held, held.length);
    let through = 0;
    const others = 100_000;
    for (let i = 0; i < others; i++)
      if (filter.mayHaveHash(pairHash(wordHash(`word${i}`), wordHash(`pair${i * 7 + 1}`)))) through++;
    expect(through / others).toBeLessThan(0.05);
  });

  it('of pair words holds both words of every pair key, and few other words', () => {
    const keys = ['mass deportations', 'oil', '\u0001lang:en', 'oil prices'];
    const filter = KeyFilter.ofPairWords(keys);
    for (const word of ['mass', 'deportations', 'oil', 'prices'])
      expect(filter.mayHaveHash(wordHash(word))).toBe(true);
    let through = 0;
    for (let i = 0; i < 10_000; i++) if (filter.mayHaveHash(wordHash(`other${i}`))) through++;
    expect(through).toBeLessThan(500);
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
