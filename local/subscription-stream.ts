/**
 * The subscriptions table's stream, locally. dynalite has no DynamoDB Streams, so the local stack watches the
 * writes dynalite answers (a tap on its HTTP server: every writer is seen, the API, the CLI, `aws dynamodb`,
 * the seed) and feeds their keys, as a keys-only stream would, to the real change-log writer handler: one
 * invocation per batch, in order, the next batch only once the last one succeeded (a failed batch is retried
 * from its first record, as Lambda's event source does). A tap rather than hooks in the API's clients, so that
 * no writer is missed; rather than polling the table, so that nothing is scanned between compactions.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { TABLES } from '../definitions/resources.ts';

type AttributeMap = Readonly<Record<string, { readonly S?: string } | undefined>>;
type Request = Readonly<Record<string, unknown>>;

/** A keys-only stream record of a change to one subscription, as Lambda delivers it. */
export function keysOnlyStreamRecord(
  id: string,
  sequenceNumber: string,
  eventName: DynamoDBRecord['eventName'] = 'MODIFY',
): DynamoDBRecord {
  return {
    eventID: `local-${sequenceNumber}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLES.subscriptions.name}/stream/local`,
    dynamodb: {
      Keys: { [TABLES.subscriptions.partitionKey]: { S: id } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 64,
      StreamViewType: 'KEYS_ONLY',
    },
  };
}

/** The subscription ids a successful DynamoDB write request names (Put, Update, Delete, batch, transaction). */
export function subscriptionsWritten(target: string, request: Request): string[] {
  const table = TABLES.subscriptions.name;
  const key = TABLES.subscriptions.partitionKey;
  const idOf = (item: unknown) => (item as AttributeMap | undefined)?.[key]?.S;
  const ids: (string | undefined)[] = [];
  const operation = target.slice(target.indexOf('.') + 1);
  if (['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation)) {
    if (request.TableName === table) ids.push(idOf(request.Item ?? request.Key));
  } else if (operation === 'BatchWriteItem') {
    const writes = (request.RequestItems as Record<string, unknown[]> | undefined)?.[table] ?? [];
    for (const write of writes as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }[]) {
      ids.push(idOf(write.PutRequest?.Item ?? write.DeleteRequest?.Key));
    }
  } else if (operation === 'TransactWriteItems') {
    for (const item of (request.TransactItems as Record<string, Request | undefined>[] | undefined) ?? []) {
      for (const action of [item.Put, item.Update, item.Delete]) {
        if (action?.TableName === table) ids.push(idOf(action.Item ?? action.Key));
      }
    }
  }
  return ids.filter((id): id is string => id !== undefined);
}

/** The table's name as a JSON string: every request that writes to it contains these bytes. */
const tableNameInJson = JSON.stringify(TABLES.subscriptions.name);

/**
 * Calls `onWrite` with the subscription ids of every write dynalite answers with success. Its request
 * listener runs first, so this sees the same body; a conditional write that failed (400) names nothing.
 */
export function tapSubscriptionWrites(server: Server, onWrite: (ids: string[]) => void): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (!/\.(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/.test(target)) return;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('finish', () => {
      if (response.statusCode !== 200) return;
      const body = Buffer.concat(chunks);
      // Most writes are the ledger's and the digests': only a body naming the table is worth parsing.
      if (!body.includes(tableNameInJson)) return;
      try {
        const ids = subscriptionsWritten(target, JSON.parse(body.toString('utf8')) as Request);
        if (ids.length > 0) onWrite(ids);
      } catch {
        // Not JSON: dynalite refused it too.
      }
    });
  });
}

export type StreamHandler = (event: DynamoDBStreamEvent, context: unknown) => Promise<DynamoDBBatchResponse>;

export interface StreamFeeder {
  /** Queues changed ids (the tap's callback). */
  push(ids: readonly string[]): void;
  /** Starts invoking the handler (buffered ids go first); no timer runs before. */
  start(handler: StreamHandler): void;
  /** Resolves once every id pushed so far has been written by the handler. */
  flushed(): Promise<void>;
  stop(): Promise<void>;
}

/** Batches of at most `batchSize` records, one invocation at a time, every `windowMs` while there are any. */
export function streamFeeder(options: {
  readonly windowMs: number;
  readonly batchSize: number;
  readonly onError: (message: string) => void;
}): StreamFeeder {
  const pending: DynamoDBRecord[] = [];
  let sequence = 0;
  let handler: StreamHandler | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const waiters: { upTo: number; resolve: () => void }[] = [];
  let written = 0;

  const settle = () => {
    for (const waiter of waiters.splice(0)) {
      if (waiter.upTo <= written) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  const invoke = async (): Promise<void> => {
    while (handler !== undefined && pending.length > 0 && !stopped) {
      const batch = pending.slice(0, options.batchSize);
      const response = await handler({ Records: batch }, {}).catch((error: unknown) => ({
        batchItemFailures: [{ itemIdentifier: batch[0]?.dynamodb?.SequenceNumber ?? '' }],
        error,
      }));
      const failed = response.batchItemFailures[0]?.itemIdentifier;
      const failedAt = batch.findIndex((record) => record.dynamodb?.SequenceNumber === failed);
      const done = failed === undefined || failedAt < 0 ? batch.length : failedAt;
      pending.splice(0, done);
      written += done;
      settle();
      if (done < batch.length) {
        options.onError(`change-log writer failed a batch of ${batch.length}; retrying`);
        break; // the next tick retries from the failed record, in order
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;

  return {
    push(ids) {
      for (const id of ids) pending.push(keysOnlyStreamRecord(id, String(++sequence).padStart(21, '0')));
    },
    start(started) {
      handler = started;
      timer ??= setInterval(() => {
        running = running.then(invoke);
      }, options.windowMs);
    },
    flushed() {
      const upTo = sequence;
      return upTo <= written ? Promise.resolve() : new Promise((resolve) => waiters.push({ upTo, resolve }));
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const waiter of waiters.splice(0)) waiter.resolve();
    },
  };
}
