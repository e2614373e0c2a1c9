/**
 * The subscriptions snapshot as a document: how subscriptions and query plans are laid out in its JSON, and
 * how each layout is read. s3-snapshot-store.ts moves the bytes; this file only encodes and decodes them.
 *
 * Layout 4 (written): layout 3 and a `delivery` column in `subscriptions`: (DeliveryInput | null)[], null for the
 * defaults (preferences.ts), so that the notifier learns each subscription's delivery preferences.
 * Layout 3 (still read): columns, one entry per subscription in id order, and each distinct query once.
 *   { format, version: 3,
 *     queries: string[],
 *     plans?: { engine, stems: string[], groups: (number[] | null)[] },  // QueryPlans; groups[q]: queries[q]
 *     subscriptions: { id, owner, name, status, createdAt: string[],
 *                      updatedAt: (string | null)[],              // null: same as createdAt
 *                      query: number[],                           // position in queries
 *                      channels: number[],                        // how many of `channels` are its own
 *                      updates?: (string | null)[] },             // update policy; null: first (optional)
 *     channels: { type: string[], destination: string[],         // address, phone, '' for sns
 *                 confirmed: (0 | 1)[] } }                        // every subscription's, in order
 * A matcher's cold start parses and keeps all of it: without a key name per field of each subscription, with
 * queries (and their plans' stems) once and with no small array per subscription or per plan group, 10,000
 * subscriptions are about half the JSON of layout 2 and a fraction of its objects, and the subscriptions of
 * one query share one string (which the index then hashes once).
 * Layouts 1 and 2 (still read): `subscriptions` is a list of table items (subscription-item.ts); layout 2
 * adds `plans: { engine, anchors: [query, AnchorGroups][] }`.
 */
import { type AnchorGroups, packPlans, type QueryPlans } from '../core/matching/plans.ts';
import { deliveryInput, readStoredDelivery } from '../core/subscriptions/preferences.ts';
import type { Channel, Subscription } from '../core/subscriptions/subscription.ts';
import { fromItem, updatePolicyOf } from './subscription-item.ts';

/** `format` marks the file as ours; `version` of its layout lets a later matcher read an older snapshot. */
export const SNAPSHOT_FORMAT = 'wirewatch-subscriptions';
export const SNAPSHOT_LAYOUT_VERSION = 4;
const READABLE_LAYOUT_VERSIONS: readonly unknown[] = [1, 2, 3, 4];

export interface DecodedSnapshot {
  readonly subscriptions: Subscription[];
  /** Entries that were not valid subscriptions and were skipped. */
  readonly skipped: number;
  /** Passed on unchecked beyond its outline: compileSubscriptions checks plans in full and ignores bad ones. */
  readonly plans?: QueryPlans;
}

/** The layout-3 document of `subscriptions` (already in the order to write) and the plans of their queries. */
export function encodeSnapshot(subscriptions: readonly Subscription[], plans?: QueryPlans): string {
  const queries: string[] = [];
  const queryIndex = new Map<string, number>();
  const query = subscriptions.map((subscription) => {
    let index = queryIndex.get(subscription.query);
    if (index === undefined) {
      index = queries.length;
      queries.push(subscription.query);
      queryIndex.set(subscription.query, index);
    }
    return index;
  });
  const channels = subscriptions.flatMap((subscription) => subscription.channels);
  return JSON.stringify({
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_LAYOUT_VERSION,
    queries,
    plans: plans === undefined ? undefined : alignPlans(plans, queries),
    subscriptions: {
      id: subscriptions.map((subscription) => subscription.id),
      owner: subscriptions.map((subscription) => subscription.owner),
      name: subscriptions.map((subscription) => subscription.name),
      query,
      status: subscriptions.map((subscription) => subscription.status),
      channels: subscriptions.map((subscription) => subscription.channels.length),
      createdAt: subscriptions.map((subscription) => subscription.createdAt),
      // null: the same as createdAt (a subscription never edited), one string fewer to parse and keep.
      updatedAt: subscriptions.map((subscription) =>
        subscription.updatedAt === subscription.createdAt ? null : subscription.updatedAt,
      ),
      // Optional: a snapshot without it (written before update policies) reads as every policy `first`.
      updates: subscriptions.map((subscription) =>
        subscription.updates === undefined || subscription.updates === 'first' ? null : subscription.updates,
      ),
      delivery: subscriptions.map((subscription) =>
        subscription.delivery === undefined ? null : deliveryInput(subscription.delivery),
      ),
    },
    channels: {
      type: channels.map((channel) => channel.type),
      destination: channels.map((channel) =>
        channel.type === 'email' ? channel.address : channel.type === 'sms' ? channel.phone : '',
      ),
      confirmed: channels.map((channel) => (channel.confirmed ? 1 : 0)),
    },
  });
}

