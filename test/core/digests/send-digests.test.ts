import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingAlert } from '../../../functions/core/digests/ports.ts';
import { routeJobs } from '../../../functions/core/digests/route-jobs.ts';
import { type DigestSettings, sendDueDigests } from '../../../functions/core/digests/send-digests.ts';
import type { LocalAws } from '../../adapters/support.ts';
import { allDueWindows, digestFixture, jobFor, LINKS, startLocalAws, TestClock } from './support.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
}, 30_000);
afterAll(async () => aws?.stop());

const SETTINGS: DigestSettings = { ...LINKS, leaseSeconds: 60, ttlSeconds: 7 * 24 * 3600 };
const HELD_AT = Date.parse('2026-07-01T12:00:00Z');
const DUE = Date.parse('2026-07-02T06:00:00Z'); // 08:00 in Berlin
const DAILY = { timeZone: 'Europe/Berlin', email: 'daily 08:00' };

/** Holds stories for subscription `id`'s daily digest through the routing step. */
async function hold(
  fixture: ReturnType<typeof digestFixture>,
  id: string,
  stories: string[],
  delivery = DAILY,
) {
  for (const [at, story] of stories.entries()) {
    const job = jobFor(id, story, delivery);
    const published = new Date(HELD_AT - (stories.length - at) * 60_000).toISOString();
    await routeJobs(
      [{ ...job, story: { ...job.story, publishedAt: published, source: `Wire ${at}` } }],
      fixture,
      LINKS,
      HELD_AT,
    );
  }
}

const mailsTo = async (fixture: ReturnType<typeof digestFixture>, address: string) =>
  (await fixture.mails()).filter((mail) => mail.destination.to.includes(address));

