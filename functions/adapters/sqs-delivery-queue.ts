import { type BatchResultErrorEntry, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { forEachLimited } from '../core/concurrency.ts';
import { encodeDeliveryMessages } from '../core/deliveries/codec.ts';
import type { DeliveryQueue } from '../core/deliveries/ports.ts';
import type { StoryAlerts } from '../core/deliveries/types.ts';
import { describeError } from '../core/describe-error.ts';

/** SQS SendMessageBatch limits: 10 entries, and (to stay valid for the older limit too) 256 KiB in total. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

export interface SqsDeliveryQueueOptions {
  /** Attempts for entries that SQS refused in a batch (sender faults excepted). Default 3. */
  readonly attempts?: number;
  /** Pause before the first retry, doubled after each; default 100 ms. */
  readonly retryDelayMs?: number;
  /** Batches in flight at once (a story matching thousands of subscriptions makes tens). Default 16. */
  readonly concurrency?: number;
}

/** One message waiting to be sent, and how to tell its `send` call what became of it. */
interface Outgoing {
  readonly body: string;
  readonly done: (failure?: string) => void;
}

/**
 * Writes a story's alerts to the deliveries queue, up to 50 deliveries a message (core/deliveries/codec.ts) and
 * up to 10 messages a request. Calls made together (the stories of one batch, processed side by side) share
 * requests: their messages are sent on the next turn of the event loop, so ten stories of two messages each
 * cost two requests, not ten. Entries SQS refuses are retried (only those) a few times; if some of a call's
 * messages still fail, that call throws, and its story is retried by its own queue (the delivery ledger makes
 * the jobs that did get through harmless to send again). Other calls are not affected.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  private outgoing: Outgoing[] = [];
  private flushScheduled = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly options: SqsDeliveryQueueOptions = {},
  ) {}

  send(alerts: StoryAlerts): Promise<void> {
    const bodies = encodeDeliveryMessages(alerts);
    if (bodies.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let open = bodies.length;
      const failures: string[] = [];
      const done = (failure?: string) => {
        if (failure !== undefined) failures.push(failure);
        if (--open > 0) return;
        if (failures.length === 0) resolve();
        else {
          reject(
            new Error(
              `Could not queue ${failures.length} of ${bodies.length} delivery messages ` +
                `(${[...new Set(failures)].join('; ')}); the story will be retried.`,
            ),
          );
        }
      };
      for (const body of bodies) this.outgoing.push({ body, done });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    await forEachLimited(chunk(this.outgoing.splice(0)), this.options.concurrency ?? 16, (batch) =>
      this.sendBatch(batch),
    );
  }

  /** Sends one batch; tells each message's caller whether it went out. Never throws. */
  private async sendBatch(batch: readonly Outgoing[]): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    let delay = this.options.retryDelayMs ?? 100;
    let pending = batch.map((outgoing, index) => ({ Id: String(index), MessageBody: outgoing.body }));
    let failures: BatchResultErrorEntry[] = [];
    try {
      for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
        if (attempt > 1) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay *= 2;
        }
        const result = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        failures = result.Failed ?? [];
        const failedIds = new Set(failures.map((failure) => failure.Id));
        pending = pending.filter((entry) => failedIds.has(entry.Id));
        // A sender fault (e.g. a message too large) will fail the same way again.
        if (failures.some((failure) => failure.SenderFault === true)) break;
      }
    } catch (error) {
      const reason = describeError(error);
      for (const entry of pending) batch[Number(entry.Id)]?.done(reason);
      const failedIds = new Set(pending.map((entry) => entry.Id));
      batch.forEach((outgoing, index) => {
        if (!failedIds.has(String(index))) outgoing.done();
      });
      return;
    }
    const reasons = new Map(
      failures.map((failure) => [failure.Id, `${failure.Code}: ${failure.Message ?? ''}`]),
    );
    const failedIds = new Set(pending.map((entry) => entry.Id));
    batch.forEach((outgoing, index) => {
      const id = String(index);
      outgoing.done(failedIds.has(id) ? (reasons.get(id) ?? 'not accepted') : undefined);
    });
  }
}

/** Batches of at most MAX_ENTRIES messages and MAX_BATCH_BYTES bytes (one oversized message goes alone). */
function chunk(messages: readonly Outgoing[]): Outgoing[][] {
  const batches: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body, 'utf8');
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
