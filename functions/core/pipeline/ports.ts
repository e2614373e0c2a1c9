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
      /** The last change-log segment folded into this snapshot (ChangeLog), when it was compacted from one. */
      readonly changesThrough?: string;
    };

/** The subscriptions snapshot the matcher compiles (a gzipped JSON object in S3). */
export interface SnapshotStore {
  /** Reads the snapshot; `unchanged` when its version is still `knownVersion`. */
  read(knownVersion?: string): Promise<SnapshotRead>;
  /** Replaces the snapshot; returns its new version and size. */
  write(
    subscriptions: readonly Subscription[],
    plans?: QueryPlans,
    changesThrough?: string,
  ): Promise<{ readonly version: string; readonly bytes: number }>;
}

/** One change to a subscription, as the table's stream reports it: its new state, or its removal. */
export type SubscriptionUpdate =
  | { readonly kind: 'put'; readonly subscription: Subscription }
  | { readonly kind: 'remove'; readonly id: string };

/**
 * The subscriptions' changes since the snapshot, in segments (one per stream batch) whose keys sort in the
 * order they were written. A snapshot names the last segment folded into it; a matcher applies the ones after.
 */
export interface ChangeLog {
  /** Writes one segment; returns its key. */
  append(updates: readonly SubscriptionUpdate[]): Promise<string>;
  /** Keys of the segments after `after` (all when undefined), ascending, at most `limit`. */
  keysAfter(after: string | undefined, limit: number): Promise<readonly string[]>;
  /** The newest segment's key, or undefined when there is none. */
  latest(): Promise<string | undefined>;
  read(key: string): Promise<readonly SubscriptionUpdate[]>;
}

/** Reads every subscription from the subscriptions table (the snapshot builder's source). */
export interface SubscriptionScanner {
  scanAll(): Promise<{ readonly subscriptions: readonly Subscription[]; readonly skipped: number }>;
}

/** Reads subscriptions as they stand now (the change-log writer's source: the stream gives keys only). */
export interface SubscriptionLookup {
  /** The subscriptions with these ids, strongly consistent; an id deleted (or not a valid subscription) is absent. */
  currentStates(ids: readonly string[]): Promise<ReadonlyMap<string, Subscription>>;
}