describe('sending due digests', () => {
  it('sends one digest, newest first, with text and HTML parts, one-click unsubscribe and a cadence link', async () => {
    const clock = new TestClock(DUE);
    const fixture = digestFixture(aws, clock);
    await hold(fixture, 'd-basic', ['older', 'middle', 'newest']);
    expect((await sendDueDigests(fixture, SETTINGS, DUE - 1)).outcomes.sent).toBe(0);
    const run = await sendDueDigests(fixture, SETTINGS, DUE);
    expect(run.outcomes.sent).toBeGreaterThanOrEqual(1);
    const [mail, ...more] = await mailsTo(fixture, 'd-basic@example.com');
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('[Wirewatch] Ports: 3 stories');
    const text = mail!.body.text ?? '';
    expect(text.indexOf('Headline of newest')).toBeLessThan(text.indexOf('Headline of middle'));
    expect(text.indexOf('Headline of middle')).toBeLessThan(text.indexOf('Headline of older'));
    expect(text).toContain('Wire 2 · 2026-07-01');
    expect(text).toContain('The harbour strike ended on Friday.');
    expect(text).toContain('Change how often it comes: https://alerts.example.com/#subscription=d-basic');
    expect(mail!.body.html).toContain('<a href="https://news.example.com/stories/42"');
    expect(mail!.headers).toContainEqual({
      name: 'List-Unsubscribe-Post',
      value: 'List-Unsubscribe=One-Click',
    });
    // Sent and settled: the window is gone, and the alerts' delivery keys are marked sent.
    expect((await allDueWindows(fixture.pending, DUE)).some((w) => w.subscriptionId === 'd-basic')).toBe(
      false,
    );
    expect((await fixture.claims.lookUp(['d-basic#email#newest'], [])).settled).toEqual(
      new Set(['d-basic#email#newest']),
    );
  });

  it("records a sent digest's recipients per story, for a later kill's withdrawal notice", async () => {
    const clock = new TestClock(DUE);
    const fixture = digestFixture(aws, clock);
    await hold(fixture, 'd-recipients', ['recipients-a', 'recipients-b']);
    // Held, not sent yet: nobody received the stories.
    expect((await fixture.recipients.recipientsOf('recipients-a')).recipients).toEqual([]);
    const run = await sendDueDigests(fixture, SETTINGS, DUE);
    expect(run.warnings).toEqual([]);
    for (const story of ['recipients-a', 'recipients-b']) {
      expect((await fixture.recipients.recipientsOf(story)).recipients).toEqual([
        expect.objectContaining({
          subscriptionId: 'd-recipients',
          channel: 'email',
          destination: 'd-recipients@example.com',
        }),
      ]);
    }
  });

  it('escapes third-party text in the HTML part', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    const job = jobFor('d-escape', 'x', DAILY);
    await routeJobs(
      [{ ...job, story: { ...job.story, headline: '<script>alert(1)</script> & co' } }],
      fixture,
      LINKS,
      HELD_AT,
    );
    await sendDueDigests(fixture, SETTINGS, DUE);
    const [mail] = await mailsTo(fixture, 'd-escape@example.com');
    expect(mail!.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(mail!.body.html).not.toContain('<script>');
  });

  it('two schedulers firing together send one digest', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    await hold(fixture, 'd-twice', ['a', 'b']);
    const other = digestFixture(aws, new TestClock(DUE));
    const runs = await Promise.all([
      sendDueDigests(fixture, SETTINGS, DUE),
      sendDueDigests(other, SETTINGS, DUE),
    ]);
    expect(await mailsTo(fixture, 'd-twice@example.com')).toHaveLength(1);
    expect(runs.flatMap((run) => run.errors)).toEqual([]);
  });

  it('a send that fails releases the window: the next run sends it once', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    await hold(fixture, 'd-fail', ['a']);
    fixture.email.failNext = 1;
    const failed = await sendDueDigests(fixture, SETTINGS, DUE);
    expect(failed.outcomes.failed).toBe(1);
    expect(await mailsTo(fixture, 'd-fail@example.com')).toHaveLength(0);
    await sendDueDigests(fixture, SETTINGS, DUE);
    await sendDueDigests(fixture, SETTINGS, DUE);
    expect(await mailsTo(fixture, 'd-fail@example.com')).toHaveLength(1);
  });

  it('an alert held into a window already sent goes in a follow-up digest, not lost and not repeated', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    await hold(fixture, 'd-late', ['first']);
    await sendDueDigests(fixture, SETTINGS, DUE);
    // Held for the same due time after that digest was read (or after it was fired early).
    await hold(fixture, 'd-late', ['first', 'late']);
    const run = await sendDueDigests(fixture, SETTINGS, DUE + 60_000);
    expect(run.outcomes).toMatchObject({ duplicate: 1, sent: 1 });
    const mails = await mailsTo(fixture, 'd-late@example.com');
    expect(mails.map((mail) => mail.subject)).toEqual([
      '[Wirewatch] Ports: 1 story',
      '[Wirewatch] Ports: 1 story',
    ]);
    expect(mails[1]!.body.text).toContain('Headline of late');
    expect(mails[1]!.body.text).not.toContain('Headline of first');
  });

  it('a worker that dies holding the claim: nothing until its lease runs out, then one digest', async () => {
    const clock = new TestClock(DUE);
    const fixture = digestFixture(aws, clock);
    await hold(fixture, 'd-crash', ['a']);
    // The dead worker's claim, as it left it: taken, never settled or released.
    const [window] = (await allDueWindows(fixture.pending, DUE)).filter(
      (w) => w.subscriptionId === 'd-crash',
    );
    await fixture.claims.claim(`digest#d-crash#email#${window!.dueAt}`, {
      ttlSeconds: 3600,
      leaseSeconds: 60,
      token: 'dead-worker',
    });
    expect((await sendDueDigests(fixture, SETTINGS, DUE)).outcomes['in-flight']).toBeGreaterThanOrEqual(1);
    expect(await mailsTo(fixture, 'd-crash@example.com')).toHaveLength(0);
    clock.now += 61_000;
    await sendDueDigests(fixture, SETTINGS, clock.now);
    await sendDueDigests(fixture, SETTINGS, clock.now);
    expect(await mailsTo(fixture, 'd-crash@example.com')).toHaveLength(1);
  });

  it('drops a story killed while pending; an empty digest is not sent unless asked for', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    await hold(fixture, 'd-kill', ['kept', 'killed']);
    await hold(fixture, 'd-empty', ['killed']);
    await hold(fixture, 'd-empty-sent', ['killed'], { ...DAILY, sendEmpty: true } as typeof DAILY);
    await fixture.claims.withdraw('killed', { ttlSeconds: 3600 });
    await sendDueDigests(fixture, SETTINGS, DUE);
    const [kept] = await mailsTo(fixture, 'd-kill@example.com');
    expect(kept!.subject).toBe('[Wirewatch] Ports: 1 story');
    expect(kept!.body.text).not.toContain('Headline of killed');
    expect(await mailsTo(fixture, 'd-empty@example.com')).toEqual([]);
    const [empty] = await mailsTo(fixture, 'd-empty-sent@example.com');
    expect(empty!.subject).toBe('[Wirewatch] Ports: no new stories');
  });

  it('says how many alerts the throttle held back, and groups the same news with the injected measure', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    const delivery = { timeZone: 'UTC', maxPerHour: 1 };
    for (const story of ['t1', 't2', 't3']) {
      const job = jobFor('d-throttle', story, delivery);
      await routeJobs([{ ...job, story: { ...job.story, source: `Src ${story}` } }], fixture, LINKS, HELD_AT);
    }
    const sameNews = (a: PendingAlert, b: PendingAlert) => a.job.story.id !== 't1' && b.job.story.id !== 't1';
    await sendDueDigests({ ...fixture, sameNews }, SETTINGS, Date.parse('2026-07-01T13:00:00Z'));
    const [mail] = await mailsTo(fixture, 'd-throttle@example.com');
    expect(mail!.body.text).toContain('2 alerts were held back by your hourly limit or daily cap');
    expect(mail!.subject).toBe('[Wirewatch] Ports: 1 story');
    expect(mail!.body.text).toMatch(/also from Src t[23]/);
  });

  it('held SMS go as one text at the end of quiet hours', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    const night = Date.parse('2026-07-01T03:00:00Z');
    const delivery = { timeZone: 'America/New_York', quietHours: { start: '22:00', end: '07:00' } };
    for (const story of ['n1', 'n2', 'n3']) {
      await routeJobs(
        [jobFor('d-sms', story, delivery, { channel: 'sms', destination: '+14155550177' })],
        fixture,
        LINKS,
        night,
      );
    }
    await sendDueDigests(fixture, SETTINGS, Date.parse('2026-07-01T11:00:00Z'));
    const texts = fixture.sms.sent.filter((sms) => sms.phone === '+14155550177');
    expect(texts).toHaveLength(1);
    expect(texts[0]!.text).toMatch(/^Wirewatch: Ports \(\+2 more\)/);
  });
});
