import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimKey } from '../../functions/adapters/dynamodb-ledger.ts';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import { type DeliveryJob, deliveryKey, matchClaimKey } from '../../functions/core/deliveries/types.ts';
import { verifyToken } from '../../functions/core/security/signed-token.ts';
import { suppressionKey } from '../../functions/core/subscriptions/ledger-keys.ts';
import {
  drainQueue,
  type LocalAws,
  sentMails,
  startErrorServer,
  startLocalAws,
  subscribeTopicTap,
} from '../adapters/support.ts';
import { aDeliveryJob, SECRET, storyAlerts } from '../core/alerts/factories.ts';
import {
  lambdaContext,
  recordFromMessage,
  type SqsBatchHandler,
  sqsEvent,
  sqsRecord,
} from '../support/lambda-events.ts';
import { captureOutput, setEnv, setLocalHandlerEnv } from './support.ts';

type Handler = SqsBatchHandler;

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let notifier: Handler;
let tapUrl: string;

function job(overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  const base = aDeliveryJob();
  return aDeliveryJob({
    story: { ...base.story, id: 'story-n1', headline: 'Harbour <script>x</script> strike ends' },
    ...overrides,
  });
}

/** One record per argument: a raw body, a job, or the jobs of one message (as the matcher writes them). */
async function notify(...messages: (DeliveryJob | DeliveryJob[] | string)[]) {
  const records = messages.map((m) =>
    sqsRecord(typeof m === 'string' ? m : messageBody(Array.isArray(m) ? m : [m])),
  );
  return { records, result: await notifier(sqsEvent(...records), lambdaContext('notifier')) };
}

function messageBody(jobs: DeliveryJob[]): string {
  const [body, ...more] = encodeDeliveryMessages(storyAlerts(jobs));
  if (body === undefined || more.length > 0) throw new Error('the test jobs should make exactly one message');
  return body;
}

async function mailsTo(address: string) {
  return (await sentMails(aws.standins)).filter((mail) => mail.destination.to.includes(address));
}

