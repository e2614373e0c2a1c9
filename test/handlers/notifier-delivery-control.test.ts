import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoSubscriptionRepository } from '../../functions/adapters/subscription-repository.ts';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import type { AlertStory, DeliveryJob } from '../../functions/core/deliveries/types.ts';
import { encodeFingerprint, fingerprintText } from '../../functions/core/stories/near-duplicates.ts';
import { parseDeliveryPreferences } from '../../functions/core/subscriptions/preferences.ts';
import { type LocalAws, sentMails, startLocalAws } from '../adapters/support.ts';
import { aDeliveryJob, aSubscription, storyAlerts } from '../core/alerts/factories.ts';
import { lambdaContext, type SqsBatchHandler, sqsEvent, sqsRecord } from '../support/lambda-events.ts';
import { captureOutput, setLocalHandlerEnv } from './support.ts';

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
});
