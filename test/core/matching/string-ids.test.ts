import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIds } from '../../../functions/core/matching/string-ids.ts';

describe('StringIds', () => {
  it('numbers distinct strings in the order first met, and finds them again', () => {
    const ids = new StringIds();
    expect([ids.idOf('kelly'), ids.idOf('tillerson'), ids.idOf('kelly'), ids.idOf('')]).toEqual([0, 1, 0, 2]);
    expect(ids.size).toBe(3);
    expect(ids.strings).toEqual(['kelly', 'tillerson', '']);
    expect(ids.get('tillerson')).toBe(1);
    expect(ids.get('')).toBe(2);
    expect(ids.get('kell')).toBeUndefined();
    expect(ids.size).toBe(3); // get never adds
  });

  it('gives what a Map numbering the same strings gives, through any number of growths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 400 }),
        fc.nat(40),
        (words, expected) => {
          const ids = new StringIds(expected);
          const map = new Map<string, number>();
          for (const word of words) {
            if (!map.has(word)) map.set(word, map.size);
            expect(ids.idOf(word)).toBe(map.get(word));
          }
          expect(ids.size).toBe(map.size);
          for (const word of [...words, 'absent\u0001']) expect(ids.get(word)).toBe(map.get(word));
        },
      ),
    );
  });

  it('keeps ten thousand strings apart', () => {
    const ids = new StringIds();
    for (let i = 0; i < 10_000; i++) expect(ids.idOf(`stem${i}`)).toBe(i);
    for (let i = 0; i < 10_000; i++) expect(ids.get(`stem${i}`)).toBe(i);
    expect(ids.get('stem10000')).toBeUndefined();
  });
});
