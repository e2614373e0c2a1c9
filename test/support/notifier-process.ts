/**
 * Test-only harness: one notifier "container" in its own process, as Lambda's SQS event source would drive it.
 * It receives from the deliveries queue, runs the real notifier handler (real SDK clients) on each batch and
 * deletes the messages that did not fail, until the queue is empty (`NOTIFIER_UNTIL_EMPTY=1`) or forever.
 *
 * Faults are injected between the handler and the stand-ins, never in production code: the DynamoDB and SES
 * clients talk to a small proxy in this process. With `NOTIFIER_PAUSE_AT=<point>:<n>` the proxy holds the
 * n-th such request (or its answer) for good and prints `PAUSED <point>` on stdout, for the test to SIGKILL
 * this process right there:
 * - `claim-sent:<n>`: after the n-th claim (a conditional PutItem) was written, before its send.
 * - `send-done:<n>`: after the SES stand-in accepted the n-th e-mail, before the notifier hears of it.
 * - `settle:<n>`: the n-th settle write (BatchWriteItem) reached DynamoDB, its answer not yet back.
 * Run with `node --import tsx test/support/notifier-process.ts`; the environment is the handlers' own
 * (localHandlerEnv) plus `NOTIFIER_QUEUE_URL` and `NOTIFIER_QUEUE_ARN`.
 */
import { writeSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { lambdaContext, recordFromMessage, type SqsBatchHandler, sqsEvent } from './lambda-events.ts';

type PausePoint = 'claim-sent' | 'send-done' | 'settle';

function pauseSetting(): { readonly point: PausePoint; readonly nth: number } | undefined {
  const setting = process.env.NOTIFIER_PAUSE_AT;
  if (setting === undefined || setting === '') return undefined;
  const [point, nth] = setting.split(':');
  if ((point !== 'claim-sent' && point !== 'send-done' && point !== 'settle') || !(Number(nth) >= 1)) {
    throw new Error(`NOTIFIER_PAUSE_AT=${setting}: expected claim-sent|send-done|settle:<n>`);
  }
  return { point, nth: Number(nth) };
}

const pause = pauseSetting();
const seen: Record<PausePoint, number> = { 'claim-sent': 0, 'send-done': 0, settle: 0 };

/** Counts a request of this kind; true when it is the one to hold (printed at once, unbuffered). */
function reached(point: PausePoint): boolean {
  seen[point]++;
  if (pause?.point !== point || seen[point] !== pause.nth) return false;
  writeSync(1, `PAUSED ${point}\n`);
  return true;
}

/** Which pause point a request to `service` is, if any. */
function pointOf(
  service: 'dynamodb' | 'ses',
  request: IncomingMessage,
  body: string,
): PausePoint | undefined {
  if (service === 'ses') return request.url?.includes('/outbound-emails') ? 'send-done' : undefined;
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.endsWith('.BatchWriteItem')) return 'settle';
  if (target.endsWith('.PutItem') && body.includes('"sending"')) return 'claim-sent';
  return undefined;
}

/** A pass-through proxy to `upstream` that holds the answer of the request chosen by NOTIFIER_PAUSE_AT. */
async function startProxy(service: 'dynamodb' | 'ses', upstream: string): Promise<string> {
  const target = new URL(upstream);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const point = pointOf(service, request, body.toString('utf8'));
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: request.url,
          method: request.method,
          headers: request.headers,
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            // Held for good: the upstream did the work, the notifier never hears of it.
            if (point !== undefined && reached(point)) return;
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(answerChunks));
          });
        },
      );
      forward.on('error', (error) => {
        response.writeHead(502);
        response.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const queueUrl = required('NOTIFIER_QUEUE_URL');
const queueArn = required('NOTIFIER_QUEUE_ARN');
const sqs = new SQSClient({ endpoint: required('AWS_ENDPOINT_URL_SQS'), useQueueUrlAsEndpoint: false });
process.env.AWS_ENDPOINT_URL_DYNAMODB = await startProxy('dynamodb', required('AWS_ENDPOINT_URL_DYNAMODB'));
process.env.AWS_ENDPOINT_URL_SESV2 = await startProxy('ses', required('AWS_ENDPOINT_URL_SESV2'));
const handler = (await import('../../functions/handlers/notifier.ts')).handler as unknown as SqsBatchHandler;

async function queueIsEmpty(): Promise<boolean> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) === 0 &&
    Number(Attributes.ApproximateNumberOfMessagesNotVisible) === 0
  );
}

for (;;) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  if (Messages.length === 0) {
    if (process.env.NOTIFIER_UNTIL_EMPTY === '1' && (await queueIsEmpty())) break;
    continue;
  }
  const records = Messages.map((message) => recordFromMessage(message, queueArn));
  const { batchItemFailures } = await handler(sqsEvent(...records), lambdaContext('notifier'));
  const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
  const done = records.filter((record) => !failed.has(record.messageId));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
  }
}
sqs.destroy();
process.exit(0);
