import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchOrder } from '../../../functions/core/matching/match-order.ts';

function sorted(subscriptions: readonly number[], largest: number): [number, number][] {
  const order = new MatchOrder();
  order.reserve(subscriptions.length);
  subscriptions.forEach((subscription, slot) => {
    order.subscriptions[order.count] = subscription;
    order.slots[order.count++] = slot;
  });
  order.sort(largest);
  return Array.from(order.subscriptions.subarray(0, order.count), (subscription, i) => [
    subscription,
    order.slots[i] as number,
  ]);
}

describe('MatchOrder puts (subscription, slot) pairs in subscription order', () => {
  it.each([
    ['short lists (insertion sort)', 40, 1_000],
    ['long lists over one radix digit', 2_000, 2_000],
    ['long lists over three radix digits', 3_000, 5_000_000],
  ])('%s', (_how, maxLength, largest) => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: largest }), { maxLength }), (subscriptions) => {
        const expected = subscriptions
          .map((subscription, slot): [number, number] => [subscription, slot])
          .sort((a, b) => a[0] - b[0]);
        expect(sorted(subscriptions, largest)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('grows past its first buffers and keeps the pairs added before', () => {
    const subscriptions = Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 5_000);
    const result = sorted(subscriptions, 5_000);
    expect(result.map(([subscription]) => subscription)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(result.every(([subscription, slot]) => subscriptions[slot] === subscription)).toBe(true);
  });
});
