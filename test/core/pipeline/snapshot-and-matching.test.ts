import { describe, expect, it } from 'vitest';
import { jobsOf } from '../../../functions/core/deliveries/types.ts';
import {
  compileSubscriptions,
  planQueries,
  type QueryPlans,
} from '../../../functions/core/matching/index.ts';
import { planEntries } from '../../../functions/core/matching/plans.ts';
import { retryDelaySeconds } from '../../../functions/core/pipeline/backoff.ts';
import { buildSnapshot } from '../../../functions/core/pipeline/build-snapshot.ts';
import { keepForPreviews, matchAndQueue } from '../../../functions/core/pipeline/match-story.ts';
import type { SnapshotRead, SnapshotStore } from '../../../functions/core/pipeline/ports.ts';
import { SubscriptionSnapshotCache } from '../../../functions/core/pipeline/snapshot-cache.ts';
import type { Subscription } from '../../../functions/core/subscriptions/subscription.ts';
import { aStory } from '../../support/stories.ts';
import { aSubscription } from '../alerts/factories.ts';
import { MemoryDeliveryQueue, MemoryRecentStories } from '../deliveries/fakes.ts';

/** A snapshot store whose content tests change; it answers conditional reads like S3. */
class FakeSnapshots implements SnapshotStore {
  subscriptions: Subscription[] | undefined;
  plans: QueryPlans | undefined;
  version = 0;
  reads = 0;
  failure: Error | undefined;
  async read(knownVersion?: string): Promise<SnapshotRead> {
    this.reads++;
    if (this.failure !== undefined) throw this.failure;
    if (this.subscriptions === undefined) return { kind: 'missing' };
    if (knownVersion === String(this.version)) return { kind: 'unchanged' };
    return {
      kind: 'loaded',
      version: String(this.version),
      subscriptions: this.subscriptions,
      skipped: 0,
      plans: this.plans,
    };
  }
  async write(subscriptions: readonly Subscription[], plans?: QueryPlans) {
    this.subscriptions = [...subscriptions];
    this.plans = plans;
    this.version++;
    return { version: String(this.version), bytes: 0 };
  }
}

function setup() {
  const store = new FakeSnapshots();
  const warnings: string[] = [];
  const compiledWith: (QueryPlans | undefined)[] = [];
  let now = 0;
  const index = new SubscriptionSnapshotCache({
    store,
    compile: (subscriptions, options) => {
      compiledWith.push(options.plans);
      return compileSubscriptions(subscriptions, options);
    },
    checkIntervalSeconds: 30,
    log: { info: () => undefined, warn: (message) => warnings.push(message) },
    now: () => now,
  });
  return { store, index, warnings, compiledWith, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('SubscriptionSnapshotCache', () => {
  it('matches nothing, with a warning, until a snapshot exists', async () => {
    const { index, warnings } = setup();
    const compiled = await index.current();
    expect(compiled.index.size).toBe(0);
    expect(compiled.index.match(aStory())).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/No subscriptions snapshot yet/)]);
  });

  it('checks at most once per interval and recompiles only when the snapshot changed', async () => {
    const { store, index, advance } = setup();
    await store.write([aSubscription({ id: 'a', query: 'fishing' })]);
    expect((await index.current()).index.size).toBe(1);
    await store.write([
      aSubscription({ id: 'a', query: 'fishing' }),
      aSubscription({ id: 'b', query: 'quotas' }),
    ]);
    advance(10);
    expect((await index.current()).index.size).toBe(1);
    expect(store.reads).toBe(1);
    advance(25);
    const refreshed = await index.current();
    expect(refreshed.index.size).toBe(2);
    expect(
      refreshed.index
        .match(aStory())
        .map((m) => m.subscriptionId)
        .sort(),
    ).toEqual(['a', 'b']);
    advance(31);
    const same = await index.current();
    expect(same).toBe(refreshed);
    expect(store.reads).toBe(3);
  });

  it('compiles active subscriptions only and leaves out queries that do not compile', async () => {
    const { store, index } = setup();
    await store.write([
      aSubscription({ id: 'active', query: 'fishing' }),
      aSubscription({ id: 'paused', query: 'fishing', status: 'paused' }),
      aSubscription({ id: 'broken', query: '"unclosed' }),
    ]);
    const compiled = await index.current();
    expect([...compiled.byId.keys()]).toEqual(['active']);
  });

  it('compiles with the plans the snapshot carries', async () => {
    const { store, index, compiledWith } = setup();
    const plans = planQueries(['fishing']);
    await store.write([aSubscription({ id: 'a', query: 'fishing' })], plans);
    const compiled = await index.current();
    expect(compiledWith).toEqual([plans]);
    expect(compiled.index.match(aStory()).map((match) => match.subscriptionId)).toEqual(['a']);
  });

  it('keeps the loaded subscriptions when a later check fails, but fails when it has none', async () => {
    const { store, index, advance, warnings } = setup();
    store.failure = new Error('S3 unavailable');
    await expect(index.current()).rejects.toThrow('S3 unavailable');
    store.failure = undefined;
    await store.write([aSubscription({ id: 'a', query: 'fishing' })]);
    const loaded = await index.current();
    store.failure = new Error('S3 unavailable');
    advance(60);
    expect(await index.current()).toBe(loaded);
    expect(warnings).toEqual([expect.stringMatching(/check failed/)]);
  });
});

