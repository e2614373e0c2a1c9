import { describe, expect, it } from 'vitest';
import { compileSubscriptions, type QueryPlans } from '../../../functions/core/matching/index.ts';
import { buildSnapshot } from '../../../functions/core/pipeline/build-snapshot.ts';
import { matchAndQueue } from '../../../functions/core/pipeline/match-story.ts';
import type {
  ChangeLog,
  SnapshotRead,
  SnapshotStore,
  SubscriptionUpdate,
} from '../../../functions/core/pipeline/ports.ts';
import { SubscriptionSnapshotCache } from '../../../functions/core/pipeline/snapshot-cache.ts';
import type { Subscription } from '../../../functions/core/subscriptions/subscription.ts';
import { aStory } from '../../support/stories.ts';
import { aSubscription } from '../alerts/factories.ts';
import { MemoryDeliveryQueue } from '../deliveries/fakes.ts';

/** The subscriptions table, its stream turned into change-log segments, and compactions into snapshots. */
class Subscriptions implements ChangeLog, SnapshotStore {
  readonly table = new Map<string, Subscription>();
  readonly segments: { key: string; updates: readonly SubscriptionUpdate[] }[] = [];
  snapshot:
    | { subscriptions: Subscription[]; version: string; changesThrough: string | undefined }
    | undefined;
  snapshotReads = 0;
  segmentReads = 0;
  scans = 0;
  failure: Error | undefined;

  /** A write to the table; its stream record becomes a segment of its own. */
  async change(update: SubscriptionUpdate): Promise<void> {
    if (update.kind === 'put') this.table.set(update.subscription.id, update.subscription);
    else this.table.delete(update.id);
    await this.append([update]);
  }

  async compact(): Promise<void> {
    await buildSnapshot({
      scanner: {
        scanAll: async () => {
          this.scans++;
          return { subscriptions: [...this.table.values()], skipped: 0 };
        },
      },
      store: this,
      changes: this,
    });
  }

  async append(updates: readonly SubscriptionUpdate[]): Promise<string> {
    const key = `changes/${String(this.segments.length).padStart(6, '0')}`;
    this.segments.push({ key, updates });
    return key;
  }
  async keysAfter(after: string | undefined, limit: number): Promise<readonly string[]> {
    if (this.failure !== undefined) throw this.failure;
    return this.segments
      .map((segment) => segment.key)
      .filter((key) => after === undefined || key > after)
      .slice(0, limit);
  }
  async latest(): Promise<string | undefined> {
    return this.segments[this.segments.length - 1]?.key;
  }
  async read(key: string): Promise<readonly SubscriptionUpdate[]>;
  async read(knownVersion?: string): Promise<SnapshotRead>;
  async read(keyOrVersion?: string): Promise<readonly SubscriptionUpdate[] | SnapshotRead> {
    const segment = this.segments.find((candidate) => candidate.key === keyOrVersion);
    if (segment !== undefined) {
      this.segmentReads++;
      return segment.updates;
    }
    this.snapshotReads++;
    if (this.snapshot === undefined) return { kind: 'missing' };
    if (keyOrVersion === this.snapshot.version) return { kind: 'unchanged' };
    return { kind: 'loaded', skipped: 0, ...this.snapshot };
  }
  async write(subscriptions: readonly Subscription[], _plans?: QueryPlans, changesThrough?: string) {
    const version = `v${(Number(this.snapshot?.version.slice(1) ?? 0) || 0) + 1}`;
    this.snapshot = { subscriptions: [...subscriptions], version, changesThrough };
    return { version, bytes: 0 };
  }
}

function setup(options: { maxPendingSegments?: number; reloadAfterChanges?: number } = {}) {
  const subscriptions = new Subscriptions();
  let now = 0;
  const infos: string[] = [];
  const warnings: string[] = [];
  const index = new SubscriptionSnapshotCache({
    store: subscriptions,
    changes: subscriptions,
    compile: compileSubscriptions,
    checkIntervalSeconds: 30,
    log: { info: (message) => infos.push(message), warn: (message) => warnings.push(message) },
    now: () => now,
    ...options,
  });
  return { subscriptions, index, infos, warnings, advance: (seconds: number) => (now += seconds * 1000) };
}

