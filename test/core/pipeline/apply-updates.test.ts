import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSubscriptions, planQueries } from '../../../functions/core/matching/index.ts';
import { applyUpdates } from '../../../functions/core/pipeline/apply-updates.ts';
import type { SubscriptionUpdate } from '../../../functions/core/pipeline/ports.ts';
import type { Subscription } from '../../../functions/core/subscriptions/subscription.ts';
import { aStory } from '../../support/stories.ts';
import { aSubscription } from '../alerts/factories.ts';
import { query, story } from '../matching/arbitraries.ts';
import { explained } from '../matching/helpers.ts';

const ids = fc.constantFrom(...Array.from({ length: 10 }, (_, i) => `s${i}`));
const status = fc.constantFrom<Subscription['status']>('active', 'active', 'paused');
/** A change-log update: a subscription added, edited, paused or resumed (put), or deleted (remove). */
const update: fc.Arbitrary<SubscriptionUpdate> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ id: ids, query, status })
      .map((fields) => ({ kind: 'put' as const, subscription: aSubscription(fields) })),
  },
  { weight: 1, arbitrary: ids.map((id) => ({ kind: 'remove' as const, id })) },
);

const byIdOf = (matches: Parameters<typeof explained>[0]) =>
  explained(matches).sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));

/** The table after the updates: what a compaction would scan. */
function applyToTable(table: Map<string, Subscription>, updates: readonly SubscriptionUpdate[]): void {
  for (const change of updates) {
    if (change.kind === 'put') table.set(change.subscription.id, change.subscription);
    else table.delete(change.id);
  }
}

describe('applyUpdates: a compiled index with change-log segments applied equals one compiled from the table', () => {
  it('for random subscriptions added, edited, paused, resumed and deleted in random segments, and random stories', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: ids, query, status }), { maxLength: 8 }),
        fc.array(fc.array(update, { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(story, { minLength: 1, maxLength: 3 }),
        (initial, segments, stories) => {
          const table = new Map(initial.map((fields) => [fields.id, aSubscription(fields)]));
          const active = () => [...table.values()].filter((subscription) => subscription.status === 'active');
          // The matcher's state after loading a snapshot (from plans, as a cold matcher builds it).
          const loaded = active();
          const { index, errors } = compileSubscriptions(loaded, {
            plans: planQueries(loaded.map((subscription) => subscription.query)),
          });
          const failed = new Set(errors.map((error) => error.id));
          const byId = new Map(
            loaded.filter((subscription) => !failed.has(subscription.id)).map((s) => [s.id, s]),
          );
          for (const segment of segments) {
            applyUpdates(index, byId, segment);
            applyToTable(table, segment);
            const fresh = compileSubscriptions(active());
            const compiled = new Set(fresh.errors.map((error) => error.id));
            expect([...byId.keys()].sort()).toEqual(
              active()
                .map((subscription) => subscription.id)
                .filter((id) => !compiled.has(id))
                .sort(),
            );
            for (const [id, subscription] of byId) expect(subscription).toEqual(table.get(id));
            expect(index.size).toBe(fresh.index.size);
            // Same matches, hits and snippets; the order may differ (a resumed subscription goes to the end).
            for (const s of stories) expect(byIdOf(index.match(s))).toEqual(byIdOf(fresh.index.match(s)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a subscription whose last state in a segment compiles, though an earlier one did not', () => {
    const { index } = compileSubscriptions([]);
    const byId = new Map<string, Subscription>();
    const fixed = aSubscription({ id: 'a', query: 'harbour' });
    const errors = applyUpdates(index, byId, [
      { kind: 'put', subscription: aSubscription({ id: 'a', query: '(harbour' }) },
      { kind: 'put', subscription: fixed },
    ]);
    expect(errors).toEqual([]);
    expect(byId.get('a')).toEqual(fixed);
    expect(
      index.match(aStory({ body: 'The harbour reopened.' })).map((match) => match.subscriptionId),
    ).toEqual(['a']);
  });

  it('takes a paused subscription out and puts it back when resumed, and a deleted one out for good', () => {
    const subscription = aSubscription({ id: 'a', query: 'harbour' });
    const { index } = compileSubscriptions([subscription]);
    const byId = new Map([['a', subscription]]);
    const harbour = () =>
      index.match(aStory({ body: 'The harbour reopened.' })).map((match) => match.subscriptionId);
    applyUpdates(index, byId, [{ kind: 'put', subscription: { ...subscription, status: 'paused' } }]);
    expect(harbour()).toEqual([]);
    expect(byId.has('a')).toBe(false);
    applyUpdates(index, byId, [{ kind: 'put', subscription }]);
    expect(harbour()).toEqual(['a']);
    applyUpdates(index, byId, [{ kind: 'remove', id: 'a' }]);
    expect(harbour()).toEqual([]);
    expect(index.size).toBe(0);
  });
});
