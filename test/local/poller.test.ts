import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Poller, type SqsLambdaHandler, startPoller } from '../../local/poller.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

interface TestQueue {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

describe('SQS poller (Lambda event source mapping)', () => {
  let standins: Standins;
  let sqs: SQSClient;
  let counter = 0;
  const pollers: Poller[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    standins = await startStandins();
    sqs = new SQSClient({
      region: standins.region,
      credentials: standins.credentials,
      endpoint: standins.endpoints.sqs,
    });
  });
  afterAll(async () => {
    await Promise.all(pollers.map((poller) => poller.stop()));
    // Receives and deletes never failed while the stand-ins were up.
    expect(errors).toEqual([]);
    sqs?.destroy();
    await standins?.stop();
  });

  /** A queue whose failures come back after 1 s and move to its DLQ after `maxReceiveCount` receives. */
  async function aQueue(maxReceiveCount = 2, visibilityTimeout = 1): Promise<TestQueue> {
    const name = `poller-${++counter}`;
    const { QueueUrl: dlqUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqArn = await arnOf(dlqUrl);
    const { QueueUrl: url = '' } = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(visibilityTimeout),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
        },
      }),
    );
    return { url, arn: await arnOf(url), dlqUrl };
  }

  async function arnOf(url: string): Promise<string> {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    return Attributes?.QueueArn ?? '';
  }

  function poll(
    queue: TestQueue,
    handler: SqsLambdaHandler,
    timeoutMs?: number,
    retryDelaySeconds?: number,
  ): Poller {
    const poller = startPoller({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      handler,
      functionName: 'test-fn',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(retryDelaySeconds === undefined ? {} : { retryDelaySeconds }),
    });
    poller.on('error', (error) => errors.push(error));
    pollers.push(poller);
    return poller;
  }

  async function send(queue: TestQueue, bodies: readonly string[]): Promise<void> {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  }

  async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function deadLetters(queue: TestQueue): Promise<string[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return Messages.map((message) => message.Body ?? '').sort();
  }

  /** Receives from the DLQ until `count` messages arrived (redrive happens on the source queue's next receive). */
  async function deadLettersEventually(queue: TestQueue, count: number): Promise<string[]> {
    const found: string[] = [];
    const deadline = Date.now() + 8000;
    while (found.length < count && Date.now() < deadline) found.push(...(await deadLetters(queue)));
    return found.sort();
  }

  it('builds a real SQSEvent and context: batches of up to 10, receive count, ARN, message attributes', async () => {
    const queue = await aQueue();
    const events: SQSEvent[] = [];
    let functionName = '';
    const poller = poll(queue, async (event, context) => {
      events.push(event);
      functionName = context.functionName;
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      return { batchItemFailures: [] };
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'with attributes',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    await until(() => poller.stats.succeeded === 1);
    const record = events[0]?.Records[0] as SQSRecord;
    expect(record).toMatchObject({
      body: 'with attributes',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'test' } },
    });
    expect(functionName).toBe('test-fn');

    await send(
      queue,
      Array.from({ length: 10 }, (_, index) => `m${index}`),
    );
    await until(() => poller.stats.succeeded === 11);
    expect(Math.max(...events.map((event) => event.Records.length))).toBeLessThanOrEqual(10);
  });

  it('deletes successes, retries only the reported failures, and redrives them to the DLQ', async () => {
    const queue = await aQueue(2);
    const seen = new Map<string, number[]>();
    const poller = poll(queue, async (event) => {
      for (const record of event.Records) {
        const counts = seen.get(record.body) ?? [];
        counts.push(Number(record.attributes.ApproximateReceiveCount));
        seen.set(record.body, counts);
      }
      return {
        batchItemFailures: event.Records.filter((record) => record.body.startsWith('bad')).map((record) => ({
          itemIdentifier: record.messageId,
        })),
      };
    });
    await send(queue, ['good-1', 'bad-1', 'good-2']);
    // bad-1 is received twice (receive counts 1 and 2), then moved on its third receive.
    await until(() => (seen.get('bad-1')?.length ?? 0) === 2);
    expect(await deadLetters(queue)).toEqual(['bad-1']);
    expect(seen.get('good-1')).toEqual([1]);
    expect(seen.get('good-2')).toEqual([1]);
    expect(seen.get('bad-1')).toEqual([1, 2]);
    expect(poller.stats.failed).toBe(2);
  });

  it('fails the whole batch when the handler throws', async () => {
    const queue = await aQueue(1);
    const batches: string[][] = [];
    const poller = poll(queue, async (event) => {
      batches.push(event.Records.map((record) => record.body).sort());
      if (event.Records.some((record) => record.body === 'poison')) throw new Error('handler crashed');
      return undefined;
    });
    await send(queue, ['poison', 'innocent']);
    await until(() => poller.stats.failed === 2);
    expect(batches[0]).toEqual(['innocent', 'poison']);
    expect(poller.stats.succeeded).toBe(0);
    expect(await deadLettersEventually(queue, 2)).toEqual(['innocent', 'poison']);
  });

  it('treats a failure entry naming no message of the batch as a whole-batch failure, as Lambda does', async () => {
    const queue = await aQueue(1);
    const poller = poll(queue, async () => ({ batchItemFailures: [{ itemIdentifier: '' }] }));
    await send(queue, ['x']);
    await until(() => poller.stats.failed === 1);
    expect(poller.stats.succeeded).toBe(0);
    expect(await deadLettersEventually(queue, 1)).toEqual(['x']);
  });

  it('fails the batch of a handler that outlives its timeout, as Lambda does', async () => {
    const queue = await aQueue(5);
    const receives: number[] = [];
    const poller = poll(
      queue,
      async (event) => {
        const count = Number(event.Records[0]?.attributes.ApproximateReceiveCount);
        receives.push(count);
        if (count === 1) await new Promise((resolve) => setTimeout(resolve, 400));
        return {};
      },
      200,
    );
    await send(queue, ['slow once']);
    await until(() => poller.stats.succeeded === 1);
    expect(receives).toEqual([1, 2]);
    expect(poller.stats.failed).toBe(1);
  });

  it('stops within about the long-poll wait, finishing the batch in flight', async () => {
    const queue = await aQueue();
    let finished = 0;
    const started: string[] = [];
    const poller = poll(queue, async (event) => {
      started.push(...event.Records.map((record) => record.body));
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished += event.Records.length;
      return {};
    });
    await send(queue, ['slow']);
    await until(() => started.length === 1);
    const stopping = Date.now();
    await poller.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(finished).toBe(1);
    expect(poller.stats.succeeded).toBe(1);
  });
  it('retries a reported failure after the retry delay, within a visibility timeout as long as the function timeout', async () => {
    // Visibility 30 s guards the running handler; the failure it reported comes back after 0 s, not 30.
    const queue = await aQueue(5, 30);
    const seen: string[] = [];
    const poller = poll(
      queue,
      async (event: SQSEvent) => {
        seen.push(...event.Records.map((record) => record.body));
        return {
          batchItemFailures: seen.length === 1 ? [{ itemIdentifier: event.Records[0]?.messageId }] : [],
        };
      },
      30_000,
      0,
    );
    await send(queue, ['flaky']);
    await until(() => seen.length >= 2, 15_000);
    expect(seen).toEqual(['flaky', 'flaky']);
    await poller.stop();
  });

  it('leaves a batch that timed out invisible for the whole visibility timeout: no overlap with the handler', async () => {
    const queue = await aQueue(5, 30);
    const seen: string[] = [];
    let release: () => void = () => {};
    const poller = poll(
      queue,
      async (event: SQSEvent) => {
        seen.push(...event.Records.map((record) => record.body));
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { batchItemFailures: [] };
      },
      200,
      0,
    );
    await send(queue, ['slow']);
    await until(() => seen.length === 1);
    // Well past the timeout and the retry delay: the message must not have been handed out again.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(seen).toEqual(['slow']);
    release();
    await poller.stop();
  });
});
