/**
 * End to end on the local stack: real handlers behind the pollers, real AWS SDK clients, the stand-ins on
 * ephemeral ports. Stories are invented here (never corpus text).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_TIMEOUTS } from '../../definitions/resources.ts';
import type { AlertLine } from '../../local/alert-feed.ts';
import { standinClients } from '../../local/provision.ts';
import { EXAMPLE_EMAIL, EXAMPLE_PHONE } from '../../local/seed.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { subscribeTopicTap } from '../adapters/support.ts';

interface StoredMail {
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

function inventedNitf(id: string, headline: string, paragraph: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><docdata><doc-id id-string="${id}"/><date.issue norm="20260303T151500Z"/></docdata></head>
<body><body.head><hedline><hl1>${headline}</hl1></hedline></body.head>
<body.content><p>${paragraph}</p><p>Both sides said they would file briefs within a week.</p></body.content></body></nitf>`;
}

const STORY_A = inventedNitf(
  'local-e2e-1',
  'Court pauses deportation flights',
  'An appeals court on Tuesday paused deportation flights while it reviews the case.',
);
const STORY_B = inventedNitf(
  'local-e2e-2',
  'Senate debates deportation bill',
  'Senators began debating a deportation bill on Wednesday after a week of delays.',
);

describe('local pipeline, end to end', () => {
  let stack: LocalStack;
  let dataDir: string;
  let clients: ReturnType<typeof standinClients>;
  let tapUrl: string;
  const alerts: AlertLine[] = [];
  const logs: string[] = [];
  const handlerLines: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wirewatch-e2e-'));
    stack = await startLocalStack({
      dataDir,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
      snapshotEverySeconds: 1,
      onAlert: (line) => alerts.push(line),
      log: (line) => logs.push(line),
      onHandlerLine: (line) => handlerLines.push(line),
    });
    clients = standinClients(stack.standins);
    // Our own raw subscriber on the alerts topic, as a downstream consumer would have.
    tapUrl = await subscribeTopicTap(clients, stack.resources.alertsTopicArn, 'e2e-topic-tap');
  });
  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function mails(): Promise<StoredMail[]> {
    const store = (await (await fetch(stack.standins.endpoints.sesStore)).json()) as { emails: StoredMail[] };
    return store.emails;
  }

  async function eventually<T>(look: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = await look();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log: ${logs.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function queueIsEmpty(url: string): Promise<boolean> {
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Attributes?.ApproximateNumberOfMessages === '0' &&
      Attributes.ApproximateNumberOfMessagesNotVisible === '0'
    );
  }

  async function send(body: string): Promise<void> {
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queues.stories.url, MessageBody: body }),
    );
  }

  it('turns a story into an e-mail with the highlighted snippet and one-click unsubscribe, an SMS and a topic alert', async () => {
    await send(STORY_A);

    const mail = await eventually(
      async () => (await mails()).find((m) => m.subject.includes('Court pauses deportation flights')),
      'the e-mail',
    );
    expect(mail.destination.to).toEqual([EXAMPLE_EMAIL]);
    expect(mail.body.html).toMatch(/<mark style="[^"]*background-color:[^"]+">deportation<\/mark>/);
    const headers = new Map((mail.headers ?? []).map((header) => [header.name.toLowerCase(), header.value]));
    expect(headers.get('list-unsubscribe')).toMatch(/^<https?:\/\/[^>]+>/);
    expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const sms = await eventually(
      () => stack.standins.smsOutbox.messages.find((m) => m.message.includes('Court pauses deportation')),
      'the SMS',
    );
    expect(sms.phoneNumber).toBe(EXAMPLE_PHONE);
    expect(Buffer.byteLength(sms.message)).toBeLessThanOrEqual(140);

    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: tapUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
    );
    const topicAlerts = Messages.map((message) => JSON.parse(message.Body ?? '{}'));
    expect(topicAlerts).toEqual([
      expect.objectContaining({
        type: 'wirewatch.alert',
        story: expect.objectContaining({ id: 'local-e2e-1', headline: 'Court pauses deportation flights' }),
        subscription: { id: 'local-example-deportation', name: 'Deportation' },
      }),
    ]);
    // The terminal feed saw all three channels.
    await eventually(() => (alerts.length >= 3 ? true : undefined), 'the alert feed');
    expect(new Set(alerts.map((line) => line.channel))).toEqual(new Set(['email', 'sms', 'sns']));
  });

  it('alerts once when the same story arrives twice', async () => {
    const mailsBefore = (await mails()).length;
    const smsBefore = stack.standins.smsOutbox.messages.length;
    const matchedBefore = stack.pollers.matcher.stats.succeeded;

    await send(STORY_A);
    await eventually(
      () => (stack.pollers.matcher.stats.succeeded > matchedBefore ? true : undefined),
      'the matcher',
    );
    await eventually(
      async () => ((await queueIsEmpty(stack.resources.queues.deliveries.url)) ? true : undefined),
      'the notifier',
    );

    expect((await mails()).length).toBe(mailsBefore);
    expect(stack.standins.smsOutbox.messages.length).toBe(smsBefore);
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: tapUrl, WaitTimeSeconds: 1 }),
    );
    expect(Messages).toEqual([]);
    // The terminal says so, in one line per channel.
    await eventually(
      () => (handlerLines.some((line) => line.startsWith('DUPLICATE  email')) ? true : undefined),
      'the duplicate line',
    );
    expect(handlerLines).toContain(
      'DUPLICATE  email for local-example-deportation: story local-e2e-1 was already alerted; not sent again',
    );
  });

  it('sends a story that cannot be parsed to the dead-letter queue, and the next story (from the inbox) still alerts', async () => {
    const poison = '{"hello": "this is not a wire story"}';
    await send(poison);
    const inboxFile = join(dataDir, 'inbox', 'senate.xml');
    await writeFile(inboxFile, STORY_B);

    const mail = await eventually(
      async () => (await mails()).find((m) => m.subject.includes('Senate debates deportation bill')),
      'the e-mail for the next story',
    );
    expect(mail.body.html).toMatch(/<mark style="[^"]*background-color:[^"]+">deportation<\/mark>/);
    expect(existsSync(join(dataDir, 'inbox', 'sent', 'senate.xml'))).toBe(true);
    expect(existsSync(inboxFile)).toBe(false);

    const deadLetter = await eventually(async () => {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.resources.queues.stories.deadLetter.url,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      return Messages[0];
    }, 'the dead letter');
    expect(deadLetter.Body).toBe(poison);
    expect(stack.pollers.matcher.stats.failed).toBeGreaterThanOrEqual(2);
    // One readable line per attempt, with the reason, and the last one says where the story went.
    const rejected = handlerLines.filter((line) => line.startsWith('REJECTED'));
    expect(rejected).toEqual([
      expect.stringMatching(/^REJECTED {3}story in message \S+ \(attempt 1 of 2\): .+; tried again in 1 s$/),
      expect.stringMatching(
        /^REJECTED {3}story in message \S+ \(attempt 2 of 2\): .+; moved to the stories dead-letter queue/,
      ),
    ]);
    expect(handlerLines.every((line) => !line.startsWith('{'))).toBe(true);
  });
  it('keeps each queue invisible for at least its function timeout, so a retry never overlaps a running handler', async () => {
    for (const [queue, timeout] of [
      ['stories', FUNCTION_TIMEOUTS.matcher],
      ['deliveries', FUNCTION_TIMEOUTS.notifier],
    ] as const) {
      const { Attributes } = await clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.resources.queues[queue].url,
          AttributeNames: ['VisibilityTimeout'],
        }),
      );
      expect(Number(Attributes?.VisibilityTimeout), queue).toBeGreaterThanOrEqual(timeout);
    }
  });
});
