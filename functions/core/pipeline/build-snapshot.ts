import { planQueries } from '../matching/plans.ts';
import type { SnapshotStore, SubscriptionScanner } from './ports.ts';

export interface SnapshotSummary {
  /** Subscriptions written to the snapshot. */
  readonly subscriptions: number;
  readonly active: number;
  /** Table items that were not valid subscriptions and were left out. */
  readonly skipped: number;
  readonly version: string;
  readonly bytes: number;
}

/**
 * Rebuilds the subscriptions snapshot from the whole table. Whatever triggered it (a stream batch, a timer,
 * a direct call), the result is the same, so overlapping or repeated runs are harmless: the last write wins
 * and reflects the table at its scan.
 */
export async function buildSnapshot(ports: {
  readonly scanner: SubscriptionScanner;
  readonly store: SnapshotStore;
}): Promise<SnapshotSummary> {
  const { subscriptions, skipped } = await ports.scanner.scanAll();
  const active = subscriptions.filter((subscription) => subscription.status === 'active');
  // Plans spare every cold matcher the parsing of every query (see core/matching/plans.ts).
  const plans = planQueries(active.map((subscription) => subscription.query));
  const { version, bytes } = await ports.store.write(subscriptions, plans);
  return {
    subscriptions: subscriptions.length,
    active: active.length,
    skipped,
    version,
    bytes,
  };
}
