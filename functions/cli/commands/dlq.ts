/**
 * `wirewatch dlq`: lists what reached a dead-letter queue, with the reason where it can be known, and redrives it
 * to its source queue. Locally (the stack of `npm start`) by default; a deployed stack with `--dlq-url`.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ListDeadLetterSourceQueuesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { QUEUES } from '../../../definitions/resources.ts';
import { REFUSAL_ATTRIBUTE } from '../../core/deliveries/codec.ts';
import { errorMessage } from '../../core/describe-error.ts';
import { StoryParseError } from '../../core/stories/errors.ts';
import { BASE64, STORY_MESSAGE_ATTRIBUTES } from '../../core/stories/message.ts';
import { parseStories } from '../../core/stories/parse.ts';
import { readArguments } from '../arguments.ts';
import type { Command, CommandIo } from '../command.ts';

const LOCAL_AWS_PORT = 4566;
const LOCAL_ACCOUNT = '000000000000';
type QueueKey = 'stories' | 'deliveries';

const usage = `Usage: npm run --silent wirewatch -- dlq [options]

Lists the messages in a dead-letter queue, one line each: message id, when it was first sent, how often it
was received, what it is and why it failed. For a story the reason is the parser's, read again now; a
delivery failed to send (throttling or an outage) as often as the queue allows.

Options:
  --queue stories|deliveries   which dead-letter queue (default stories)
  --redrive                    move every message listed back to its source queue, to be tried again
  --max N                      at most N messages (default 100)
  --aws-port N                 the local stack's SQS port when it is not ${LOCAL_AWS_PORT} (or WIREWATCH_AWS_PORT)
  --dlq-url URL                a deployed dead-letter queue (StoriesDeadLetterQueueUrl or
                               DeliveriesDeadLetterQueueUrl in the stack outputs); uses your AWS credentials
  --to URL                     the queue to redrive to (default: the local source queue, or the one AWS names
                               as the dead-letter queue's source)`;

interface Target {
  readonly client: SQSClient;
  readonly dlqUrl: string;
  readonly sourceUrl?: string;
}

interface Options {
  readonly queue: QueueKey;
  readonly redrive: boolean;
  readonly max: number;
  readonly target: Target;
}

function readOptions(args: readonly string[]): Options | string {
  const parsed = readArguments(args, {
    strings: ['queue', 'max', 'aws-port', 'dlq-url', 'to'],
    flags: ['redrive'],
    values: { queue: 'stories or deliveries', max: 'a number', 'aws-port': 'a port number' },
  });
  if (typeof parsed === 'string') return parsed;
  if (parsed.positional.length > 0) return `unexpected argument '${parsed.positional[0]}'`;
  const values = parsed.options;
  const queue = values.queue ?? 'stories';
  if (queue !== 'stories' && queue !== 'deliveries')
    return `--queue must be stories or deliveries, got '${queue}'`;
  const max = Number(values.max ?? 100);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) return `--max must be a whole number 1-10000`;
  const target = targetOf(queue, values);
  if (typeof target === 'string') return target;
  return { queue, redrive: values.redrive === true, max, target };
}

function targetOf(
  queue: QueueKey,
  values: Readonly<Record<string, string | true | undefined>>,
): Target | string {
  const to = typeof values.to === 'string' ? values.to : undefined;
  const dlqUrl = typeof values['dlq-url'] === 'string' ? values['dlq-url'] : undefined;
  if (dlqUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(dlqUrl);
    } catch {
      return `--dlq-url '${dlqUrl}' is not a URL (expected https://sqs.REGION.amazonaws.com/ACCOUNT/QUEUE)`;
    }
    const region =
      process.env.AWS_REGION ?? /^(?:sqs\.)?([a-z]{2}(?:-[a-z]+)+-[0-9])\./.exec(url.hostname)?.[1];
    return {
      client: new SQSClient({ endpoint: url.origin, ...(region === undefined ? {} : { region }) }),
      dlqUrl,
      ...(to === undefined ? {} : { sourceUrl: to }),
    };
  }
  const portText =
    (values['aws-port'] as string | undefined) ?? process.env.WIREWATCH_AWS_PORT ?? String(LOCAL_AWS_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return `the local AWS port '${portText}' is not a port number`;
  const endpoint = `http://127.0.0.1:${port}`;
  const name = QUEUES[queue].name;
  return {
    client: new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    dlqUrl: `${endpoint}/${LOCAL_ACCOUNT}/${name}-dlq`,
    sourceUrl: to ?? `${endpoint}/${LOCAL_ACCOUNT}/${name}`,
  };
}

/** Up to `max` messages, hidden while read (30 s); the caller makes them visible again or deletes them. */
async function receiveAll(client: SQSClient, queueUrl: string, max: number): Promise<Message[]> {
  const found: Message[] = [];
  while (found.length < max) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - found.length),
        VisibilityTimeout: 30,
        WaitTimeSeconds: found.length === 0 ? 1 : 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    found.push(...Messages);
  }
  return found;
}

