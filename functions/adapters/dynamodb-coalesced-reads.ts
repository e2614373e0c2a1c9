import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './dynamodb-batch.ts';

type Item = Record<string, unknown>;

interface Waiting {
  readonly pks: readonly string[];
  readonly resolve: (items: ReadonlyMap<string, Item>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Strongly consistent reads of one table by partition key (`pk`), coalesced: the reads asked for in one turn of
 * the event loop go out together in one `BatchGetItem` (per 100 keys), each caller getting its own items. The
 * notifier asks for a message's near-duplicate group, band owners, settled claims, kill tombstone and
 * suppressed destinations at once, so they cost one request rather than four or five; the items are whole
 * (no projection), all small.
 */
export class CoalescedReads {
  private waiting: Waiting[] = [];

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The items of these keys that exist, by key. */
  read(pks: readonly string[]): Promise<ReadonlyMap<string, Item>> {
    if (pks.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      // Flushed on the next turn (not a microtask), so that reads started after an await in the same turn's
      // promise chains still join.
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ pks, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    try {
      const pks = [...new Set(waiting.flatMap((entry) => entry.pks))];
      const byKey = new Map<string, Item>();
      for (const item of await batchGet(this.documents, this.tableName, pks, { consistentRead: true })) {
        if (typeof item.pk === 'string') byKey.set(item.pk, item);
      }
      for (const entry of waiting) {
        const mine = new Map<string, Item>();
        for (const pk of entry.pks) {
          const item = byKey.get(pk);
          if (item !== undefined) mine.set(pk, item);
        }
        entry.resolve(mine);
      }
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
    }
  }
}

const readers = new WeakMap<DynamoDBDocumentClient, Map<string, CoalescedReads>>();

/**
 * The one coalescing reader of this client and table, shared by every adapter made on them (claims,
 * suppressions, delivery memory), so that their concurrent reads share requests.
 */
export function coalescedReads(documents: DynamoDBDocumentClient, tableName: string): CoalescedReads {
  let byTable = readers.get(documents);
  if (byTable === undefined) {
    byTable = new Map();
    readers.set(documents, byTable);
  }
  let reader = byTable.get(tableName);
  if (reader === undefined) {
    reader = new CoalescedReads(documents, tableName);
    byTable.set(tableName, reader);
  }
  return reader;
}
