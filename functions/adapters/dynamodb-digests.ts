import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryJob } from '../core/deliveries/types.ts';
import type {
  AlertCounters,
  CounterWindows,
  DigestWindow,
  PendingAlert,
  PendingDigests,
} from '../core/digests/ports.ts';
import { windowKey } from '../core/digests/ports.ts';
import type { HoldReason } from '../core/digests/routing.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { batchDelete, batchPut } from './dynamodb-batch.ts';

/**
 * Pending digests in the digests table (partition key `pk`, sort key `sk`, TTL `expiresAt`, index `byDue` on
 * `dueShard` + `dueAt`). A window is `{ pk: "window#<subscription>#<channel>#<dueAt>", sk: "window", dueShard,
 * dueAt: "<dueAt>#<subscription>#<channel>#<dueAt>", subscriptionId, channel, destination }`; each held alert is an item of the same partition,
 * `{ sk: "alert#<storyId>", reason, heldAt, job }` (the job as JSON). Keys depend only on what is held, so
 * storing a redelivered alert again overwrites it. Windows spread over DUE_SHARDS index partitions; `dueAt` starts
 * with zero-padded epoch milliseconds, so that it sorts as text.
 */
export const DUE_SHARDS = 4;
/** Pending items outlive a missed schedule by this long before TTL removes them. */
const PENDING_TTL_SECONDS = 14 * 24 * 3600;
export const DUE_INDEX = 'byDue';

export class DynamoDbPendingDigests implements PendingDigests {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hold(alerts: readonly PendingAlert[]): Promise<void> {
    const windows = new Map<string, DigestWindow>();
    for (const alert of alerts) windows.set(windowKey(alert.window), alert.window);
    await batchPut(this.documents, this.tableName, [
      ...alerts.map((alert) => ({
        pk: windowPk(alert.window),
        sk: `alert#${alert.job.story.id}`,
        reason: alert.reason,
        heldAt: alert.heldAt,
        job: JSON.stringify(alert.job),
        expiresAt: expiresAt(alert.window.dueAt),
      })),
      // Windows after their alerts: a scheduler that finds a window finds its alerts.
      ...[...windows.values()].map(windowItem),
    ]);
  }

  async open(windows: readonly DigestWindow[]): Promise<void> {
    const distinct = new Map(windows.map((window) => [windowKey(window), window]));
    await batchPut(this.documents, this.tableName, [...distinct.values()].map(windowItem));
  }

  /**
   * Walks each index partition forward from the last window read (`ExclusiveStartKey`), so that every window
   * due when the walk starts comes once, whether the windows already read are removed, stay (a failed send,
   * another scheduler's claim) or still show in the eventually consistent index. A partition is done when a
   * query past its last window finds none: a window held meanwhile behind it (a follow-up 1 ms later) comes too.
   */
  async *dueWindows(dueBy: number, pageSize: number): AsyncGenerator<DigestWindow[]> {
    const perShard = Math.max(1, Math.ceil(pageSize / DUE_SHARDS));
    let shards = Array.from({ length: DUE_SHARDS }, (_, shard) => ({
      shard,
      start: undefined as Record<string, unknown> | undefined,
    }));
    while (shards.length > 0) {
      const pages = await Promise.all(
        shards.map(async ({ shard, start }) => {
          const { Items = [], LastEvaluatedKey } = await this.documents.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: DUE_INDEX,
              // Due at or before dueBy: below the next millisecond, whatever follows the time in the sort key.
              KeyConditionExpression: 'dueShard = :shard AND dueAt < :after',
              ExpressionAttributeValues: { ':shard': `due#${shard}`, ':after': dueText(dueBy + 1) },
              Limit: perShard,
              ExclusiveStartKey: start,
            }),
          );
          const last = Items.at(-1);
          const next =
            LastEvaluatedKey ??
            (last === undefined
              ? undefined
              : { pk: last.pk, sk: last.sk, dueShard: last.dueShard, dueAt: last.dueAt });
          return { shard, items: Items, next };
        }),
      );
      shards = pages.flatMap(({ shard, items, next }) =>
        items.length === 0 || next === undefined ? [] : [{ shard, start: next }],
      );
      const windows = pages.flatMap(({ items }) => items.flatMap((item) => toWindow(item) ?? []));
      if (windows.length > 0) yield windows.sort((a, b) => a.dueAt - b.dueAt);
    }
  }

  async alertsOf(window: DigestWindow): Promise<PendingAlert[]> {
    const alerts: PendingAlert[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :alert)',
          ExpressionAttributeValues: { ':pk': windowPk(window), ':alert': 'alert#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of Items) {
        const alert = toPendingAlert(window, item);
        if (alert !== undefined) alerts.push(alert);
      }
      start = LastEvaluatedKey;
    } while (start !== undefined);
    return alerts;
  }

  async remove(window: DigestWindow, alerts: readonly PendingAlert[]): Promise<void> {
    const pk = windowPk(window);
    // The window first: once it is gone no scheduler finds it; alerts left by a failure expire by TTL.
    await batchDelete(this.documents, this.tableName, [
      { pk, sk: 'window' },
      ...alerts.map((alert) => ({ pk, sk: `alert#${alert.job.story.id}` })),
    ]);
  }
}

