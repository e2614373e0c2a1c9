import { describe, expect, it } from 'vitest';
import {
  decodeSnapshot,
  encodeSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_LAYOUT_VERSION,
} from '../../functions/adapters/snapshot-layout.ts';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { compileSubscriptions } from '../../functions/core/matching/index.ts';
import { engineFingerprint, planEntries, planQueries } from '../../functions/core/matching/plans.ts';
import { parseDeliveryPreferences } from '../../functions/core/subscriptions/preferences.ts';
import type { Subscription } from '../../functions/core/subscriptions/subscription.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import { explained } from '../core/matching/helpers.ts';
import { aStory } from '../support/stories.ts';

const SUBSCRIPTIONS: Subscription[] = [
  aSubscription({ id: 'a', query: 'harbour' }),
  aSubscription({
    id: 'b',
    owner: 'user-2',
    name: 'Every channel',
    query: '"mass deportations"',
    channels: [
      { type: 'email', address: 'b@example.com', confirmed: false },
      { type: 'sms', phone: '+15555550100', confirmed: true },
      { type: 'sns', confirmed: true },
    ],
    updatedAt: '2026-02-01T00:00:00Z',
    delivery: parseDeliveryPreferences({ timeZone: 'Europe/Berlin', email: 'daily 08:00', dailyCap: 20 }),
  }),
  aSubscription({ id: 'c', query: 'harbour', status: 'paused', channels: [] }),
  aSubscription({ id: 'd', query: '(unclosed' }),
];

const layout3 = () =>
  JSON.parse(encodeSnapshot(SUBSCRIPTIONS, planQueries(SUBSCRIPTIONS.map((s) => s.query))));

describe('snapshot layout 4', () => {
  it('round-trips subscriptions and plans, each distinct query once', () => {
    const plans = planQueries(SUBSCRIPTIONS.map((subscription) => subscription.query));
    const text = encodeSnapshot(SUBSCRIPTIONS, plans);
    const document = JSON.parse(text);
    expect(document).toMatchObject({ format: SNAPSHOT_FORMAT, version: 4 });
    expect(SNAPSHOT_LAYOUT_VERSION).toBe(4);
    expect(document.queries).toEqual(['harbour', '"mass deportations"', '(unclosed']);
    expect(document.subscriptions.query).toEqual([0, 1, 0, 2]);
    // Never edited: updatedAt is left to createdAt.
    expect(document.subscriptions.updatedAt).toEqual([null, '2026-02-01T00:00:00Z', null, null]);
    expect(document.plans).not.toHaveProperty('queries');
    // Delivery preferences in their input form; null for the defaults.
    expect(document.subscriptions.delivery).toEqual([
      null,
      { timeZone: 'Europe/Berlin', email: 'daily 08:00', maxPerHour: 10, dailyCap: 20, sendEmpty: false },
      null,
      null,
    ]);

    const read = decodeSnapshot(text, 'k');
    expect(read.subscriptions).toEqual(SUBSCRIPTIONS);
    expect(read.skipped).toBe(0);
    // The query that does not parse has no plan; the others keep theirs.
    expect(planEntries(read.plans!)).toEqual(planEntries(plans));
    // The subscriptions of one query share the snapshot's one string for it.
    expect(read.subscriptions[0]!.query).toBe(read.plans!.queries[0]);
  });

  it('carries each update policy; a snapshot written before them reads every policy as first', () => {
    const judged = [aSubscription({ id: 'u', updates: 'substantive' }), aSubscription({ id: 'v' })];
    const document = JSON.parse(encodeSnapshot(judged));
    expect(document.subscriptions.updates).toEqual(['substantive', null]);
    expect(decodeSnapshot(JSON.stringify(document), 'k').subscriptions).toEqual(judged);
    delete document.subscriptions.updates;
    const older = decodeSnapshot(JSON.stringify(document), 'k').subscriptions;
    expect(older.map((subscription) => subscription.updates)).toEqual([undefined, undefined]);
  });

  it('indexes from its plans exactly as from the queries', () => {
    const read = decodeSnapshot(JSON.stringify(layout3()), 'k');
    const active = read.subscriptions.filter((subscription) => subscription.status === 'active');
    const story = aStory({ headline: 'Harbour closed', body: 'Mass deportations were announced.' });
    const planned = compileSubscriptions(active, { plans: read.plans });
    expect(planned.planned).toBe(2);
    expect(explained(planned.index.match(story))).toEqual(
      explained(compileSubscriptions(active).index.match(story)),
    );
    expect(planned.index.match(story).map((match) => match.subscriptionId)).toEqual(['a', 'b']);
    expect(planned.errors.map((error) => error.id)).toEqual(['d']);
  });

  it('reads a snapshot without plans, and ignores plans that are not shaped like plans', () => {
    expect(decodeSnapshot(encodeSnapshot(SUBSCRIPTIONS), 'k')).toMatchObject({
      subscriptions: SUBSCRIPTIONS,
      plans: undefined,
    });
    const document = layout3();
    document.plans = { engine: engineFingerprint(), stems: 'harbour' };
    expect(decodeSnapshot(JSON.stringify(document), 'k').plans).toBeUndefined();
  });

  it('skips invalid subscriptions and leaves out channels it does not know', () => {
    const document = layout3();
    document.subscriptions.id[1] = 7;
    document.subscriptions.status[2] = 'deleted';
    document.channels.type[0] = 'pigeon';
    const read = decodeSnapshot(JSON.stringify(document), 'k');
    expect(read.skipped).toBe(2);
    expect(read.subscriptions.map((subscription) => subscription.id)).toEqual(['a', 'd']);
    expect(read.subscriptions[0]!.channels).toEqual([]);
    expect(read.subscriptions[1]!.channels).toEqual(SUBSCRIPTIONS[3]!.channels);
  });

  it('refuses a corrupt table with an error that says what to do', () => {
    const corrupt = (change: (document: ReturnType<typeof layout3>) => void) => {
      const document = layout3();
      change(document);
      return () => decodeSnapshot(JSON.stringify(document), 'snap.json.gz');
    };
    const rebuild = /snap\.json\.gz \(layout 4\) .*corrupt; rebuild it with the snapshot builder/;
    expect(corrupt((d) => d.subscriptions.name.pop())).toThrow(rebuild);
    expect(corrupt((d) => d.subscriptions.name.pop())).toThrow(/no name column of 4 entries/);
    expect(corrupt((d) => delete d.queries)).toThrow(/no queries list/);
    expect(corrupt((d) => delete d.channels)).toThrow(/no channels table/);
    expect(corrupt((d) => d.channels.destination.pop())).toThrow(/no channel destination column/);
    expect(corrupt((d) => (d.subscriptions.channels[0] = 2))).toThrow(/channel counts that do not add up/);
    expect(corrupt((d) => (d.subscriptions.channels[3] = 0))).toThrow(/channel counts that do not add up/);
    expect(corrupt((d) => delete d.subscriptions.delivery)).toThrow(/no delivery column of 4 entries/);
    expect(() => decodeSnapshot('{"format":', 'k')).toThrow(/not valid JSON: rebuild it/);
    expect(() => decodeSnapshot(JSON.stringify({ format: SNAPSHOT_FORMAT, version: 5 }), 'k')).toThrow(
      /not a wirewatch-subscriptions document of version 1, 2, 3, 4: rebuild it with the snapshot builder of this release/,
    );
  });
});

