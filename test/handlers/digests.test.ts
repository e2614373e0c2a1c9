import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import type { DeliveryJob } from '../../functions/core/deliveries/types.ts';
import { type LocalAws, sentMails, startLocalAws } from '../adapters/support.ts';
import { aDeliveryJob, aSubscription, storyAlerts } from '../core/alerts/factories.ts';
import { lambdaContext, type SqsBatchHandler, sqsEvent, sqsRecord } from '../support/lambda-events.ts';
import { captureOutput, setLocalHandlerEnv } from './support.ts';

type DigestHandler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let notifier: SqsBatchHandler;
let digests: DigestHandler;

beforeAll(async () => {
  aws = await startLocalAws({ visibilityTimeoutSeconds: 1 });
  restoreEnv = setLocalHandlerEnv(aws);
  output = captureOutput();
  vi.resetModules();
  // The subscription as the table holds it: the digest sender checks the channel is still there.
  await aws.documents.send(
    new PutCommand({
      TableName: aws.resources.tables.subscriptions,
      Item: toItem(
        aSubscription({
          id: 'digest-handler',
          channels: [{ type: 'email', address: 'digest-reader@example.com', confirmed: true }],
        }),
      ),
    }),
  );
  notifier = (await import('../../functions/handlers/notifier.ts')).handler as unknown as SqsBatchHandler;
  digests = (await import('../../functions/handlers/digests.ts')).handler as unknown as DigestHandler;
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

function jobOf(story: string, delivery: Record<string, unknown>, overrides: Partial<DeliveryJob> = {}) {
  const base = aDeliveryJob();
  return aDeliveryJob({
    story: { ...base.story, id: story, headline: `Story ${story}` },
    subscription: { ...base.subscription, id: 'digest-handler', delivery },
    destination: 'digest-reader@example.com',
    ...overrides,
  });
}

async function notify(jobs: DeliveryJob[]) {
  const records = encodeDeliveryMessages(storyAlerts(jobs)).map((body) => sqsRecord(body));
  return notifier(sqsEvent(...records), lambdaContext('notifier'));
}

const mails = async () =>
  (await sentMails(aws.standins)).filter((mail) => mail.destination.to.includes('digest-reader@example.com'));

describe('notifier and digest handlers (real SDK clients against the stand-ins)', () => {
  it('a daily digest subscription gets no immediate e-mail, its SMS at once, and one digest when fired', async () => {
    const delivery = { timeZone: 'Europe/Berlin', email: 'daily 08:00' };
    const sms = jobOf('h1', delivery, { channel: 'sms', destination: '+14155550123' });
    expect(await notify([jobOf('h1', delivery), sms])).toEqual({ batchItemFailures: [] });
    expect(await notify([jobOf('h2', delivery)])).toEqual({ batchItemFailures: [] });
    // Redelivered: held again, stored once.
    expect(await notify([jobOf('h2', delivery)])).toEqual({ batchItemFailures: [] });
    expect(await mails()).toEqual([]);
    expect(output.logs('Alert sent').some((line) => line.channel === 'sms' && line.storyId === 'h1')).toBe(
      true,
    );

    const scheduled = await digests({}, lambdaContext('digests'));
    expect(scheduled).toMatchObject({ outcomes: { sent: 0 } });
    const fired = await digests({ all: true }, lambdaContext('digests'));
    expect(fired).toMatchObject({ windows: 1, outcomes: { sent: 1 }, alerts: 2 });
    const [digest, ...more] = await mails();
    expect(more).toEqual([]);
    expect(digest!.subject).toBe('[Wirewatch] Ports: 2 stories');
    expect(await digests({ all: true }, lambdaContext('digests'))).toMatchObject({ windows: 0 });
    // A later copy of a story in the digest sends nothing: its delivery key is settled.
    await notify([jobOf('h2', { timeZone: 'UTC' })]);
    expect(await mails()).toHaveLength(1);
  });

  it('sends no digest to a channel unsubscribed since its alerts were held', async () => {
    const delivery = { timeZone: 'Europe/Berlin', email: 'daily 08:00' };
    expect(await notify([jobOf('h3', delivery)])).toEqual({ batchItemFailures: [] });
    await aws.documents.send(
      new PutCommand({
        TableName: aws.resources.tables.subscriptions,
        Item: toItem(aSubscription({ id: 'digest-handler', channels: [], status: 'paused' })),
      }),
    );
    // Held into the window fired above (already sent): it moves to a follow-up window, found unsubscribed.
    expect(await digests({ all: true }, lambdaContext('digests'))).toMatchObject({
      windows: 2,
      outcomes: { sent: 0, duplicate: 1, unsubscribed: 1 },
    });
    expect(await mails()).toHaveLength(1);
  });
});
