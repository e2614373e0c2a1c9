import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeJobs } from '../../../functions/core/digests/route-jobs.ts';
import { parseDeliveryPreferences } from '../../../functions/core/subscriptions/preferences.ts';
import type { LocalAws } from '../../adapters/support.ts';
import { aSubscription } from '../alerts/factories.ts';
import { allDueWindows, digestFixture, jobFor, LINKS, startLocalAws, TestClock } from './support.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
}, 30_000);
afterAll(async () => aws?.stop());

const NOON = Date.parse('2026-07-01T12:20:00Z');

describe('routing a message’s jobs before claiming (real ledger and digests tables)', () => {
  it('holds a daily digest’s e-mail and sends the SMS; holding again (a redelivery) stores nothing twice', async () => {
    const clock = new TestClock(NOON);
    const fixture = digestFixture(aws, clock);
    const delivery = { timeZone: 'Europe/Berlin', email: 'daily 08:00' };
    const email = jobFor('daily-1', 'story-a', delivery);
    const sms = jobFor('daily-1', 'story-a', delivery, { channel: 'sms', destination: '+14155550100' });
    const first = await routeJobs([email, sms], fixture, LINKS, NOON);
    expect(first.sendNow).toEqual([sms]);
    expect(first.held.map((alert) => [alert.reason, new Date(alert.window.dueAt).toISOString()])).toEqual([
      ['digest', '2026-07-02T06:00:00.000Z'],
    ]);
    await routeJobs([email, sms], fixture, LINKS, NOON + 1000);
    const due = Date.parse('2026-07-02T06:00:00Z');
    const windows = (await allDueWindows(fixture.pending, due)).filter((w) => w.subscriptionId === 'daily-1');
    expect(windows).toEqual([
      { subscriptionId: 'daily-1', channel: 'email', destination: 'daily-1@example.com', dueAt: due },
    ]);
    expect(await fixture.pending.alertsOf(windows[0]!)).toHaveLength(1);
    expect(await allDueWindows(fixture.pending, due - 1)).not.toContainEqual(windows[0]);
  });

  it('throttle: the first N stories an hour go now, the rest wait for the next hour; a copy counts once', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const delivery = { timeZone: 'UTC', maxPerHour: 3 };
    const outcomes: string[] = [];
    for (const story of ['s1', 's2', 's3', 's2', 's4', 's5']) {
      const routed = await routeJobs([jobFor('busy', story, delivery)], fixture, LINKS, NOON);
      outcomes.push(routed.sendNow.length === 1 ? 'now' : routed.held[0]!.reason);
    }
    expect(outcomes).toEqual(['now', 'now', 'now', 'now', 'throttled', 'throttled']);
    const [window] = (await allDueWindows(fixture.pending, Date.parse('2026-07-01T13:00:00Z'))).filter(
      (w) => w.subscriptionId === 'busy',
    );
    expect(window?.dueAt).toBe(Date.parse('2026-07-01T13:00:00Z'));
    expect((await fixture.pending.alertsOf(window!)).map((alert) => alert.job.story.id).sort()).toEqual([
      's4',
      's5',
    ]);
  });

  it('daily cap: past it, an immediate subscription becomes a daily digest (stored), told once by e-mail', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const delivery = { timeZone: 'America/New_York', maxPerHour: 100, dailyCap: 2 };
    const stored = aSubscription({
      id: 'capped',
      channels: [{ type: 'email', address: 'capped@example.com', confirmed: true }],
      delivery: parseDeliveryPreferences(delivery),
    });
    await fixture.subscriptionStore.create(stored);
    const notices: string[][] = [];
    const switched: string[][] = [];
    const routes: string[] = [];
    for (const story of ['c1', 'c2', 'c3', 'c4', 'c3']) {
      const routed = await routeJobs([jobFor('capped', story, delivery)], fixture, LINKS, NOON);
      routes.push(
        routed.sendNow.length === 1
          ? 'now'
          : `${routed.held[0]!.reason} ${new Date(routed.held[0]!.window.dueAt).toISOString()}`,
      );
      notices.push(routed.capNotices);
      switched.push(routed.switchedToDaily);
    }
    expect(routes).toEqual([
      'now',
      'now',
      'daily-cap 2026-07-02T12:00:00.000Z',
      'daily-cap 2026-07-02T12:00:00.000Z',
      'daily-cap 2026-07-02T12:00:00.000Z',
    ]);
    expect(notices).toEqual([[], [], ['capped'], [], []]);
    expect(switched).toEqual([[], [], ['capped'], [], []]);
    // The subscription itself is now a daily digest at 08:00 local; nothing else of it changed.
    const after = await fixture.subscriptionStore.get('capped');
    expect(after?.delivery?.email).toEqual({ kind: 'daily', at: 8 * 60 });
    expect({ ...after, delivery: undefined, updatedAt: undefined }).toEqual({
      ...stored,
      delivery: undefined,
      updatedAt: undefined,
    });
    expect(after?.updatedAt).toBe(new Date(NOON).toISOString());
    expect(after?.delivery).toEqual({
      ...parseDeliveryPreferences(delivery),
      email: { kind: 'daily', at: 480 },
    });
    const notice = fixture.email.sent.filter((mail) => mail.to === 'capped@example.com');
    expect(notice).toHaveLength(1);
    expect(notice[0]!.subject).toBe('[Wirewatch] Ports is now a daily digest');
    expect(notice[0]!.text).toContain('reached its daily cap of 2 alerts');
    expect(notice[0]!.text).toContain('once a day at 08:00 (America/New_York)');
    expect(notice[0]!.text).toContain(
      'To get alerts as they happen again, or to raise the cap: https://alerts.example.com/#subscription=capped',
    );
    expect(notice[0]!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('daily cap: a subscription changed meanwhile is left as the subscriber set it, and no notice goes', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const delivery = { timeZone: 'UTC', maxPerHour: 100, dailyCap: 1 };
    // The message still says immediate; the subscriber has chosen a weekly digest since.
    await fixture.subscriptionStore.create(
      aSubscription({
        id: 'changed',
        delivery: parseDeliveryPreferences({ ...delivery, email: 'weekly monday 09:00' }),
      }),
    );
    await routeJobs([jobFor('changed', 'w1', delivery)], fixture, LINKS, NOON);
    const routed = await routeJobs([jobFor('changed', 'w2', delivery)], fixture, LINKS, NOON);
    expect(routed.held.map((alert) => alert.reason)).toEqual(['daily-cap']);
    expect(routed).toMatchObject({ capNotices: [], switchedToDaily: [] });
    expect((await fixture.subscriptionStore.get('changed'))?.delivery?.email).toEqual({
      kind: 'weekly',
      day: 'monday',
      at: 9 * 60,
    });
    expect(fixture.email.sent.filter((mail) => mail.to === 'changed@example.com')).toEqual([]);
  });

  it('daily cap: an e-mail digest stays as it is; the SMS past the cap wait for the day, and one notice says so', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const delivery = { timeZone: 'UTC', email: 'hourly', maxPerHour: 100, dailyCap: 1 };
    await fixture.subscriptionStore.create(
      aSubscription({ id: 'hourly-sms', delivery: parseDeliveryPreferences(delivery) }),
    );
    const both = (story: string) => [
      jobFor('hourly-sms', story, delivery),
      jobFor('hourly-sms', story, delivery, { channel: 'sms', destination: '+14155550100' }),
    ];
    await routeJobs(both('h1'), fixture, LINKS, NOON);
    const routed = await routeJobs(both('h2'), fixture, LINKS, NOON);
    expect(routed.held.map((alert) => `${alert.job.channel} ${alert.reason}`)).toEqual([
      'email digest',
      'sms daily-cap',
    ]);
    expect(routed).toMatchObject({ capNotices: ['hourly-sms'], switchedToDaily: [] });
    expect((await fixture.subscriptionStore.get('hourly-sms'))?.delivery?.email).toEqual({ kind: 'hourly' });
    const [notice, ...more] = fixture.email.sent.filter((mail) => mail.to === 'hourly-sms@example.com');
    expect(more).toEqual([]);
    expect(notice!.subject).toBe('[Wirewatch] Ports is now a daily digest for today');
  });

  it('quiet hours hold SMS until they end, urgent stories pass with the bypass and wait without it', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const night = Date.parse('2026-07-01T03:00:00Z'); // 23:00 in New York
    const quiet = (urgentBypass: boolean) => ({
      timeZone: 'America/New_York',
      quietHours: { start: '22:00', end: '07:00', channels: ['sms'], urgentBypass },
    });
    const sms = (subscription: string, story: string, urgency: number, bypass: boolean) =>
      jobFor(subscription, story, quiet(bypass), {
        channel: 'sms',
        destination: '+14155550111',
        story: { ...jobFor('x', story, undefined).story, urgency },
      });
    const ordinary = await routeJobs([sms('q-on', 'q1', 5, true)], fixture, LINKS, night);
    expect(ordinary.held.map((alert) => [alert.reason, new Date(alert.window.dueAt).toISOString()])).toEqual([
      ['quiet-hours', '2026-07-01T11:00:00.000Z'],
    ]);
    expect((await routeJobs([sms('q-on', 'q2', 1, true)], fixture, LINKS, night)).sendNow).toHaveLength(1);
    expect((await routeJobs([sms('q-off', 'q3', 1, false)], fixture, LINKS, night)).held).toHaveLength(1);
  });

  it('a subscription made before delivery control (no preferences) sends every alert at once, uncounted', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const routes: number[] = [];
    for (let story = 0; story < 15; story++) {
      const routed = await routeJobs([jobFor('legacy', `l${story}`, undefined)], fixture, LINKS, NOON);
      routes.push(routed.sendNow.length);
    }
    expect(routes).toEqual(Array(15).fill(1));
    // Nothing was counted for it: a subscription with the default limit starts from zero.
    const counted = await fixture.counters.count(
      'legacy',
      'probe',
      { hour: String(Math.floor(NOON / 3_600_000)), day: '2026-07-01' },
      { hour: 10 },
    );
    expect(counted.hour).toBe(1);
  });

  it('does not hold again an alert already sent (an update after the subscriber chose a digest)', async () => {
    const fixture = digestFixture(aws, new TestClock(NOON));
    const job = jobFor('switched', 'story-sent', { email: 'hourly' });
    await fixture.claims.settle(['switched#email#story-sent'], { ttlSeconds: 3600 });
    const routed = await routeJobs([job], fixture, LINKS, NOON);
    expect(routed).toEqual({ sendNow: [], held: [], capNotices: [], switchedToDaily: [] });
  });
});