/**
 * The plans with one entry per snapshot query, in its order (the stems list is kept as it is), without a
 * queries list of their own: a reader takes the snapshot's.
 */
function alignPlans(plans: QueryPlans, queries: readonly string[]): Omit<QueryPlans, 'queries'> {
  const planned = new Map<string, readonly number[] | null>();
  plans.queries.forEach((text, q) => {
    planned.set(text, plans.groups[q] ?? null);
  });
  return {
    engine: plans.engine,
    stems: plans.stems,
    groups: queries.map((text) => planned.get(text) ?? null),
  };
}

/** Reads a snapshot document of any readable layout; `key` names it in errors. */
export function decodeSnapshot(text: string, key: string): DecodedSnapshot {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`Subscriptions snapshot ${key} is not valid JSON: rebuild it with the snapshot builder.`);
  }
  const record = (typeof document === 'object' && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  if (record.format !== SNAPSHOT_FORMAT || !READABLE_LAYOUT_VERSIONS.includes(record.version)) {
    throw new Error(
      `Subscriptions snapshot ${key} is not a ${SNAPSHOT_FORMAT} document of version ${READABLE_LAYOUT_VERSIONS.join(', ')}: ` +
        'rebuild it with the snapshot builder of this release.',
    );
  }
  return record.version === 3 || record.version === 4 ? decodeColumns(record, key) : decodeItems(record, key);
}

function decodeItems(record: Record<string, unknown>, key: string): DecodedSnapshot {
  if (!Array.isArray(record.subscriptions)) {
    throw new Error(
      `Subscriptions snapshot ${key} has no subscriptions list: rebuild it with the snapshot builder.`,
    );
  }
  const subscriptions: Subscription[] = [];
  let skipped = 0;
  for (const item of record.subscriptions) {
    const subscription =
      typeof item === 'object' && item !== null ? fromItem(item as Record<string, unknown>) : undefined;
    if (subscription === undefined) skipped++;
    else subscriptions.push(subscription);
  }
  return { subscriptions, skipped, plans: layout2Plans(record.plans) };
}

/** Layout 2's `{ engine, anchors: [query, groups][] }`, packed; undefined (compile from queries) if malformed. */
function layout2Plans(plans: unknown): QueryPlans | undefined {
  if (typeof plans !== 'object' || plans === null) return undefined;
  const { engine, anchors } = plans as { engine?: unknown; anchors?: unknown };
  if (typeof engine !== 'string' || !Array.isArray(anchors)) return undefined;
  const entries: [string, AnchorGroups][] = [];
  for (const entry of anchors) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) return undefined;
    const groups = entry[1] as unknown[];
    if (!groups.every((group) => Array.isArray(group) && group.every((stem) => typeof stem === 'string'))) {
      return undefined;
    }
    entries.push([entry[0], groups as AnchorGroups]);
  }
  return packPlans(engine, entries);
}

const COLUMNS = ['id', 'owner', 'name', 'query', 'status', 'channels', 'createdAt', 'updatedAt'] as const;
const CHANNEL_COLUMNS = ['type', 'destination', 'confirmed'] as const;