beforeAll(async () => {
  // A 1-second queue visibility timeout, so that a message whose visibility was not changed shows again at once.
  aws = await startLocalAws({ visibilityTimeoutSeconds: 1 });
  restoreEnv = setLocalHandlerEnv(aws);
  tapUrl = await subscribeTopicTap(aws.clients, aws.resources.alertsTopicArn, 'alerts-tap');
  output = captureOutput();
  vi.resetModules();
  notifier = (await import('../../functions/handlers/notifier.ts')).handler as unknown as Handler;
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('notifier handler (real SDK clients against the stand-ins)', () => {
  it('sends the alert e-mail through SES: escaped HTML, clean subject, one-click unsubscribe', async () => {
    const { result } = await notify(job({ destination: 'first@example.com' }));
    expect(result).toEqual({ batchItemFailures: [] });
    const [mail, ...others] = await mailsTo('first@example.com');
    expect(others).toEqual([]);
    expect(mail?.from).toBe('alerts@wirewatch.local');
    expect(mail?.subject).toBe('[Wirewatch] Ports: Harbour <script>x</script> strike ends');
    expect(mail?.body.html).toContain('Harbour &lt;script&gt;x&lt;/script&gt; strike ends');
    expect(mail?.body.html).not.toContain('<script>');
    expect(mail?.body.text).toContain('Why you got this: your alert "Ports" matched harbour.');
    const headers = Object.fromEntries((mail?.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const token = decodeURIComponent(/token=([^>]+)>$/.exec(headers['List-Unsubscribe'] ?? '')?.[1] ?? '');
    expect(verifyToken(token, SECRET, 'unsubscribe')).toMatchObject({
      ok: true,
      payload: { sub: 'sub-1', ch: 'email' },
    });

    const sent = output.lines.find((line) => line.AlertsSent !== undefined && line.channel === 'email');
    expect(sent).toMatchObject({ AlertsSent: 1, channel: 'email' });
  });

  it('sends one e-mail for a job delivered twice, and none for a later version of the story', async () => {
    const once = job({
      destination: 'twice@example.com',
      subscription: { ...job().subscription, id: 'sub-twice' },
    });
    await notify(once);
    const { result } = await notify(once);
    expect(result).toEqual({ batchItemFailures: [] });
    await notify({ ...once, story: { ...once.story, version: 2, status: 'update' } });
    expect(await mailsTo('twice@example.com')).toHaveLength(1);
    expect(output.logs('Alert already sent')).toHaveLength(2);
  });

  it('sends one e-mail for two copies of a job in the same batch, failing neither', async () => {
    const copy = job({
      destination: 'same-batch@example.com',
      subscription: { ...job().subscription, id: 'sub-batch' },
    });
    const { result } = await notify(copy, copy);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await mailsTo('same-batch@example.com')).toHaveLength(1);
  });

  it('sends SMS through SNS in one segment, and skips a number that opted out', async () => {
    const sms = job({
      channel: 'sms',
      destination: '+14155550111',
      subscription: { ...job().subscription, id: 'sub-sms' },
    });
    await notify(sms);
    const texts = aws.standins.smsOutbox.messages.filter((m) => m.phoneNumber === '+14155550111');
    expect(texts.map((m) => m.message)).toEqual([
      'Wirewatch: Ports "harbour", Test Wire 03:04 UTC: Harbour <script>x</script> strike ends https://news.example.com/stories/42',
    ]);
    expect(Buffer.byteLength(texts[0]?.message ?? '')).toBeLessThanOrEqual(140);
    expect(texts[0]?.attributes['AWS.SNS.SMS.SMSType']).toBe('Transactional');

    // A STOP reply recorded by the subscription service (same ledger key) stops the notifier too.
    await aws.documents.send(
      new PutCommand({
        TableName: aws.resources.tables.ledger,
        Item: { pk: suppressionKey('+14155550122'), reason: 'STOP' },
      }),
    );
    const { result } = await notify(job({ channel: 'sms', destination: '+14155550122' }));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(aws.standins.smsOutbox.messages.filter((m) => m.phoneNumber === '+14155550122')).toEqual([]);
  });

  it('publishes topic alerts as JSON with filterable attributes', async () => {
    await notify(
      job({
        channel: 'sns',
        destination: undefined,
        subscription: { ...job().subscription, id: 'sub-topic' },
      }),
    );
    const [message] = await drainQueue(aws.clients.sqs, tapUrl);
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({
      type: 'wirewatch.alert',
      story: { id: 'story-n1' },
      subscription: { id: 'sub-topic', name: 'Ports' },
    });
    expect(message?.MessageAttributes?.subscriptionId?.StringValue).toBe('sub-topic');
    expect(message?.MessageAttributes?.storyId?.StringValue).toBe('story-n1');
  });

  it('sends every alert of a many-job message once, and nothing when the message comes again', async () => {
    const alerts = Array.from({ length: 12 }, (_, i) =>
      job({
        destination: `many-${i}@example.com`,
        subscription: { ...job().subscription, id: `sub-many-${i}` },
        story: { ...job().story, id: 'story-many' },
      }),
    );
    const { result } = await notify(alerts);
    expect(result).toEqual({ batchItemFailures: [] });
    await notify(alerts);
    for (let i = 0; i < 12; i++) expect(await mailsTo(`many-${i}@example.com`)).toHaveLength(1);
    expect(output.lines.filter((line) => line.AlertsSent === 12 && line.channel === 'email')).toHaveLength(1);
  });

  it('still delivers a bare job, as messages were before they held several', async () => {
    const bare = job({
      destination: 'bare@example.com',
      subscription: { ...job().subscription, id: 'sub-bare' },
    });
    const { result } = await notify(JSON.stringify(bare));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await mailsTo('bare@example.com')).toHaveLength(1);
  });

  it('fails a malformed message alone, so that it reaches the dead-letter queue', async () => {
    const { records, result } = await notify(
      '{"not":"a job"}',
      job({
        destination: 'beside-poison@example.com',
        subscription: { ...job().subscription, id: 'sub-beside' },
      }),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[0]?.messageId }] });
    expect(await mailsTo('beside-poison@example.com')).toHaveLength(1);
    expect(output.logs('Malformed delivery message')[0]).toMatchObject({
      level: 'ERROR',
      messageId: records[0]?.messageId,
      reason: expect.stringContaining('"story" must be an object'),
    });
  });
});

