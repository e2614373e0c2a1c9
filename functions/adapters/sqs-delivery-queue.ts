import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeliveryJob } from '../core/alerts/delivery.ts';
import type { DeliveryQueue } from '../core/pipeline/ports.ts';

/** SQS SendMessageBatch limits: 10 entries, and (to stay valid for the older limit too) 256 KiB in total. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

export interface SqsDeliveryQueueOptions {
  /** Attempts for entries that SQS refused in a batch (sender faults excepted). Default 3. */
  readonly attempts?: number;
  /** Pause before the first retry, doubled after each; default 100 ms. */
  readonly retryDelayMs?: number;
  /** Batches in flight at once (a story matching thousands of subscriptions makes hundreds). Default 16. */
  readonly concurrency?: number;
}

/**
 * Writes delivery jobs to the deliveries queue in batches of up to 10. Entries SQS refuses are retried (only
 * those) a few times; if some still fail, `send` throws, and the story is retried by its own queue (the
 * delivery ledger makes the jobs that did get through harmless to send again).
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly options: SqsDeliveryQueueOptions = {},
  ) {}

  async send(jobs: readonly DeliveryJob[]): Promise<void> {
    const entries = jobs.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) }));
    const batches = chunk(entries);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) await this.sendBatch(batches[next++]!);
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency ?? 16, batches.length) }, worker),
    );
  }

  private async sendBatch(batch: SendMessageBatchRequestEntry[]): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    let delay = this.options.retryDelayMs ?? 100;
    let pending = batch;
    let failures: BatchResultErrorEntry[] = [];
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
    if (pending.length > 0) {
      const reasons = [...new Set(failures.map((failure) => `${failure.Code}: ${failure.Message ?? ''}`))];
      throw new Error(
        `Could not queue ${pending.length} of ${batch.length} delivery jobs (${reasons.join('; ')}); ` +
          'the story will be retried.',
      );
    }
  }
}

/** Batches of at most MAX_ENTRIES entries and MAX_BATCH_BYTES bytes (one oversized entry goes alone). */
function chunk(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '', 'utf8');
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
