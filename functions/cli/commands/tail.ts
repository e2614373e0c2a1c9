/**
 * `wirewatch tail`: prints the alerts topic's messages as they arrive, one JSON line each, as an integration
 * receives them. It subscribes a temporary SQS queue to the topic (raw delivery) and removes both when it stops
 * (Ctrl-C, SIGTERM, or after --count messages). Locally by default; a deployed topic with --topic-arn.
 */
import { randomUUID } from 'node:crypto';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { TOPICS } from '../../../definitions/resources.ts';
import { errorMessage } from '../../core/describe-error.ts';
import { readArguments } from '../arguments.ts';
import type { Command, CommandIo } from '../command.ts';

const LOCAL_AWS_PORT = 4566;
const LOCAL_TOPIC_ARN = `arn:aws:sns:us-east-1:000000000000:${TOPICS.alerts.name}`;

const usage = `Usage: npm run --silent wirewatch -- tail [options]

Prints each message of the alerts topic as it arrives, one JSON line (docs/alerts-topic.md has the schema),
until Ctrl-C. A temporary queue subscribed to the topic receives them; it is removed when tail stops.

Options:
  --count N        stop after N messages
  --aws-port N     the local stack's port when it is not ${LOCAL_AWS_PORT} (or WIREWATCH_AWS_PORT)
  --topic-arn ARN  a deployed alerts topic (AlertsTopicArn in the stack outputs); uses your AWS credentials
                   and needs sqs:CreateQueue, sns:Subscribe and their deletes`;

interface Clients {
  readonly local: boolean;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly topicArn: string;
}

function clientsFor(values: Readonly<Record<string, string | true | undefined>>): Clients | string {
  const topicArn = typeof values['topic-arn'] === 'string' ? values['topic-arn'] : undefined;
  if (topicArn !== undefined) {
    const region = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):/.exec(topicArn)?.[1];
    if (region === undefined)
      return `--topic-arn '${topicArn}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`;
    return { local: false, sqs: new SQSClient({ region }), sns: new SNSClient({ region }), topicArn };
  }
  const portText =
    (values['aws-port'] as string | undefined) ?? process.env.WIREWATCH_AWS_PORT ?? String(LOCAL_AWS_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return `the local AWS port '${portText}' is not a port number`;
  const local = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return { local: true, sqs: new SQSClient(local), sns: new SNSClient(local), topicArn: LOCAL_TOPIC_ARN };
}

async function tail(
  clients: Clients,
  count: number | undefined,
  io: CommandIo,
  stop: AbortSignal,
): Promise<number> {
  const { sqs, sns, topicArn } = clients;
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `wirewatch-tail-${randomUUID().slice(0, 8)}`,
      Attributes: { MessageRetentionPeriod: '3600' },
    }),
  );
  let subscriptionArn: string | undefined;
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queueArn = Attributes?.QueueArn ?? '';
    if (!clients.local) {
      // In AWS the topic may deliver to the queue only when the queue's policy allows it.
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queueUrl,
          Attributes: {
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'sns.amazonaws.com' },
                  Action: 'sqs:SendMessage',
                  Resource: queueArn,
                  Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
                },
              ],
            }),
          },
        }),
      );
    }
    ({ SubscriptionArn: subscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: { RawMessageDelivery: 'true' },
        ReturnSubscriptionArn: true,
      }),
    ));
    io.stderr(`wirewatch tail: following ${topicArn}; Ctrl-C stops.`);
    let printed = 0;
    while (!stop.aborted && (count === undefined || printed < count)) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages) {
        if (count !== undefined && printed >= count) break;
        io.stdout((message.Body ?? '').replace(/[\r\n]+/g, ' '));
        printed++;
      }
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    }
    return 0;
  } finally {
    if (subscriptionArn !== undefined && subscriptionArn !== 'pending confirmation') {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn })).catch(() => undefined);
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  }
}

export const command: Command = {
  summary: 'print the alerts topic messages as they arrive (local by default)',
  usage,
  async run(args, io) {
    const parsed = readArguments(args, {
      strings: ['count', 'aws-port', 'topic-arn'],
      values: { count: 'a number', 'aws-port': 'a port number', 'topic-arn': 'an SNS topic ARN' },
    });
    if (typeof parsed === 'string' || parsed.positional.length > 0) {
      const reason = typeof parsed === 'string' ? parsed : `unexpected argument '${parsed.positional[0]}'`;
      io.stderr(`wirewatch tail: ${reason}. Run 'npm run --silent wirewatch -- tail --help'.`);
      return 2;
    }
    const values = parsed.options;
    const count = values.count === undefined ? undefined : Number(values.count);
    if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
      io.stderr('wirewatch tail: --count must be a whole number of at least 1');
      return 2;
    }
    const clients = clientsFor(values);
    if (typeof clients === 'string') {
      io.stderr(`wirewatch tail: ${clients}`);
      return 2;
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await tail(clients, count, io, stop.signal);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const text =
        code === 'ECONNREFUSED'
          ? "nothing listens on the local AWS port; is 'npm start' running?"
          : errorMessage(error);
      io.stderr(`wirewatch tail: ${text.replace(/\s+/g, ' ')}`);
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      clients.sqs.destroy();
      clients.sns.destroy();
    }
  },
};