function windowItem(window: DigestWindow): Record<string, unknown> {
  return {
    pk: windowPk(window),
    sk: 'window',
    dueShard: dueShard(window),
    dueAt: dueSortKey(window),
    subscriptionId: window.subscriptionId,
    channel: window.channel,
    destination: window.destination,
    expiresAt: expiresAt(window.dueAt),
  };
}

function expiresAt(dueAt: number): number {
  return Math.floor(dueAt / 1000) + PENDING_TTL_SECONDS;
}

function windowPk(window: DigestWindow): string {
  return `window#${windowKey(window)}`;
}

/**
 * The index sort key: the due time, then the window's key, so that no two windows share an index key. (The
 * local stand-in, dynalite, tells index entries with equal keys apart by 24 bits of a hash of the table key:
 * among thousands of windows due at the same time two collide, and one vanishes from the index.)
 */
function dueSortKey(window: DigestWindow): string {
  return `${dueText(window.dueAt)}#${windowKey(window)}`;
}

function toWindow(item: Record<string, unknown>): DigestWindow | undefined {
  const { subscriptionId, channel, destination, dueAt } = item;
  if (
    typeof subscriptionId !== 'string' ||
    (channel !== 'email' && channel !== 'sms') ||
    typeof destination !== 'string' ||
    typeof dueAt !== 'string'
  ) {
    return undefined;
  }
  // Zero-padded epoch milliseconds first (items written before the window key was appended hold only those).
  return { subscriptionId, channel, destination, dueAt: Number(dueAt.slice(0, 13)) };
}

function dueText(epochMs: number): string {
  return String(Math.max(0, Math.min(Math.floor(epochMs), 9_999_999_999_999))).padStart(13, '0');
}

/** A stable spread of windows over the index partitions (FNV-1a of the subscription id). */
function dueShard(window: DigestWindow): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < window.subscriptionId.length; i++) {
    hash = Math.imul(hash ^ window.subscriptionId.charCodeAt(i), 0x01000193);
  }
  return `due#${(hash >>> 0) % DUE_SHARDS}`;
}

const REASONS: readonly string[] = ['digest', 'quiet-hours', 'throttled', 'daily-cap'];

function toPendingAlert(window: DigestWindow, item: Record<string, unknown>): PendingAlert | undefined {
  const { reason, heldAt, job } = item;
  if (typeof reason !== 'string' || !REASONS.includes(reason) || typeof heldAt !== 'number') return undefined;
  if (typeof job !== 'string') return undefined;
  try {
    return { window, reason: reason as HoldReason, heldAt, job: JSON.parse(job) as DeliveryJob };
  } catch {
    return undefined;
  }
}

/**
 * Throttle counters in the ledger table: `{ pk: "throttle#<subscription>#h#<hour>" | "...#d#<local day>",
 * stories: string set, expiresAt }`. A story is added once (a set), and only while the set is under its limit,
 * so that a redelivered alert is not counted twice and an item never grows past the limit.
 */
export class DynamoDbAlertCounters implements AlertCounters {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async count(
    subscriptionId: string,
    storyId: string,
    windows: CounterWindows,
    limits: { readonly hour: number; readonly day?: number | undefined },
  ): Promise<{ readonly hour: number; readonly day: number }> {
    const day =
      limits.day === undefined
        ? 0
        : await this.add(`throttle#${subscriptionId}#d#${windows.day}`, storyId, limits.day);
    // Past the cap, the hour is not counted: those alerts wait for the daily digest anyway.
    if (limits.day !== undefined && day > limits.day) return { hour: 0, day };
    const hour = await this.add(`throttle#${subscriptionId}#h#${windows.hour}`, storyId, limits.hour);
    return { hour, day };
  }

  private async add(pk: string, storyId: string, limit: number): Promise<number> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk },
          UpdateExpression: 'ADD stories :story SET expiresAt = :expiresAt',
          ConditionExpression:
            'attribute_not_exists(stories) OR size(stories) < :limit OR contains(stories, :id)',
          ExpressionAttributeValues: {
            ':story': new Set([storyId]),
            ':id': storyId,
            ':limit': limit,
            ':expiresAt': this.nowSeconds() + 3 * 24 * 3600,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const stories = Attributes?.stories;
      return stories instanceof Set ? stories.size : 1;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return limit + 1;
      throw error;
    }
  }
}