const put = (overrides: Partial<Subscription>): SubscriptionUpdate => ({
  kind: 'put',
  subscription: aSubscription(overrides),
});
const matchedIds = async (index: SubscriptionSnapshotCache, story = aStory()) =>
  (await index.current()).index.match(story).map((match) => match.subscriptionId);

describe('SubscriptionSnapshotCache with a change log', () => {
  it('applies the changes after the snapshot in place, without reading the snapshot again', async () => {
    const { subscriptions, index, advance } = setup();
    await subscriptions.change(put({ id: 'a', query: 'fishing' }));
    await subscriptions.compact();
    await subscriptions.change(put({ id: 'b', query: 'quotas' }));
    const first = await index.current();
    expect(await matchedIds(index)).toEqual(['a', 'b']);
    expect(subscriptions.snapshotReads).toBe(1);

    await subscriptions.change(put({ id: 'a', query: 'nothing-like-it' }));
    await subscriptions.change(put({ id: 'c', query: 'fishing', status: 'paused' }));
    advance(31);
    expect(await index.current()).toBe(first); // changed in place
    expect(await matchedIds(index)).toEqual(['b']);
    expect([...first.byId.keys()].sort()).toEqual(['a', 'b']);

    await subscriptions.change(put({ id: 'c', query: 'fishing' }));
    await subscriptions.change({ kind: 'remove', id: 'b' });
    await subscriptions.compact(); // a new snapshot: a matcher that keeps up does not need it
    advance(31);
    expect(await matchedIds(index)).toEqual(['c']);
    expect(subscriptions.snapshotReads).toBe(1);
    expect(subscriptions.segmentReads).toBe(5); // each segment after the first snapshot, once
  });

  it('starts from the log alone when there is no snapshot yet, then loads the first one written', async () => {
    const { subscriptions, index, warnings, advance } = setup();
    await subscriptions.change(put({ id: 'a', query: 'fishing' }));
    expect(await matchedIds(index)).toEqual(['a']);
    expect(warnings).toEqual([expect.stringMatching(/No subscriptions snapshot yet/)]);
    await subscriptions.change(put({ id: 'b', query: 'fishing' }));
    advance(31);
    expect(await matchedIds(index)).toEqual(['a', 'b']); // still none: the log goes on
    expect((await index.current()).version).toBeUndefined();
    expect(warnings).toHaveLength(1);
    await subscriptions.compact();
    await subscriptions.change({ kind: 'remove', id: 'a' });
    advance(31);
    const loaded = await index.current();
    expect(loaded.version).toBe(subscriptions.snapshot?.version);
    expect(await matchedIds(index)).toEqual(['b']);
  });

  it('reloads the snapshot when it is too far behind, then applies what came after it', async () => {
    const { subscriptions, index, advance, infos } = setup({ maxPendingSegments: 3 });
    await subscriptions.change(put({ id: 'a', query: 'fishing' }));
    await subscriptions.compact();
    expect(await matchedIds(index)).toEqual(['a']);
    for (const id of ['b', 'c', 'd', 'e']) await subscriptions.change(put({ id, query: 'quotas' }));
    await subscriptions.compact();
    await subscriptions.change(put({ id: 'f', query: 'fishing' }));
    advance(31);
    expect(await matchedIds(index)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(subscriptions.snapshotReads).toBe(2);
    expect(infos).toContain('Too far behind the subscription change log: reloading the snapshot');
  });

  it('applies every segment after the snapshot on a cold start, however many (no reload loop)', async () => {
    const { subscriptions, index, advance } = setup({ maxPendingSegments: 2 });
    await subscriptions.compact();
    for (const id of ['a', 'b', 'c', 'd', 'e']) await subscriptions.change(put({ id, query: 'fishing' }));
    expect(await matchedIds(index)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(index.changesPosition).toBe(subscriptions.segments[4]?.key);
    expect(subscriptions.snapshotReads).toBe(1);
    advance(31);
    expect(await matchedIds(index)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(subscriptions.snapshotReads).toBe(1);
  });

  it('when far behind and no newer snapshot exists, applies the segments rather than reloading again and again', async () => {
    const { subscriptions, index, advance } = setup({ maxPendingSegments: 2 });
    await subscriptions.change(put({ id: 'a', query: 'fishing' }));
    await subscriptions.compact();
    const first = await index.current();
    for (const id of ['b', 'c', 'd']) await subscriptions.change(put({ id, query: 'fishing' }));
    advance(31);
    expect(await index.current()).toBe(first); // applied in place: the snapshot was unchanged
    expect(await matchedIds(index)).toEqual(['a', 'b', 'c', 'd']);
    expect(subscriptions.snapshotReads).toBe(2); // the first load, one conditional read
    advance(31);
    await index.current();
    expect(subscriptions.snapshotReads).toBe(2);
  });

  it('loads a newer snapshot once many changes sit beside the compiled tables, then goes on from it', async () => {
    const { subscriptions, index, advance } = setup({ reloadAfterChanges: 2 });
    await subscriptions.change(put({ id: 'a', query: 'fishing' }));
    await subscriptions.compact();
    const first = await index.current();
    await subscriptions.change(put({ id: 'b', query: 'quotas' }));
    advance(31);
    expect(await index.current()).toBe(first); // one change: below the threshold
    await subscriptions.change(put({ id: 'c', query: 'quotas' }));
    advance(31);
    expect(await index.current()).toBe(first); // over it, but no newer snapshot yet (one conditional read)
    expect(subscriptions.snapshotReads).toBe(2);
    await subscriptions.compact();
    await subscriptions.change(put({ id: 'd', query: 'fishing' }));
    advance(31);
    const reloaded = await index.current();
    expect(reloaded).not.toBe(first);
    expect(reloaded.version).toBe(subscriptions.snapshot?.version);
    expect(await matchedIds(index)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps matching with what it has when the log cannot be read, and catches up later', async () => {
    const { subscriptions, index, advance, warnings } = setup();
    await subscriptions.change(put({ id: 'a', query: 'fishing' }));
    await subscriptions.compact();
    expect(await matchedIds(index)).toEqual(['a']);
    await subscriptions.change(put({ id: 'b', query: 'fishing' }));
    subscriptions.failure = new Error('S3 unavailable');
    advance(31);
    expect(await matchedIds(index)).toEqual(['a']);
    expect(warnings).toEqual([expect.stringMatching(/change log check failed/)]);
    subscriptions.failure = undefined;
    advance(31);
    expect(await matchedIds(index)).toEqual(['a', 'b']);
  });

  it('matches each story against the subscriptions as they stood when it was matched, while they change', async () => {
    const { subscriptions, index, advance } = setup();
    const deliveries = new MemoryDeliveryQueue();
    const story = (n: number) =>
      aStory({ id: `story-${n}`, headline: 'Fishing quotas', body: 'Fishing quotas.' });
    const expected: [string, string[]][] = [];
    const matched: [string, string[]][] = [];
    const steps: (SubscriptionUpdate | 'compact')[] = [
      put({ id: 'a', query: 'fishing' }),
      put({ id: 'b', query: 'quotas' }),
      'compact',
      put({ id: 'a', query: 'fishing', status: 'paused' }),
      put({ id: 'c', query: '"fishing quotas"' }),
      { kind: 'remove', id: 'b' },
      'compact',
      put({ id: 'a', query: 'fishing' }),
      put({ id: 'c', query: 'whaling' }),
      put({ id: 'd', query: '(broken' }),
    ];
    for (const [n, step] of steps.entries()) {
      if (step === 'compact') await subscriptions.compact();
      else await subscriptions.change(step);
      advance(31);
      const compiled = await index.current();
      const plan = await matchAndQueue(story(n), compiled, deliveries);
      matched.push([`story-${n}`, plan.matches.map((match) => match.subscription.id).sort()]);
      // What the table says now: active subscriptions whose query matches.
      const standing = [...subscriptions.table.values()].filter(
        (subscription) => subscription.status === 'active' && subscription.query !== 'whaling',
      );
      const fresh = compileSubscriptions(standing).index.match(story(n));
      expected.push([`story-${n}`, fresh.map((match) => match.subscriptionId).sort()]);
    }
    expect(matched).toEqual(expected);
    expect(matched.map(([, ids]) => ids.join(','))).toEqual([
      'a',
      'a,b',
      'a,b',
      'b',
      'b,c',
      'c',
      'c',
      'a,c',
      'a',
      'a',
    ]);
    expect(subscriptions.scans).toBe(2); // the table is read by the two compactions only
    const alerted = new Set(deliveries.jobs.map((job) => `${job.story.id}:${job.subscription.id}`));
    expect(alerted.has('story-3:a')).toBe(false); // paused
    expect(alerted.has('story-7:a')).toBe(true); // resumed
  });
});