describe('snapshot layout 3 (still read)', () => {
  it('reads columns without a delivery column: every subscription has the default preferences', () => {
    const document = layout3();
    document.version = 3;
    delete document.subscriptions.delivery;
    const read = decodeSnapshot(JSON.stringify(document), 'k');
    expect(read.subscriptions).toEqual(SUBSCRIPTIONS.map(({ delivery: _, ...rest }) => rest));
  });
});

describe('snapshot layouts 1 and 2 (still read)', () => {
  const items = SUBSCRIPTIONS.map(toItem);

  it('reads layout 1: items, no plans', () => {
    const read = decodeSnapshot(
      JSON.stringify({ format: SNAPSHOT_FORMAT, version: 1, subscriptions: [...items, { id: 7 }, null] }),
      'k',
    );
    expect(read).toEqual({ subscriptions: SUBSCRIPTIONS, skipped: 2, plans: undefined });
  });

  it('reads layout 2: items and [query, groups] plans, packed as this release uses them', () => {
    const plans = planQueries(SUBSCRIPTIONS.map((subscription) => subscription.query));
    const anchors = planEntries(plans);
    const read = decodeSnapshot(
      JSON.stringify({
        format: SNAPSHOT_FORMAT,
        version: 2,
        subscriptions: items,
        plans: { engine: plans.engine, anchors },
      }),
      'k',
    );
    expect(read.subscriptions).toEqual(SUBSCRIPTIONS);
    expect(read.plans).toEqual(plans);
    const malformed = decodeSnapshot(
      JSON.stringify({
        format: SNAPSHOT_FORMAT,
        version: 2,
        subscriptions: items,
        plans: { engine: plans.engine, anchors: [['harbour', [[7]]]] },
      }),
      'k',
    );
    expect(malformed.plans).toBeUndefined();
  });

  it('refuses layout 2 without a subscriptions list', () => {
    expect(() => decodeSnapshot(JSON.stringify({ format: SNAPSHOT_FORMAT, version: 2 }), 'k')).toThrow(
      /has no subscriptions list: rebuild it with the snapshot builder/,
    );
  });
});