function decodeColumns(record: Record<string, unknown>, key: string): DecodedSnapshot {
  const corrupt = (what: string) =>
    new Error(
      `Subscriptions snapshot ${key} (layout ${record.version}) ${what}: it is corrupt; rebuild it with the snapshot builder.`,
    );
  const { queries, subscriptions: table, channels: channelTable } = record;
  if (!Array.isArray(queries)) throw corrupt('has no queries list');
  if (typeof table !== 'object' || table === null) throw corrupt('has no subscriptions table');
  if (typeof channelTable !== 'object' || channelTable === null) throw corrupt('has no channels table');
  const columns = table as Record<string, unknown>;
  const ids = columns.id;
  if (!Array.isArray(ids)) throw corrupt('has no id column');
  for (const name of COLUMNS) {
    const column = columns[name];
    if (!Array.isArray(column) || column.length !== ids.length) {
      throw corrupt(`has no ${name} column of ${ids.length} entries, one per subscription`);
    }
  }
  const channelColumns = channelTable as Record<string, unknown>;
  const types = channelColumns.type;
  if (!Array.isArray(types)) throw corrupt('has no channel type column');
  for (const name of CHANNEL_COLUMNS) {
    const column = channelColumns[name];
    if (!Array.isArray(column) || column.length !== types.length) {
      throw corrupt(`has no channel ${name} column of ${types.length} entries, one per channel`);
    }
  }
  const { owner, name, query, status, channels, createdAt, updatedAt } = columns as Record<
    (typeof COLUMNS)[number],
    unknown[]
  >;
  const deliveryColumn = columns.delivery;
  if (record.version === 4 && (!Array.isArray(deliveryColumn) || deliveryColumn.length !== ids.length)) {
    throw corrupt(`has no delivery column of ${ids.length} entries, one per subscription`);
  }
  const { destination, confirmed } = channelColumns as Record<(typeof CHANNEL_COLUMNS)[number], unknown[]>;
  const updates =
    Array.isArray(columns.updates) && columns.updates.length === ids.length ? columns.updates : [];
  const subscriptions: Subscription[] = [];
  let skipped = 0;
  let nextChannel = 0;
  for (let row = 0; row < ids.length; row++) {
    const count = channels[row];
    if (!Number.isInteger(count) || (count as number) < 0 || nextChannel + (count as number) > types.length) {
      throw corrupt(`has channel counts that do not add up to its ${types.length} channels`);
    }
    const first = nextChannel;
    nextChannel += count as number;
    const id = ids[row];
    const ownerOf = owner[row];
    const nameOf = name[row];
    const queryOf = query[row];
    const text = typeof queryOf === 'number' ? queries[queryOf] : undefined;
    const statusOf = status[row];
    const created = createdAt[row];
    const updated = updatedAt[row] ?? created;
    if (
      typeof id !== 'string' ||
      typeof ownerOf !== 'string' ||
      typeof nameOf !== 'string' ||
      typeof text !== 'string' ||
      (statusOf !== 'active' && statusOf !== 'paused') ||
      typeof created !== 'string' ||
      typeof updated !== 'string'
    ) {
      skipped++;
      continue;
    }
    // A channel of a type this release does not know, or malformed, is left out, as fromItem does.
    const channelsOf: Channel[] = [];
    for (let at = first; at < nextChannel; at++) {
      const type: unknown = types[at];
      const to: unknown = destination[at];
      const flag: unknown = confirmed[at];
      if (typeof to !== 'string' || (flag !== 0 && flag !== 1)) continue;
      if (type === 'email') channelsOf.push({ type, address: to, confirmed: flag === 1 });
      else if (type === 'sms') channelsOf.push({ type, phone: to, confirmed: flag === 1 });
      else if (type === 'sns') channelsOf.push({ type, confirmed: flag === 1 });
    }
    const policy = updatePolicyOf(updates[row]);
    const delivery = Array.isArray(deliveryColumn) ? readStoredDelivery(deliveryColumn[row]) : undefined;
    subscriptions.push({
      ...(delivery === undefined ? {} : { delivery }),
      id,
      owner: ownerOf,
      name: nameOf,
      query: text,
      channels: channelsOf,
      status: statusOf,
      ...(policy === 'first' ? {} : { updates: policy }),
      createdAt: created,
      updatedAt: updated,
    });
  }
  if (nextChannel !== types.length) {
    throw corrupt(`has channel counts that do not add up to its ${types.length} channels`);
  }
  return { subscriptions, skipped, plans: layout3Plans(record.plans, queries) };
}

/**
 * Layout 3's plans are QueryPlans over the snapshot's own queries list, used as they are (compileSubscriptions
 * checks them in full); undefined when they are not even shaped like plans.
 */
function layout3Plans(plans: unknown, queries: readonly unknown[]): QueryPlans | undefined {
  if (typeof plans !== 'object' || plans === null) return undefined;
  const { engine, stems, groups } = plans as Record<string, unknown>;
  if (typeof engine !== 'string' || !Array.isArray(stems) || !Array.isArray(groups)) return undefined;
  return { engine, queries: queries as string[], stems, groups } as QueryPlans;
}
