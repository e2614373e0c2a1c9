import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeDeadLetter } from '../../functions/cli/commands/dlq.ts';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import type { DeliveryJob, StoryAlerts } from '../../functions/core/deliveries/types.ts';
import {
  drainQueue,
  type LocalAws,
  sentMails,
  startErrorServer,
  startLocalAws,
  subscribeTopicTap,
} from '../adapters/support.ts';
import { aDeliveryJob, storyAlerts } from '../core/alerts/factories.ts';
import {
  lambdaContext,
  recordFromMessage,
  type SqsBatchHandler,
  sqsEvent,
  sqsRecord,
} from '../support/lambda-events.ts';
import { captureOutput, setEnv, setLocalHandlerEnv, startDynamoDbProxy } from './support.ts';

type Handler = SqsBatchHandler;

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
/** A queue subscribed to the alerts topic (raw delivery): what the topic published. */
let topicTapUrl: string;

/** A fresh notifier container (its own module instance, clients and configuration from the environment now). */
async function newNotifier(env: Readonly<Record<string, string | undefined>> = {}): Promise<Handler> {
  const restore = setEnv(env);
  try {
    vi.resetModules();
    return (await import('../../functions/handlers/notifier.ts')).handler as unknown as Handler;
  } finally {
    restore();
  }
}

/**
 * `count` e-mail alerts of one story, to distinct addresses `<story>-<i>@example.com`; with `topic`, each
 * subscription's alert goes to the alerts topic too.
 */
function alertsOf(
  storyId: string,
  count: number,
  status: DeliveryJob['story']['status'] = 'usable',
  topic = false,
): StoryAlerts {
  const base = aDeliveryJob();
  return storyAlerts(
    Array.from({ length: count }, (_, i) => {
      const mail = aDeliveryJob({
        story: { ...base.story, id: storyId, status },
        subscription: { ...base.subscription, id: `${storyId}-sub-${i}` },
        destination: `${storyId}-${i}@example.com`,
      });
      return topic ? [mail, { ...mail, channel: 'sns' as const, destination: undefined }] : [mail];
    }).flat(),
  );
}

/** The subscription ids the alerts topic published for, taken off its tap queue. */
async function publishedFor(storyId: string): Promise<string[]> {
  return (await drainQueue(aws.clients.sqs, topicTapUrl))
    .map((message) => message.MessageAttributes?.subscriptionId?.StringValue ?? '')
    .filter((id) => id.startsWith(`${storyId}-`))
    .sort();
}

function bodyOf(alerts: StoryAlerts): string {
  const [body, ...more] = encodeDeliveryMessages(alerts);
  if (body === undefined || more.length > 0) throw new Error('expected exactly one message');
  return body;
}

async function mailsFor(storyId: string): Promise<string[]> {
  return (await sentMails(aws.standins))
    .flatMap((mail) => mail.destination.to)
    .filter((to) => to.startsWith(`${storyId}-`))
    .sort();
}

const run = (notifier: Handler, ...bodies: string[]) =>
  notifier(sqsEvent(...bodies.map((body) => sqsRecord(body))), lambdaContext('notifier'));

