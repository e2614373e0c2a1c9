/**
 * What the subscriptions snapshot (built by the snapshot builder, cached by the matcher) needs from storage.
 * Delivering has its own ports (core/deliveries/ports.ts). Adapters in functions/adapters implement them.
 */
import type { QueryPlans } from '../matching/plans.ts';
import type { Subscription } from '../subscriptions/subscription.ts';

export type SnapshotRead =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'loaded';
      /** Changes whenever the snapshot does (the S3 ETag). */
      readonly version: string;
      readonly subscriptions: readonly Subscription[];
      /** Items in the snapshot that were not valid subscriptions and were skipped. */
      readonly skipped: number;
      /** The queries' anchors, when the snapshot carries them (compileSubscriptions checks them). */
      readonly plans?: QueryPlans;
    };

/** The subscriptions snapshot the matcher compiles (a gzipped JSON object in S3). */
export interface SnapshotStore {
  /** Reads the snapshot; `unchanged` when its version is still `knownVersion`. */
  read(knownVersion?: string): Promise<SnapshotRead>;
  /** Replaces the snapshot; returns its new version and size. */
  write(
    subscriptions: readonly Subscription[],
    plans?: QueryPlans,
  ): Promise<{ readonly version: string; readonly bytes: number }>;
}

/** Reads every subscription from the subscriptions table (the snapshot builder's source). */
export interface SubscriptionScanner {
  scanAll(): Promise<{ readonly subscriptions: readonly Subscription[]; readonly skipped: number }>;
}
