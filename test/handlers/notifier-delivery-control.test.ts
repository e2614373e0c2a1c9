import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoSubscriptionRepository } from '../../functions/adapters/subscription-repository.ts';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import type { AlertStory, DeliveryJob } from '../../functions/core/deliveries/types.ts';
import { encodeFingerprint, fingerprintText } from '../../functions/core/stories/near-duplicates.ts';
import { parseDeliveryPreferences } from '../../functions/core/subscriptions/preferences.ts';
import { type LocalAws, sentMails, startLocalAws } from '../adapters/support.ts';
import { aDeliveryJob, aSubscription, storyAlerts } from '../core/alerts/factories.ts';
import { lambdaContext, type SqsBatchHandler, sqsEvent, sqsRecord } from '../support/lambda-events.ts';
import { captureOutput, setEnv, setLocalHandlerEnv, startDynamoDbProxy } from './support.ts';

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let notifier: SqsBatchHandler;

// Texts written for this test.
const TAKE =
  'Dock workers at the port of Valdoria walked out on Tuesday after talks over night-shift pay collapsed, halting the loading of grain and container ships for the first time in eleven years. The union said the strike would last until the port authority restored the allowance it cut in March.';
const OTHER_NEWS =
  'The central bank of Norland raised its benchmark interest rate by half a point on Thursday, its third increase this year, citing food prices that rose faster than forecast in every month since the harvest failed.';
const NEW_LEAD = `A court in Valdoria on Wednesday ordered striking dock workers back to work, granting the port authority an injunction hours after ministers offered to mediate; union leaders said they would appeal and kept pickets at the main gates overnight. ${TAKE}`;

const OWN_NEWS =
  'The observatory on Mount Kessar recorded its coldest night in forty years as a dry polar air mass settled over the northern plateau, freezing irrigation canals and forcing orchard growers to light smudge pots among the apricot trees until dawn. Forecasters expect milder air by the weekend.';

function story(
  id: string,
  version: number,
  text: string,
  status: AlertStory['status'] = 'usable',
): AlertStory {
  return {
    id,
    version,
    status,
    headline: `Valdoria strike (${id} v${version})`,
    source: 'Test Wire',
    fingerprint: encodeFingerprint(fingerprintText(text)),
  };
}

function alert(to: string, alerted: AlertStory, updates?: 'substantive'): DeliveryJob {
  const subscription = { ...aDeliveryJob().subscription, id: `sub-${to}`, ...(updates ? { updates } : {}) };
  return aDeliveryJob({ story: alerted, subscription, destination: to });
}

async function notify(...bodies: string[]) {
  return notifier(sqsEvent(...bodies.map((body) => sqsRecord(body))), lambdaContext('notifier'));
}

function message(...jobs: DeliveryJob[]): string {
  const [body] = encodeDeliveryMessages(storyAlerts(jobs));
  return body!;
}

function kill(id: string): string {
  const [body] = encodeDeliveryMessages({
    story: { ...story(id, 9, ''), status: 'killed', headline: 'KILL' },
    matches: [],
  });
  return body!;
}

async function subjectsTo(address: string): Promise<string[]> {
  return (await sentMails(aws.standins))
    .filter((mail) => mail.destination.to.includes(address))
    .map((mail) => mail.subject);
}

