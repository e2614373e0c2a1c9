import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestWindow, PendingAlert } from '../../functions/core/digests/ports.ts';
import { sendDueDigests } from '../../functions/core/digests/send-digests.ts';
import type { EmailMessage } from '../../functions/core/ports.ts';
import { digestFixture, jobFor, LINKS, TestClock } from '../core/digests/support.ts';
import { type LocalAws, startLocalAws } from './support.ts';

const DUE = Date.parse('2026-07-02T06:00:00Z');

let aws: LocalAws;
beforeEach(async () => {
  aws = await startLocalAws();
}, 30_000);
afterEach(async () => aws?.stop());

function windowOf(subscriptionId: string, dueAt: number): DigestWindow {
  return { subscriptionId, channel: 'email', destination: `${subscriptionId}@example.com`, dueAt };
}

function heldAlert(window: DigestWindow, story: string): PendingAlert {
  return {
    window,
    reason: 'digest',
    heldAt: window.dueAt - 3_600_000,
    job: jobFor(window.subscriptionId, story, undefined),
  };
}

async function walk(fixture: ReturnType<typeof digestFixture>, dueBy: number, pageSize: number) {
  const pages: (readonly DigestWindow[])[] = [];
  for await (const page of fixture.pending.dueWindows(dueBy, pageSize)) pages.push(page);
  return pages;
}

describe('DynamoDbPendingDigests.dueWindows', () => {
  it('GIVEN windows over every index partition WHEN walked in small pages THEN each due window comes once, each page oldest first', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    const windows = Array.from({ length: 23 }, (_, n) => windowOf(`walk-${n}`, DUE - n * 60_000));
    await fixture.pending.hold([
      ...windows.map((window) => heldAlert(window, 'story-a')),
      heldAlert(windowOf('walk-later', DUE + 1), 'story-a'),
    ]);

    const pages = await walk(fixture, DUE, 4);

    const keys = pages.flat().map((window) => window.subscriptionId);
    expect(keys.sort()).toEqual(windows.map((window) => window.subscriptionId).sort());
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(4);
      expect([...page].sort((a, b) => a.dueAt - b.dueAt)).toEqual(page);
    }
    expect(pages.flat()).toContainEqual(windows[0]);
  });

  it('GIVEN two windows due together whose index entries the local stand-in used to confuse WHEN walked THEN both come', async () => {
    // twin-2275 and twin-26556 fall in the same index partition, and 24 bits of the hash dynalite tells equal
    // index keys apart by are the same for their table keys: with the due time alone as sort key, one hid the other.
    const fixture = digestFixture(aws, new TestClock(DUE));
    await fixture.pending.hold([
      heldAlert(windowOf('twin-2275', DUE), 'story-a'),
      heldAlert(windowOf('twin-26556', DUE), 'story-a'),
    ]);

    const found = (await walk(fixture, DUE, 500)).flat().map((window) => window.subscriptionId);

    expect(found.sort()).toEqual(['twin-2275', 'twin-26556']);
  });

  it('GIVEN more failing windows than a page, oldest first WHEN the digests are sent THEN every other window is still reached, once', async () => {
    const fixture = digestFixture(aws, new TestClock(DUE));
    const failing = Array.from({ length: 12 }, (_, n) => windowOf(`fail-${n}`, DUE - 3_600_000 - n));
    const working = Array.from({ length: 9 }, (_, n) => windowOf(`works-${n}`, DUE - n));
    await fixture.pending.hold([...failing, ...working].map((window) => heldAlert(window, 'story-b')));
    const sent: EmailMessage[] = [];
    const email = {
      async send(message: EmailMessage) {
        // A send that fails leaves its window in the index: the next pages must still move on.
        if (message.to.startsWith('fail-')) throw new Error('SES connection reset');
        sent.push(message);
      },
    };

    const run = await sendDueDigests(
      { ...fixture, email },
      { ...LINKS, leaseSeconds: 60, ttlSeconds: 3600, pageSize: 4, concurrency: 2 },
      DUE,
    );

    expect(run.windows).toBe(21);
    expect(run.outcomes.failed).toBe(12);
    expect(run.outcomes.sent).toBe(9);
    expect(sent.map((message) => message.to).sort()).toEqual(
      working.map((window) => window.destination).sort(),
    );
    // The failed windows wait for the next run.
    const left = (await walk(fixture, DUE, 500)).flat().map((window) => window.subscriptionId);
    expect(left.sort()).toEqual(failing.map((window) => window.subscriptionId).sort());
  });
});