/** What a dead-lettered message is and why it failed, in one line. */
export function describeDeadLetter(
  queue: QueueKey,
  message: Pick<Message, 'Body' | 'MessageAttributes'>,
): string {
  const body = message.Body ?? '';
  if (queue === 'deliveries') {
    try {
      const parsed = JSON.parse(body) as {
        story?: { id?: unknown; headline?: unknown };
        matches?: unknown[];
      };
      const alerts = Array.isArray(parsed.matches) ? parsed.matches.length : 0;
      const refusal = message.MessageAttributes?.[REFUSAL_ATTRIBUTE]?.StringValue;
      if (refusal !== undefined) {
        return `alerts of story ${String(parsed.story?.id ?? '?')} for ${alerts} subscription(s): refused for good (${refusal}); fix the sender, then redrive`;
      }
      return `alerts of story ${String(parsed.story?.id ?? '?')} for ${alerts} subscription(s): sending failed as often as the queue allows (throttling or an outage; the notifier's log has each error)`;
    } catch {
      return 'not a delivery message (malformed JSON)';
    }
  }
  const encoding = message.MessageAttributes?.[STORY_MESSAGE_ATTRIBUTES.contentEncoding]?.StringValue;
  const format = message.MessageAttributes?.[STORY_MESSAGE_ATTRIBUTES.format]?.StringValue;
  const input = encoding === BASE64 ? Buffer.from(body, 'base64') : body;
  try {
    const stories = parseStories(input, format === undefined ? {} : { format: format as never });
    return `story ${stories.map((story) => story.id).join(', ')}: parses now, so it failed for another reason (a timeout or an outage); redrive it`;
  } catch (error) {
    const reason = errorMessage(error);
    const code = error instanceof StoryParseError ? ` [${error.code}]` : '';
    return `story that cannot be parsed${code}: ${reason}`;
  }
}

function line(queue: QueueKey, message: Message): string {
  const sent = Number(message.Attributes?.SentTimestamp);
  const when = Number.isFinite(sent) ? new Date(sent).toISOString().slice(0, 19).replace('T', ' ') : '?';
  const received = message.Attributes?.ApproximateReceiveCount ?? '?';
  const text = describeDeadLetter(queue, message).replace(/\s+/g, ' ');
  return `${message.MessageId ?? '?'}  sent ${when}Z  received ${received}x  ${text}`;
}

async function sourceQueue(target: Target): Promise<string | undefined> {
  if (target.sourceUrl !== undefined) return target.sourceUrl;
  const { queueUrls = [] } = await target.client.send(
    new ListDeadLetterSourceQueuesCommand({ QueueUrl: target.dlqUrl }),
  );
  return queueUrls.length === 1 ? queueUrls[0] : undefined;
}

function attributesToSend(attributes: Record<string, MessageAttributeValue> | undefined) {
  if (attributes === undefined) return undefined;
  const kept: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    kept[name] = {
      DataType: value.DataType,
      ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }),
    };
  }
  return Object.keys(kept).length === 0 ? undefined : kept;
}

async function run(options: Options, io: CommandIo): Promise<number> {
  const { client, dlqUrl } = options.target;
  const messages = await receiveAll(client, dlqUrl, options.max);
  const name = dlqUrl.slice(dlqUrl.lastIndexOf('/') + 1);
  if (messages.length === 0) {
    io.stdout(`${name} is empty.`);
    return 0;
  }
  for (const message of messages) io.stdout(line(options.queue, message));
  if (!options.redrive) {
    // Listing must not hide them: visible again at once.
    for (let start = 0; start < messages.length; start += 10) {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: dlqUrl,
          Entries: messages.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    io.stdout(`${messages.length} message(s) in ${name}. --redrive sends them back to be tried again.`);
    return 0;
  }
  const to = await sourceQueue(options.target);
  if (to === undefined) {
    io.stderr(
      `wirewatch dlq: cannot tell which queue ${name} is the dead-letter queue of; name it with --to URL`,
    );
    return 1;
  }
  // Sent first, deleted second: a crash in between leaves a copy in both (the pipeline alerts once), never none.
  for (const message of messages) {
    await client.send(
      new SendMessageCommand({
        QueueUrl: to,
        MessageBody: message.Body ?? '',
        MessageAttributes: attributesToSend(message.MessageAttributes),
      }),
    );
    await client.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
  }
  io.stdout(`redrove ${messages.length} message(s) from ${name} to ${to.slice(to.lastIndexOf('/') + 1)}.`);
  return 0;
}

export const command: Command = {
  summary: 'list dead-lettered stories or alerts with their reasons, and redrive them',
  usage,
  async run(args, io) {
    const options = readOptions(args);
    if (typeof options === 'string') {
      io.stderr(`wirewatch dlq: ${options}. Run 'npm run --silent wirewatch -- dlq --help'.`);
      return 2;
    }
    try {
      return await run(options, io);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const text =
        code === 'ECONNREFUSED'
          ? `nothing listens at ${new URL(options.target.dlqUrl).origin}; is 'npm start' running?`
          : errorMessage(error);
      io.stderr(`wirewatch dlq: ${text.replace(/\s+/g, ' ')}`);
      return 1;
    } finally {
      options.target.client.destroy();
    }
  },
};