beforeAll(async () => {
  aws = await startLocalAws({ visibilityTimeoutSeconds: 1 });
  restoreEnv = setLocalHandlerEnv(aws);
  output = captureOutput();
  vi.resetModules();
  notifier = (await import('../../functions/handlers/notifier.ts')).handler as unknown as SqsBatchHandler;
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('notifier delivery control (real handler, real SDK clients against the stand-ins)', () => {
  it('a kill sends one withdrawal notice to each recipient; a story killed before it was sent sends nothing', async () => {
    const alerted = story('k-1', 1, TAKE);
    expect(await notify(message(alert('k1@example.com', alerted), alert('k2@example.com', alerted)))).toEqual(
      {
        batchItemFailures: [],
      },
    );
    expect(await notify(kill('k-1'), kill('k-1'), kill('never-sent'))).toEqual({ batchItemFailures: [] });
    for (const address of ['k1@example.com', 'k2@example.com']) {
      expect(await subjectsTo(address)).toEqual([
        '[Wirewatch] Ports: Valdoria strike (k-1 v1)',
        '[Wirewatch] WITHDRAWN Ports: Valdoria strike (k-1 v1)',
      ]);
    }
    // A late copy of the alert after the kill sends nothing.
    await notify(message(alert('k3@example.com', story('k-1', 1, TAKE))));
    expect(await subjectsTo('k3@example.com')).toEqual([]);
  });

  it('substantive updates: a new lead alerts again, a retransmission does not', async () => {
    const to = 'updates@example.com';
    await notify(message(alert(to, story('u-1', 1, TAKE), 'substantive')));
    await notify(message(alert(to, story('u-1', 2, `${TAKE} `, 'update'), 'substantive')));
    await notify(message(alert(to, story('u-1', 3, NEW_LEAD, 'update'), 'substantive')));
    await notify(message(alert(to, story('u-1', 3, NEW_LEAD, 'update'), 'substantive')));
    expect(await subjectsTo(to)).toEqual([
      '[Wirewatch] Ports: Valdoria strike (u-1 v1)',
      '[Wirewatch] Ports: Valdoria strike (u-1 v3)',
    ]);
  });

  it('the same news under another id alerts a subscriber once', async () => {
    const to = 'dupes@example.com';
    await notify(message(alert(to, story('ap-1', 1, TAKE))));
    await notify(message(alert(to, story('dpa-9', 1, `${TAKE} Shipping agents said.`))));
    expect(await subjectsTo(to)).toEqual(['[Wirewatch] Ports: Valdoria strike (ap-1 v1)']);
  });

  it('past the daily cap, the subscription becomes a daily digest in the table and one notice says so', async () => {
    const delivery = { timeZone: 'UTC', email: 'immediate', maxPerHour: 100, dailyCap: 1 };
    const subscriptions = new DynamoSubscriptionRepository(aws.documents, aws.resources.tables.subscriptions);
    await subscriptions.create(
      aSubscription({
        id: 'sub-capped',
        channels: [{ type: 'email', address: 'capped@example.com', confirmed: true }],
        delivery: parseDeliveryPreferences(delivery),
      }),
    );
    const capped = (alerted: AlertStory) =>
      aDeliveryJob({
        story: alerted,
        subscription: { ...aDeliveryJob().subscription, id: 'sub-capped', delivery },
        destination: 'capped@example.com',
      });
    const first = story('cap-1', 1, TAKE);
    const second = story('cap-2', 1, OTHER_NEWS);

    expect(await notify(message(capped(first)))).toEqual({ batchItemFailures: [] });
    expect(await notify(message(capped(second)))).toEqual({ batchItemFailures: [] });

    expect(await subjectsTo('capped@example.com')).toEqual([
      '[Wirewatch] Ports: Valdoria strike (cap-1 v1)',
      '[Wirewatch] Ports is now a daily digest',
    ]);
    expect((await subscriptions.get('sub-capped'))?.delivery?.email).toEqual({ kind: 'daily', at: 8 * 60 });
  });

  it("reads the ledger once per message: the story's group, band owners, settled claims, kill and suppressions together", async () => {
    const ledger = await startDynamoDbProxy(aws.standins.endpoints.dynamodb);
    const restore = setEnv({ AWS_ENDPOINT_URL_DYNAMODB: ledger.url });
    try {
      vi.resetModules();
      const counted = (await import('../../functions/handlers/notifier.ts'))
        .handler as unknown as SqsBatchHandler;
      // News of its own: no earlier story of this file shares its bands.
      const first = story('once-1', 1, OWN_NEWS);
      const run = (...jobs: DeliveryJob[]) =>
        counted(sqsEvent(sqsRecord(message(...jobs))), lambdaContext('notifier'));
      // The story's first message: its group is not known yet (band owners read with it, then recorded).
      expect(await run(alert('a@once.example', first), alert('b@once.example', first))).toEqual({
        batchItemFailures: [],
      });
      expect(ledger.counts.get('BatchGetItem')).toBe(1);
      expect(ledger.counts.get('GetItem')).toBeUndefined();
      // Two claims and the group, conditional puts each.
      expect(ledger.counts.get('PutItem')).toBe(3);
      // A later message of the story: its group known, one read again, and only the claims written.
      ledger.counts.clear();
      expect(await run(alert('c@once.example', first))).toEqual({ batchItemFailures: [] });
      expect(ledger.counts.get('BatchGetItem')).toBe(1);
      expect(ledger.counts.get('GetItem')).toBeUndefined();
      expect(ledger.counts.get('PutItem')).toBe(1);
      expect(await subjectsTo('c@once.example')).toHaveLength(1);
    } finally {
      restore();
      await ledger.close();
    }
  });
});
