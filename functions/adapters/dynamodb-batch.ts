import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys a request, BatchWriteItem 25 writes. */
const GET_LIMIT = 100;
const WRITE_LIMIT = 25;
/** Rounds for the keys or writes DynamoDB leaves unprocessed (throttling), with a doubling pause. */
const ROUNDS = 6;
const FIRST_PAUSE_MS = 25;

type Item = Record<string, unknown>;
type Key = Readonly<Record<string, string>>;

export interface BatchGetOptions {
  readonly consistentRead?: boolean;
  /** ProjectionExpression, with its `#names`. */
  readonly projection?: string;
  readonly names?: Readonly<Record<string, string>>;
  /** The table's partition key attribute. Default `pk` (the ledger). */
  readonly keyAttribute?: string;
}

/**
 * The items with these partition keys (`pk` unless `keyAttribute`, distinct), in any order; missing ones are simply absent. Keys
 * DynamoDB leaves unprocessed are asked again with backoff; if some still are, this throws (retry later).
 */
export async function batchGet(
  documents: DynamoDBDocumentClient,
  table: string,
  pks: readonly string[],
  options: BatchGetOptions = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < pks.length; start += GET_LIMIT) {
    const attribute = options.keyAttribute ?? 'pk';
    let keys: Key[] = pks.slice(start, start + GET_LIMIT).map((pk) => ({ [attribute]: pk }));
    for (let round = 0; keys.length > 0; round++) {
      if (round === ROUNDS) throw unprocessed('read', keys.length, table);
      if (round > 0) await pause(round);
      const { Responses, UnprocessedKeys } = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: keys,
              ConsistentRead: options.consistentRead,
              ProjectionExpression: options.projection,
              ExpressionAttributeNames: options.names,
            },
          },
        }),
      );
      found.push(...(Responses?.[table] ?? []));
      keys = (UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  }
  return found;
}

/** Writes whole items (replacing any with the same key), 25 a request. */
export function batchPut(documents: DynamoDBDocumentClient, table: string, items: readonly Item[]) {
  return batchWrite(
    documents,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

/** Deletes items by their whole keys (partition and sort key), 25 a request. */
export function batchDelete(documents: DynamoDBDocumentClient, table: string, keys: readonly Item[]) {
  return batchWrite(
    documents,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

async function batchWrite(
  documents: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += WRITE_LIMIT) {
    let pending = requests.slice(start, start + WRITE_LIMIT);
    for (let round = 0; pending.length > 0; round++) {
      if (round === ROUNDS) throw unprocessed('write', pending.length, table);
      if (round > 0) await pause(round);
      const { UnprocessedItems } = await documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending } }),
      );
      pending = (UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}

function pause(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (round - 1)));
}

function unprocessed(what: 'read' | 'write', count: number, table: string): Error {
  return new Error(
    `DynamoDB left ${count} ${what}s on ${table} unprocessed after ${ROUNDS} tries (throttled); retry later.`,
  );
}
