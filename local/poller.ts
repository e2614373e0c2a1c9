/**
 * A local stand-in for Lambda's SQS event source mapping: long-polls a queue, hands each batch to the real
 * handler as an SQSEvent, deletes what succeeded and leaves the rest to reappear after the visibility timeout
 * (and to move to the dead-letter queue after maxReceiveCount, which fauxqs does on receive).
 *
 * As in Lambda with ReportBatchItemFailures: a returned `batchItemFailures` fails just those messages; a thrown
 * error, or a failure entry that names no message of the batch, fails the whole batch.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/** What the poller calls; a Lambda SQS handler (middy-wrapped or not) fits. */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The queue's ARN, for `eventSourceARN`. */
  readonly queueArn: string;
  readonly handler: SqsLambdaHandler;
  /** For the fake context (`functionName`, log group). */
  readonly functionName: string;
  readonly region?: string;
  /** Messages per batch, 1-10. Default 10. */
  readonly batchSize?: number;
  /**
   * Seconds a receive waits for messages. Default 1: a long poll that an idle stop waits out at most this long
   * (an aborted receive could still take messages from fauxqs and hide them for a visibility timeout).
   */
  readonly waitTimeSeconds?: number;
  /** Batches in flight at once, like concurrent Lambda instances. Default 1. */
  readonly concurrency?: number;
  /** The function timeout: `getRemainingTimeInMillis` starts here, and a batch still running then fails. Default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Seconds before a message the handler reported failed (or whose batch threw) is received again. Unset: after
   * the queue's visibility timeout, as in Lambda. Locally the visibility timeout stays at least the function
   * timeout, so a message is never handed out again while a handler still runs on it, and failures that the
   * handler finished with come back after this shorter delay. Not applied to a batch that timed out.
   */
  readonly retryDelaySeconds?: number;
}

export interface BatchReport {
  readonly received: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Set when the handler threw (the whole batch failed). */
  readonly error?: unknown;
}

export interface PollerStats {
  readonly batches: number;
  readonly received: number;
  readonly succeeded: number;
  readonly failed: number;
}

/** Started by `startPoller`; emits `batch` after each batch and `error` when a receive or delete fails. */
export class Poller extends EventEmitter<{ batch: [BatchReport]; error: [unknown] }> {
  readonly #options: PollerOptions;
  readonly #counts = { batches: 0, received: 0, succeeded: 0, failed: 0 };
  readonly #loops: Promise<void>[];
  #running = true;

  constructor(options: PollerOptions) {
    super();
    const batchSize = options.batchSize ?? 10;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
      throw new RangeError(`batchSize must be 1-10, got ${batchSize}`);
    }
    this.#options = { ...options, batchSize };
    this.#loops = Array.from({ length: options.concurrency ?? 1 }, () => this.#loop());
  }

  get stats(): PollerStats {
    return { ...this.#counts };
  }

  /** Stops receiving and waits for the batches in flight (within about `waitTimeSeconds`). */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  async #loop(): Promise<void> {
    const options = this.#options;
    while (this.#running) {
      try {
        const { Messages } = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages === undefined || Messages.length === 0) continue;
        const report = await runBatch(options, Messages);
        this.#counts.batches++;
        this.#counts.received += report.received;
        this.#counts.succeeded += report.succeeded;
        this.#counts.failed += report.failed;
        this.emit('batch', report);
      } catch (error) {
        // The stand-ins went away (e.g. while stopping) or a delete failed: report, pause briefly, go on.
        if (!this.#running) return;
        if (this.listenerCount('error') > 0) this.emit('error', error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
}

export function startPoller(options: PollerOptions): Poller {
  return new Poller(options);
}

async function runBatch(options: PollerOptions, messages: readonly Message[]): Promise<BatchReport> {
  const region = options.region ?? 'us-east-1';
  const event: SQSEvent = {
    Records: messages.map((message) => toRecord(message, options.queueArn, region)),
  };
  let failedIds: ReadonlySet<string>;
  let error: unknown;
  let timedOut = false;
  try {
    const result = await withTimeout(
      options.handler(event, fakeContext(options, region)),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.functionName,
    );
    failedIds = failedMessageIds(result, event);
  } catch (thrown) {
    error = thrown;
    timedOut = thrown instanceof HandlerTimeoutError;
    failedIds = new Set(event.Records.map((record) => record.messageId));
  }
  const succeeded = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
  for (let start = 0; start < succeeded.length; start += 10) {
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: succeeded.slice(start, start + 10).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
  const failed = messages.filter((message) => failedIds.has(message.MessageId ?? ''));
  if (options.retryDelaySeconds !== undefined && !timedOut) {
    for (let start = 0; start < failed.length; start += 10) {
      await options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: failed.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: options.retryDelaySeconds,
          })),
        }),
      );
    }
  }
  return {
    received: messages.length,
    succeeded: succeeded.length,
    failed: messages.length - succeeded.length,
    ...(error === undefined ? {} : { error }),
  };
}

const DEFAULT_TIMEOUT_MS = 30_000;

class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

/**
 * Lambda stops a function at its timeout and the whole batch counts as failed. A promise cannot be stopped, so
 * here the handler runs on, but its batch is failed at the deadline all the same.
 */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HandlerTimeoutError(
            `${functionName} timed out after ${timeoutMs} ms (Lambda would stop it here)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lambda's reading of a partial batch response. */
function failedMessageIds(result: unknown, event: SQSEvent): ReadonlySet<string> {
  const all = new Set(event.Records.map((record) => record.messageId));
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result)) return new Set();
  const failures = (result as { batchItemFailures: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    // An empty, missing or unknown identifier fails the whole batch, as in Lambda.
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toRecordAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function toRecordAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const converted: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    converted[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return converted;
}

function fakeContext(options: PollerOptions, region: string): Context {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const name = options.functionName;
  const unsupported = () => {
    throw new Error('The local poller supports async handlers only (no done/succeed/fail).');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
