import { planQueries } from '../matching/plans.ts';
import type { ChangeLog, SnapshotStore, SubscriptionScanner } from './ports.ts';

export interface SnapshotSummary {
  /** Subscriptions written to the snapshot. */
  readonly subscriptions: number;
  readonly active: number;
  /** Table items that were not valid subscriptions and were left out. */
  readonly skipped: number;
  readonly version: string;
  readonly bytes: number;
  /** With a change log: the last segment the snapshot includes (matchers apply the ones after it). */
  readonly changesThrough?: string;
}

/**
 * Rebuilds the subscriptions snapshot from the whole table. Whatever triggered it (a stream batch, a timer,
 * a direct call), the result is the same, so overlapping or repeated runs are harmless: the last write wins
 * and reflects the table at its scan.
 *
 * With a change log this is the compaction: the snapshot names the newest segment written before the scan
 * began, so a matcher that loads it applies every later segment. A segment written during the scan may
 * already be in the snapshot; applying it again is harmless (a segment holds each subscription's whole
 * new state, and segments apply in order), so nothing is lost and nothing is applied out of order.
 */
export async function buildSnapshot(ports: {
  readonly scanner: SubscriptionScanner;
  readonly store: SnapshotStore;
  readonly changes?: ChangeLog;
}): Promise<SnapshotSummary> {
  const changesThrough = await ports.changes?.latest();
  const { subscriptions, skipped } = await ports.scanner.scanAll();
  const active = subscriptions.filter((subscription) => subscription.status === 'active');
  // Plans spare every cold matcher the parsing of every query (see core/matching/plans.ts).
  const plans = planQueries(active.map((subscription) => subscription.query));
  const { version, bytes } = await ports.store.write(subscriptions, plans, changesThrough);
  return {
    subscriptions: subscriptions.length,
    active: active.length,
    skipped,
    version,
    bytes,
    ...(changesThrough === undefined ? {} : { changesThrough }),
  };
}
