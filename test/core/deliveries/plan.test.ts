import { describe, expect, it } from 'vitest';
import { planDeliveries } from '../../../functions/core/deliveries/plan.ts';
import { jobsOf } from '../../../functions/core/deliveries/types.ts';
import { compileSubscriptions } from '../../../functions/core/matching/index.ts';
import type { Match, MatchIndex } from '../../../functions/core/matching/types.ts';
import { decodeFingerprint } from '../../../functions/core/stories/near-duplicates.ts';
import type { Subscription } from '../../../functions/core/subscriptions/subscription.ts';
import { aStory } from '../../support/stories.ts';
import { aSubscription } from '../alerts/factories.ts';

function aMatch(subscriptionId: string, terms: string[] = ['harbour']): Match {
  return {
    subscriptionId,
    hits: terms.map((term) => ({ term, field: 'body' as const, start: 0, end: 7, text: 'harbour' })),
    snippet: { text: 'harbour strike', highlights: [[0, 7]] },
  };
}

/** An index that matches the given subscription ids, and counts its calls. */
function indexMatching(...ids: string[]): MatchIndex & { calls: number } {
  return {
    size: ids.length,
    calls: 0,
    match() {
      this.calls++;
      return ids.map((id) => aMatch(id));
    },
  };
}

function byId(...subscriptions: Subscription[]): Map<string, Subscription> {
  return new Map(subscriptions.map((s) => [s.id, s]));
}

describe('planDeliveries', () => {
  it('plans one job per confirmed channel, the alerts topic included when chosen', () => {
    const subscription = aSubscription({
      channels: [
        { type: 'email', address: 'a@example.com', confirmed: true },
        { type: 'sms', phone: '+14155550123', confirmed: true },
        { type: 'sns', confirmed: true },
      ],
    });
    const plan = planDeliveries(aStory(), indexMatching('sub-1'), byId(subscription));
    expect(jobsOf(plan).map((job) => [job.channel, job.destination])).toEqual([
      ['email', 'a@example.com'],
      ['sms', '+14155550123'],
      ['sns', undefined],
    ]);
    expect(plan.matches).toHaveLength(1);
    expect(jobsOf(plan)[0]).toMatchObject({
      story: { id: 'test-story-1', version: 1, status: 'usable', headline: 'Ministers meet in Lisbon' },
      subscription: { id: 'sub-1', name: 'Ports', owner: 'user-1', query: 'harbour' },
      matchedTerms: ['harbour'],
      snippet: { text: 'harbour strike', highlights: [[0, 7]] },
    });
  });

  it('sends nothing anywhere for unconfirmed channels, the topic included', () => {
    const subscription = aSubscription({
      channels: [
        { type: 'email', address: 'a@example.com', confirmed: false },
        { type: 'sms', phone: '+14155550123', confirmed: false },
        { type: 'sns', confirmed: false },
      ],
    });
    const plan = planDeliveries(aStory(), indexMatching('sub-1'), byId(subscription));
    expect(jobsOf(plan)).toEqual([]);
  });

  it('never puts an e-mail-only subscription on the alerts topic; an sns: true one goes there', () => {
    const emailOnly = aSubscription({ id: 'email-only' });
    const withTopic = aSubscription({
      id: 'with-topic',
      channels: [...aSubscription().channels, { type: 'sns', confirmed: true }],
    });
    const plan = planDeliveries(
      aStory(),
      indexMatching('email-only', 'with-topic'),
      byId(emailOnly, withTopic),
    );
    expect(jobsOf(plan).map((job) => [job.subscription.id, job.channel])).toEqual([
      ['email-only', 'email'],
      ['with-topic', 'email'],
      ['with-topic', 'sns'],
    ]);
  });

  it('plans nothing for paused or unknown subscriptions', () => {
    const paused = aSubscription({ id: 'paused', status: 'paused' });
    const plan = planDeliveries(aStory(), indexMatching('paused', 'gone'), byId(paused));
    expect(jobsOf(plan)).toEqual([]);
    expect(plan.matches).toEqual([]);
  });

  it.each(['killed', 'withheld'] as const)(
    'plans nothing for a %s story and does not even match it',
    (status) => {
      const index = indexMatching('sub-1');
      const plan = planDeliveries(aStory({ status }), index, byId(aSubscription()));
      expect(jobsOf(plan)).toEqual([]);
      expect(index.calls).toBe(0);
    },
  );

  it.each(['update', 'correction'] as const)('plans an %s normally (the ledger stops repeats)', (status) => {
    const plan = planDeliveries(
      aStory({ status, version: 2 }),
      indexMatching('sub-1'),
      byId(aSubscription()),
    );
    expect(jobsOf(plan).map((job) => [job.channel, job.story.version, job.story.status])).toEqual([
      ['email', 2, status],
    ]);
  });

  it('uses one channel of each type (the delivery key is per channel type)', () => {
    const subscription = aSubscription({
      channels: [
        { type: 'email', address: 'first@example.com', confirmed: true },
        { type: 'email', address: 'second@example.com', confirmed: true },
        { type: 'sns', confirmed: true },
      ],
    });
    const plan = planDeliveries(aStory(), indexMatching('sub-1'), byId(subscription));
    expect(jobsOf(plan).map((job) => [job.channel, job.destination])).toEqual([
      ['email', 'first@example.com'],
      ['sns', undefined],
    ]);
  });

  it('works with the real matching engine: distinct matched terms, snippet with highlights', () => {
    const subscriptions = [
      aSubscription({ id: 'fish', query: 'fishing OR quotas' }),
      aSubscription({ id: 'other', query: 'volcano' }),
    ];
    const { index } = compileSubscriptions(subscriptions.map(({ id, query }) => ({ id, query })));
    const plan = planDeliveries(aStory(), index, byId(...subscriptions));
    expect(jobsOf(plan).map((job) => [job.subscription.id, job.channel])).toEqual([['fish', 'email']]);
    const [job] = jobsOf(plan);
    expect(job?.matchedTerms.length).toBeGreaterThan(0);
    expect(new Set(job?.matchedTerms).size).toBe(job?.matchedTerms.length);
    const [start, end] = job?.snippet.highlights[0] ?? [0, 0];
    expect(job?.snippet.text.slice(start, end).toLowerCase()).toMatch(/fishing|quotas/);
  });
});

describe('planDeliveries and delivery control', () => {
  it("carries the story's text fingerprint once, and each subscription's update policy when not the default", () => {
    const story = aStory({
      body: 'Dock workers at the port walked out on Tuesday after pay talks collapsed.',
    });
    const plan = planDeliveries(
      story,
      indexMatching('a', 'b'),
      byId(aSubscription({ id: 'a', updates: 'substantive' }), aSubscription({ id: 'b' })),
    );
    expect(plan.story.fingerprint).toMatch(/^m1\.\d+\./);
    expect(decodeFingerprint(plan.story.fingerprint)?.shingles).toBeGreaterThan(10);
    expect(plan.matches.map((match) => match.subscription.updates)).toEqual(['substantive', undefined]);
  });
});