describe('buildSnapshot', () => {
  it('writes every subscription, with plans for the active ones', async () => {
    const store = new FakeSnapshots();
    const subscriptions = [
      aSubscription({ id: 'a', query: 'fishing' }),
      aSubscription({ id: 'b', query: 'quotas', status: 'paused' }),
      aSubscription({ id: 'c', query: 'fishing' }),
    ];
    const summary = await buildSnapshot({
      scanner: { scanAll: async () => ({ subscriptions, skipped: 1 }) },
      store,
    });
    expect(summary).toMatchObject({ subscriptions: 3, active: 2, skipped: 1, version: '1' });
    expect(store.subscriptions).toEqual(subscriptions);
    expect(store.plans && planEntries(store.plans)).toEqual([['fishing', [['fishing']]]]);
  });
});

describe('matchAndQueue', () => {
  async function compiled() {
    const { store, index } = setup();
    const channels = [...aSubscription().channels, { type: 'sns' as const, confirmed: true }];
    await store.write([aSubscription({ id: 'a', query: 'fishing', channels })]);
    return index.current();
  }

  it('queues the planned jobs', async () => {
    const deliveries = new MemoryDeliveryQueue();
    const plan = await matchAndQueue(aStory(), await compiled(), deliveries);
    expect(deliveries.jobs).toEqual(jobsOf(plan));
    expect(deliveries.jobs.map((job) => job.channel)).toEqual(['email', 'sns']);
  });

  it('throws when the jobs cannot be queued, so that the story is retried', async () => {
    const deliveries = new MemoryDeliveryQueue();
    deliveries.failure = new Error('queue unavailable');
    await expect(matchAndQueue(aStory(), await compiled(), deliveries)).rejects.toThrow('queue unavailable');
  });
});

describe('keepForPreviews', () => {
  it('keeps a batch of stories in one write, newest last, but not withheld ones (embargo)', async () => {
    const recent = new MemoryRecentStories();
    const stories = [
      aStory({ id: 'a' }),
      aStory({ id: 'embargoed', status: 'withheld' }),
      aStory({ id: 'b' }),
    ];
    await keepForPreviews(stories, recent, () => undefined);
    expect(recent.puts).toEqual([2]);
    expect((await recent.list(10)).map((story) => story.id)).toEqual(['b', 'a']);
    await keepForPreviews([aStory({ status: 'withheld' })], recent, () => undefined);
    expect(recent.puts).toEqual([2]);
  });

  it('reports, but survives, a failure to keep them', async () => {
    const recent = new MemoryRecentStories();
    recent.failure = new Error('bucket gone');
    const failures: string[] = [];
    await keepForPreviews([aStory()], recent, (error, stories) =>
      failures.push(`${stories.length}: ${(error as Error).message}`),
    );
    expect(failures).toEqual(['1: bucket gone']);
  });
});

describe('retryDelaySeconds', () => {
  it('grows exponentially with jitter up to the cap', () => {
    expect(retryDelaySeconds(1, {}, () => 0)).toBe(15);
    expect(retryDelaySeconds(1, {}, () => 1)).toBe(30);
    expect(retryDelaySeconds(3, {}, () => 1)).toBe(120);
    expect(retryDelaySeconds(12, {}, () => 1)).toBe(900);
    expect(retryDelaySeconds(Number.NaN, {}, () => 1)).toBe(30);
  });
});
