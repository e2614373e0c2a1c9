/**
 * `wirewatch publish FILE...`: sends each file as one message to the stories queue (as is, or base64 with the
 * attribute contentEncoding=base64 when SQS would refuse its bytes): the local stack's by default, a deployed
 * one with `--queue-url` (default AWS credential chain).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES } from '../../../definitions/resources.ts';
import { errorMessage } from '../../core/describe-error.ts';
import { encodeStoryMessage, type StoryMessage, storyMessageAttributes } from '../../core/stories/message.ts';
import { readArguments } from '../arguments.ts';
import type { Command, CommandIo } from '../command.ts';

const LOCAL_AWS_PORT = 4566;
const LOCAL_ACCOUNT = '000000000000';
const MAX_BYTES = QUEUES.stories.maxMessageSizeBytes;

const usage = `Usage: npm run --silent wirewatch -- publish [options] FILE...

Sends each FILE (any supported wire format) as one message to the stories queue and prints its message id.
Files SQS cannot carry as text (ANPA control characters, ISO-8859-1) go base64-encoded with the String
message attribute contentEncoding=base64, which the matcher decodes.

Options:
  --queue-url URL   a deployed stories queue (or WIREWATCH_QUEUE_URL); uses your AWS credentials and the region
                    in the URL. Default: the local stack of 'npm start' (http://127.0.0.1:${LOCAL_AWS_PORT}, queue '${QUEUES.stories.name}').
  --aws-port N      the local stack's SQS port when it is not ${LOCAL_AWS_PORT} (or WIREWATCH_AWS_PORT).

Files over ${MAX_BYTES} bytes (1 MiB, the SQS limit) or unreadable are reported and skipped; the exit status is then 1.`;

interface Target {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

type Parsed = { readonly files: string[]; readonly queueUrl?: string; readonly awsPort?: string } | string;

function readPublishArguments(args: readonly string[]): Parsed {
  const parsed = readArguments(args, { strings: ['queue-url', 'aws-port'] });
  if (typeof parsed === 'string') return parsed;
  const { 'queue-url': queueUrl, 'aws-port': awsPort } = parsed.options;
  for (const [name, value] of [
    ['--queue-url', queueUrl],
    ['--aws-port', awsPort],
  ] as const) {
    if (value === '') return `${name} needs a value`;
  }
  if (parsed.positional.length === 0) return 'no FILE given';
  return {
    files: [...parsed.positional],
    ...(typeof queueUrl === 'string' ? { queueUrl } : {}),
    ...(typeof awsPort === 'string' ? { awsPort } : {}),
  };
}

function target(queueUrlOption: string | undefined, awsPortOption: string | undefined): Target | string {
  const queueUrl = queueUrlOption ?? process.env.WIREWATCH_QUEUE_URL;
  if (queueUrl !== undefined && queueUrl !== '') {
    let url: URL;
    try {
      url = new URL(queueUrl);
    } catch {
      return `--queue-url '${queueUrl}' is not a URL (expected https://sqs.REGION.amazonaws.com/ACCOUNT/QUEUE)`;
    }
    // The region is in an AWS queue URL's host; the credential chain and AWS_REGION still win when set.
    const region =
      process.env.AWS_REGION ?? /^(?:sqs\.)?([a-z]{2}(?:-[a-z]+)+-[0-9])\./.exec(url.hostname)?.[1];
    // The queue URL's origin is the endpoint (also for legacy REGION.queue.amazonaws.com URLs).
    return {
      client: new SQSClient({ endpoint: url.origin, ...(region === undefined ? {} : { region }) }),
      queueUrl,
    };
  }
  const portText = awsPortOption ?? process.env.WIREWATCH_AWS_PORT ?? String(LOCAL_AWS_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `the local AWS port '${portText}' is not a port number (1-65535)`;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    // The local stand-ins check no credentials; fixed dummy ones keep the default chain from looking for real ones.
    client: new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    queueUrl: `${endpoint}/${LOCAL_ACCOUNT}/${QUEUES.stories.name}`,
  };
}

async function readStory(file: string): Promise<StoryMessage> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (error) {
    throw new Error(`cannot read it (${describe(error)})`);
  }
  if (size > MAX_BYTES)
    throw new Error(`${size} bytes is over the ${MAX_BYTES}-byte (1 MiB) SQS message limit`);
  if (size === 0) throw new Error('it is empty');
  const bytes = await readFile(file).catch((error: unknown) => {
    throw new Error(`cannot read it (${describe(error)})`);
  });
  // ANPA control characters and non-UTF-8 text cannot go in an SQS body as they are: base64 then.
  const message = encodeStoryMessage(bytes);
  if (Buffer.byteLength(message.body, 'utf8') > MAX_BYTES) {
    throw new Error(
      `base64-encoded (it is not text SQS accepts as is) it is over the ${MAX_BYTES}-byte (1 MiB) SQS message limit`,
    );
  }
  return message;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'a directory';
  return errorMessage(error);
}

async function publish(files: readonly string[], to: Target, io: CommandIo): Promise<number> {
  let failures = 0;
  for (const file of files) {
    try {
      const message = await readStory(file);
      const { MessageId } = await to.client.send(
        new SendMessageCommand({
          QueueUrl: to.queueUrl,
          MessageBody: message.body,
          MessageAttributes: storyMessageAttributes(message),
        }),
      );
      io.stdout(`${file}\t${MessageId ?? '(no message id)'}`);
    } catch (error) {
      failures++;
      io.stderr(`wirewatch publish: ${file}: ${oneLine(sendFailure(error, to.queueUrl))}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

function sendFailure(error: unknown, queueUrl: string): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED')
    return `nothing listens at ${new URL(queueUrl).origin}; is 'npm start' running?`;
  if (typeof name === 'string' && /QueueDoesNotExist|NonExistentQueue/.test(name)) {
    return `no queue ${basename(queueUrl)} at ${queueUrl}`;
  }
  return errorMessage(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

export const command: Command = {
  summary: 'send wire story files to the stories queue (local by default)',
  usage,
  async run(args, io) {
    const parsed = readPublishArguments(args);
    if (typeof parsed === 'string') {
      io.stderr(`wirewatch publish: ${parsed}. Run 'npm run --silent wirewatch -- publish --help'.`);
      return 1;
    }
    const to = target(parsed.queueUrl, parsed.awsPort);
    if (typeof to === 'string') {
      io.stderr(`wirewatch publish: ${to}`);
      return 1;
    }
    try {
      return await publish(parsed.files, to, io);
    } finally {
      to.client.destroy();
    }
  },
};