describe('notifier handler when SES throttles', () => {
  it('fails the message, delays its retry with ChangeMessageVisibility and leaves the e-mail unclaimed', async () => {
    const throttling = await startErrorServer('ThrottlingException', 400, 'Maximum sending rate exceeded.');
    const restore = setEnv({ AWS_ENDPOINT_URL_SESV2: throttling.url, AWS_MAX_ATTEMPTS: '1' });
    try {
      vi.resetModules();
      const throttled = (await import('../../functions/handlers/notifier.ts')).handler as unknown as Handler;
      const { sqs } = aws.clients;
      const deliveries = aws.resources.queues.deliveries;
      const throttledJob = job({
        destination: 'throttled@example.com',
        story: { ...job().story, id: 'story-throttled' },
      });
      // Its companion in the message goes to the topic, which is not throttled.
      const topicJob = { ...throttledJob, channel: 'sns' as const, destination: undefined };
      await drainQueue(sqs, tapUrl);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: deliveries.url,
          MessageBody: messageBody([throttledJob, topicJob]),
        }),
      );
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deliveries.url,
          MaxNumberOfMessages: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const record = recordFromMessage(Messages[0] ?? {}, deliveries.arn);

      const result = await throttled(sqsEvent(record), lambdaContext('notifier'));

      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
      expect(throttling.requests()).toBe(1);
      const claim = await aws.documents.send(
        new GetCommand({
          TableName: aws.resources.tables.ledger,
          Key: { pk: claimKey(deliveryKey(throttledJob)) },
        }),
      );
      expect(claim.Item).toBeUndefined();
      const topicClaim = await aws.documents.send(
        new GetCommand({
          TableName: aws.resources.tables.ledger,
          Key: { pk: claimKey(deliveryKey(topicJob)) },
        }),
      );
      expect(topicClaim.Item?.state).toBe('done');
      // The match (e-mail and topic) was claimed as one; it went out in part, so its claim is settled: a copy of
      // the message sends none of it, and the retry claims the e-mail under its own key.
      const matchClaim = await aws.documents.send(
        new GetCommand({
          TableName: aws.resources.tables.ledger,
          Key: { pk: claimKey(matchClaimKey([throttledJob, topicJob])) },
        }),
      );
      expect(matchClaim.Item?.state).toBe('done');
      expect(await drainQueue(sqs, tapUrl)).toHaveLength(1);
      const [retry] = output.logs('Alert not sent; will retry');
      expect(retry).toMatchObject({ receiveCount: 1, error: expect.stringContaining('ThrottlingException') });
      expect(retry?.retryInSeconds).toBeGreaterThanOrEqual(15);
      // The queue's own visibility timeout is 1 s: without the change the message would be back by now.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const again = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: deliveries.url, WaitTimeSeconds: 0 }),
      );
      expect(again.Messages ?? []).toEqual([]);
      expect(await mailsTo('throttled@example.com')).toEqual([]);

      // The retry, with SES back: the e-mail goes out, the topic alert is not published a second time.
      const retried = await notifier(sqsEvent(record), lambdaContext('notifier'));
      expect(retried).toEqual({ batchItemFailures: [] });
      expect(await mailsTo('throttled@example.com')).toHaveLength(1);
      expect(await drainQueue(sqs, tapUrl)).toEqual([]);
    } finally {
      restore();
      await throttling.close();
    }
  });
});