beforeAll(async () => {
  aws = await startLocalAws({ visibilityTimeoutSeconds: 1 });
  restoreEnv = setLocalHandlerEnv(aws, { claimLeaseSeconds: 60 }, { AWS_MAX_ATTEMPTS: '1' });
  output = captureOutput();
  topicTapUrl = await subscribeTopicTap(aws.clients, aws.resources.alertsTopicArn, 'faults-alerts-tap');
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('notifier under faults (real handler, stand-ins)', () => {
  it('sends each alert once when two notifiers take the same message at once', async () => {
    const [first, second] = [await newNotifier(), await newNotifier()];
    const body = bodyOf(alertsOf('story-two', 12));
    const results = await Promise.all([run(first, body), run(second, body)]);
    // The loser of a claim race reports it (in flight) and the queue brings the message back later.
    const retried = results.flatMap((result) => result.batchItemFailures);
    for (const retry of retried) expect(retry.itemIdentifier).toBeTruthy();
    if (retried.length > 0) await run(first, body);
    const mails = await mailsFor('story-two');
    expect(mails).toHaveLength(12);
    expect(new Set(mails).size).toBe(12);
  });

  it('sends each e-mail and topic alert once when two notifiers take the same message at once', async () => {
    const [first, second] = [await newNotifier(), await newNotifier()];
    await drainQueue(aws.clients.sqs, topicTapUrl);
    const body = bodyOf(alertsOf('story-both', 12, 'usable', true));
    const results = await Promise.all([run(first, body), run(second, body)]);
    if (results.some((result) => result.batchItemFailures.length > 0)) await run(first, body);
    const mails = await mailsFor('story-both');
    expect(new Set(mails).size).toBe(12);
    expect(mails).toHaveLength(12);
    const published = await publishedFor('story-both');
    expect(new Set(published).size).toBe(12);
    expect(published).toHaveLength(12);
  });

  it('claims the e-mail and topic alerts of a match with one conditional write', async () => {
    const ledger = await startDynamoDbProxy(aws.standins.endpoints.dynamodb);
    try {
      const notifier = await newNotifier({ AWS_ENDPOINT_URL_DYNAMODB: ledger.url });
      await drainQueue(aws.clients.sqs, topicTapUrl);
      expect(await run(notifier, bodyOf(alertsOf('story-one-claim', 10, 'usable', true)))).toEqual({
        batchItemFailures: [],
      });
      expect(await mailsFor('story-one-claim')).toHaveLength(10);
      expect(await publishedFor('story-one-claim')).toHaveLength(10);
      // Ten matches, twenty alerts: ten claims, and the settles in chunks of eight matches (two writes).
      expect(ledger.counts.get('PutItem')).toBe(10);
      expect(ledger.counts.get('BatchWriteItem')).toBe(2);
    } finally {
      await ledger.close();
    }
  });

  it('sends nothing of a story killed before its alerts arrive', async () => {
    const notifier = await newNotifier();
    const killed = {
      story: { ...alertsOf('story-killed-early', 1).story, status: 'killed' as const },
      matches: [],
    };
    expect(await run(notifier, bodyOf(killed))).toEqual({ batchItemFailures: [] });
    expect(await run(notifier, bodyOf(alertsOf('story-killed-early', 5)))).toEqual({ batchItemFailures: [] });
    expect(await mailsFor('story-killed-early')).toEqual([]);
    expect(output.logs('Alert not sent: its story was killed')).toHaveLength(5);
  });

  it('sends nothing more of a story killed while its alerts wait to be retried', async () => {
    const throttling = await startErrorServer('ThrottlingException', 400, 'Maximum sending rate exceeded.');
    try {
      const throttled = await newNotifier({ AWS_ENDPOINT_URL_SESV2: throttling.url });
      const body = bodyOf(alertsOf('story-killed-late', 4));
      const { sqs } = aws.clients;
      const deliveries = aws.resources.queues.deliveries;
      await drainQueue(sqs, deliveries.url);
      await sqs.send(new SendMessageCommand({ QueueUrl: deliveries.url, MessageBody: body }));
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: deliveries.url, MessageSystemAttributeNames: ['All'] }),
      );
      const record = recordFromMessage(Messages[0] ?? {}, deliveries.arn);
      const first = await throttled(sqsEvent(record), lambdaContext('notifier'));
      expect(first.batchItemFailures).toHaveLength(1);

      const notifier = await newNotifier();
      const kill = {
        story: { ...alertsOf('story-killed-late', 1).story, status: 'killed' as const },
        matches: [],
      };
      await run(notifier, bodyOf(kill));
      expect(await run(notifier, body)).toEqual({ batchItemFailures: [] });
      expect(await mailsFor('story-killed-late')).toEqual([]);
    } finally {
      await throttling.close();
    }
  });

  it('records e-mail SES refuses for good (metric, dead-letter queue with the reason), and a redrive sends it', async () => {
    const refusing = await startErrorServer('MessageRejected', 400, 'Email address is not verified.');
    try {
      const rejected = await newNotifier({ AWS_ENDPOINT_URL_SESV2: refusing.url });
      const { sqs } = aws.clients;
      const deadLetters = aws.resources.queues.deliveries.deadLetter;
      await drainQueue(sqs, deadLetters.url);
      const before = output.metric('EmailRejected');
      // Done with (not retried: SES would refuse again), but not lost.
      expect(await run(rejected, bodyOf(alertsOf('story-refused', 3)))).toEqual({ batchItemFailures: [] });
      expect(refusing.requests()).toBe(3);
      expect(await mailsFor('story-refused')).toEqual([]);
      expect(output.metric('EmailRejected') - before).toBe(3);
      expect(
        output.logs('Alert refused by SES for good; recorded in the deliveries dead-letter queue'),
      ).toHaveLength(3);

      const recorded = await drainQueue(sqs, deadLetters.url);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.MessageAttributes?.refusal?.StringValue).toMatch(/MessageRejected.*not verified/);
      expect(describeDeadLetter('deliveries', recorded[0] ?? {})).toMatch(
        /^alerts of story story-refused for 3 subscription\(s\): refused for good \(.*MessageRejected/,
      );
      // Once the sender is fixed, the redriven message sends all three: their claims were released.
      const notifier = await newNotifier();
      expect(await run(notifier, recorded[0]?.Body ?? '')).toEqual({ batchItemFailures: [] });
      expect(await mailsFor('story-refused')).toHaveLength(3);
    } finally {
      await refusing.close();
    }
  });

  it('queues the settle of alerts sent while the ledger refused it, so that a story update alerts no one again', async () => {
    const ledger = await startDynamoDbProxy(aws.standins.endpoints.dynamodb, { refuse: 'BatchWriteItem' });
    try {
      const unsettling = await newNotifier({ AWS_ENDPOINT_URL_DYNAMODB: ledger.url });
      const { sqs } = aws.clients;
      const deliveries = aws.resources.queues.deliveries;
      await drainQueue(sqs, deliveries.url);
      expect(await run(unsettling, bodyOf(alertsOf('story-unsettled', 8)))).toEqual({
        batchItemFailures: [],
      });
      expect(ledger.counts.get('BatchWriteItem') ?? 0).toBeGreaterThan(0);
      expect(await mailsFor('story-unsettled')).toHaveLength(8);

      // The settle notice waits on the deliveries queue; a healthy notifier settles the eight alerts.
      const notices = await drainQueue(sqs, deliveries.url);
      expect(notices).toHaveLength(1);
      const notifier = await newNotifier();
      expect(await run(notifier, notices[0]?.Body ?? '')).toEqual({ batchItemFailures: [] });
      const update = alertsOf('story-unsettled', 8, 'update');
      expect(await run(notifier, bodyOf({ ...update, story: { ...update.story, version: 2 } }))).toEqual({
        batchItemFailures: [],
      });
      expect(await mailsFor('story-unsettled')).toHaveLength(8);
    } finally {
      await ledger.close();
    }
  });
});
