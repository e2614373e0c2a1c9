import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSubscriptionLookup } from '../../../functions/adapters/dynamodb-subscription-lookup.ts';
import {
  emptyDigestWindow,
  isEmptyDigestDue,
  openEmptyDigests,
} from '../../../functions/core/digests/empty-digests.ts';
import { type DigestSettings, sendDueDigests } from '../../../functions/core/digests/send-digests.ts';
import { parseDeliveryPreferences } from '../../../functions/core/subscriptions/preferences.ts';
import type { LocalAws } from '../../adapters/support.ts';
import { aSubscription } from '../alerts/factories.ts';
import { allDueWindows, digestFixture, LINKS, startLocalAws, TestClock } from './support.ts';

const SETTINGS: DigestSettings = { ...LINKS, leaseSeconds: 60, ttlSeconds: 7 * 24 * 3600 };
const NOW = Date.parse('2026-07-01T12:00:00Z');
const DAY_1 = Date.parse('2026-07-02T06:00:00Z'); // 08:00 in Berlin
const DAY_2 = Date.parse('2026-07-03T06:00:00Z');

function emptyDaily(id: string, overrides: Record<string, unknown> = {}) {
  return aSubscription({
    id,
    channels: [{ type: 'email', address: `${id}@example.com`, confirmed: true }],
    delivery: parseDeliveryPreferences({
      timeZone: 'Europe/Berlin',
      email: 'daily 08:00',
      sendEmpty: true,
      ...overrides,
    }),
  });
}

describe('"no new stories" windows (pure)', () => {
  it('a digest cadence with sendEmpty has a next window on its confirmed e-mail; anything else has none', () => {
    expect(emptyDigestWindow(emptyDaily('e-1'), NOW)).toEqual({
      subscriptionId: 'e-1',
      channel: 'email',
      destination: 'e-1@example.com',
      dueAt: DAY_1,
    });
    expect(emptyDigestWindow(emptyDaily('e-1'), DAY_1)?.dueAt).toBe(DAY_2);
    expect(emptyDigestWindow(emptyDaily('e-2', { sendEmpty: false }), NOW)).toBeUndefined();
    expect(emptyDigestWindow(emptyDaily('e-3', { email: 'immediate' }), NOW)).toBeUndefined();
    expect(emptyDigestWindow({ ...emptyDaily('e-4'), status: 'paused' }, NOW)).toBeUndefined();
    const unconfirmed = emptyDaily('e-5');
    expect(
      emptyDigestWindow(
        { ...unconfirmed, channels: [{ type: 'email', address: 'e-5@example.com', confirmed: false }] },
        NOW,
      ),
    ).toBeUndefined();
  });

  it('knows the due times of the current cadence', () => {
    expect(isEmptyDigestDue(emptyDaily('e-6'), DAY_1)).toBe(true);
    expect(isEmptyDigestDue(emptyDaily('e-6', { email: 'daily 18:00' }), DAY_1)).toBe(false);
  });
});

describe('"no new stories" digests on the stand-ins', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  }, 30_000);
  afterAll(async () => aws?.stop());

  const mailsTo = async (fixture: ReturnType<typeof digestFixture>, address: string) =>
    (await fixture.mails()).filter((mail) => mail.destination.to.includes(address));

  function ports(fixture: ReturnType<typeof digestFixture>) {
    return { ...fixture, subscriptions: fixture.subscriptionStore };
  }

  it('GIVEN a daily digest with the option and nothing held WHEN two due times pass THEN one digest at each, once', async () => {
    const fixture = digestFixture(aws, new TestClock(NOW));
    const lookup = new DynamoDbSubscriptionLookup(aws.documents, aws.resources.tables.subscriptions);
    await fixture.subscriptionStore.create(emptyDaily('quiet-news'));

    // Created: the change opens the first due time (twice, as a redelivered stream batch would: one window).
    const changed = await lookup.currentStates(['quiet-news']);
    expect(await openEmptyDigests(changed.values(), fixture.pending, NOW)).toBe(1);
    await openEmptyDigests(changed.values(), fixture.pending, NOW);
    const windows = (await allDueWindows(fixture.pending, DAY_2)).filter(
      (window) => window.subscriptionId === 'quiet-news',
    );
    expect(windows.map((window) => window.dueAt)).toEqual([DAY_1]);

    expect((await sendDueDigests(ports(fixture), SETTINGS, DAY_1 - 1)).outcomes.sent).toBe(0);
    expect((await sendDueDigests(ports(fixture), SETTINGS, DAY_1)).outcomes.sent).toBe(1);
    expect((await sendDueDigests(ports(fixture), SETTINGS, DAY_1 + 60_000)).outcomes.sent).toBe(0);
    expect((await sendDueDigests(ports(fixture), SETTINGS, DAY_2)).outcomes.sent).toBe(1);

    const mails = await mailsTo(fixture, 'quiet-news@example.com');
    expect(mails.map((mail) => mail.subject)).toEqual([
      '[Wirewatch] Ports: no new stories',
      '[Wirewatch] Ports: no new stories',
    ]);
    expect(mails[0]!.body.text).toContain('No new stories for Ports since the last digest.');
    // And the third due time is open.
    const next = (await allDueWindows(fixture.pending, DAY_2 + 24 * 3_600_000)).filter(
      (window) => window.subscriptionId === 'quiet-news',
    );
    expect(next.map((window) => window.dueAt)).toEqual([DAY_2 + 24 * 3_600_000]);
  });

  it('GIVEN the cadence changed since a window was opened WHEN that time comes THEN nothing is sent, and the new time is open', async () => {
    const fixture = digestFixture(aws, new TestClock(NOW));
    await fixture.subscriptionStore.create(emptyDaily('moved', { email: 'daily 18:00' }));
    // Opened while the subscription was still on 08:00.
    await fixture.pending.open([emptyDigestWindow(emptyDaily('moved'), NOW)!]);

    const run = await sendDueDigests(ports(fixture), SETTINGS, DAY_1);

    expect(run.outcomes).toMatchObject({ sent: 0, empty: 1 });
    expect(await mailsTo(fixture, 'moved@example.com')).toEqual([]);
    const open = (await allDueWindows(fixture.pending, DAY_2)).filter(
      (window) => window.subscriptionId === 'moved',
    );
    expect(open.map((window) => new Date(window.dueAt).toISOString())).toEqual(['2026-07-02T16:00:00.000Z']);
  });
});
