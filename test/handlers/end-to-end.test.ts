import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { type Poller, type SqsLambdaHandler, startPoller } from '../../local/poller.ts';
import { drainQueue, type LocalAws, sentMails, startLocalAws } from '../adapters/support.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import { lambdaContext } from '../support/lambda-events.ts';
import { harbourStory } from './stories.ts';
import { captureOutput, setLocalHandlerEnv } from './support.ts';

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
const pollers: Poller[] = [];

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // Lambda-like retries in seconds: 1 s visibility, dead-letter queue after 3 receives.
  aws = await startLocalAws({ visibilityTimeoutSeconds: 1, maxReceiveCount: 3 });
  restoreEnv = setLocalHandlerEnv(aws);
  output = captureOutput();
  await aws.documents.send(
    new PutCommand({
      TableName: aws.resources.tables.subscriptions,
      Item: toItem(
        aSubscription({
          id: 'sub-e2e',
          name: 'Harbours',
          query: 'harbour AND strike',
          channels: [
            { type: 'email', address: 'e2e@example.com', confirmed: true },
            { type: 'sms', phone: '+14155550177', confirmed: true },
          ],
        }),
      ),
    }),
  );
  vi.resetModules();
  const snapshotBuilder = (await import('../../functions/handlers/snapshot-builder.ts')).handler;
  await snapshotBuilder({}, lambdaContext('snapshot-builder'));
  const matcher = (await import('../../functions/handlers/matcher.ts'))
    .handler as unknown as SqsLambdaHandler;
  const notifier = (await import('../../functions/handlers/notifier.ts'))
    .handler as unknown as SqsLambdaHandler;
  const { stories, deliveries } = aws.resources.queues;
  for (const [queue, handler, functionName] of [
    [stories, matcher, 'matcher'],
    [deliveries, notifier, 'notifier'],
  ] as const) {
    pollers.push(
      startPoller({
        sqs: aws.clients.sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        handler,
        functionName,
        waitTimeSeconds: 1,
      }),
    );
  }
});

afterAll(async () => {
  await Promise.all(pollers.map((poller) => poller.stop()));
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('stories queue to alerts, through both handlers and the local event-source poller', () => {
  it('alerts once per channel for a story and its update, and dead-letters a poison story', async () => {
    await aws.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: aws.resources.queues.stories.url,
        Entries: [
          { Id: 'v1', MessageBody: harbourStory({ id: 'e2e-1' }) },
          { Id: 'poison', MessageBody: '{"wirewatch": 1, "headline": "no id"}' },
          {
            Id: 'v2',
            MessageBody: harbourStory({
              id: 'e2e-1',
              version: 2,
              status: 'update',
              headline: 'Harbour strike over',
            }),
          },
        ],
      }),
    );
    const mails = await eventually(
      async () =>
        (await sentMails(aws.standins)).filter((mail) => mail.destination.to.includes('e2e@example.com')),
      (found) => found.length > 0,
    );
    const dead = await eventually(
      () => drainQueue(aws.clients.sqs, aws.resources.queues.stories.deadLetter.url),
      (messages) => messages.length > 0,
    );
    // Both versions were matched and planned; let the notifier finish with every job.
    await eventually(
      async () => output.logs('Alert already sent').length,
      (count) => count >= 2,
    );
    const finalMails = (await sentMails(aws.standins)).filter((mail) =>
      mail.destination.to.includes('e2e@example.com'),
    );
    expect(finalMails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/^\[Wirewatch\] Harbours: Harbour /);
    expect(aws.standins.smsOutbox.messages.filter((sms) => sms.phoneNumber === '+14155550177')).toHaveLength(
      1,
    );
    expect(dead.map((message) => message.Body)).toEqual(['{"wirewatch": 1, "headline": "no id"}']);
    expect(output.logs('Story rejected').length).toBeGreaterThanOrEqual(3);
  });
});
