/**
 * What the pipeline (matcher, notifier, snapshot builder) needs from storage and queues, beyond the shared
 * ports in core/ports.ts. Adapters in functions/adapters implement them over AWS SDK v3 clients.
 */
import type { DeliveryJob } from '../alerts/delivery.ts';
import type { QueryPlans } from '../matching/plans.ts';
import { PermanentSendError } from '../ports.ts';
import type { Subscription } from '../subscriptions/subscription.ts';

/**
 * - `claimed`: this caller owns the delivery now and must send, then settle or release it.
 * - `done`: it was sent (or settled) before: send nothing.
 * - `in-flight`: someone else claimed it moments ago and has not finished: try again later.
 */
export type ClaimResult = 'claimed' | 'done' | 'in-flight';

/**
 * Idempotency of deliveries: one alert per delivery key (`deliveryKey`), whatever the number of copies of the
 * job. A claim is a lease: if its owner dies before settling, the claim can be taken again after `leaseSeconds`,
 * so a crash does not lose the alert.
 */
export interface DeliveryClaims {
  /** Of `keys` (distinct), the deliveries already settled and not expired: copies of them send nothing. */
  settledAmong(keys: readonly string[]): Promise<ReadonlySet<string>>;
  claim(
    key: string,
    options: { readonly ttlSeconds: number; readonly leaseSeconds: number },
  ): Promise<ClaimResult>;
  /** The deliveries reached a final state (sent, suppressed, refused): later copies are duplicates. */
  settle(keys: readonly string[], options: { readonly ttlSeconds: number }): Promise<void>;
  /** The sends failed and may be retried: forget the claims. */
  release(keys: readonly string[]): Promise<void>;
}

/**
 * Writes delivery jobs to the deliveries queue, several to a message (core/alerts/delivery-message.ts).
 * Throws if any job could not be queued.
 */
export interface DeliveryQueue {
  send(jobs: readonly DeliveryJob[]): Promise<void>;
}

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

/**
 * A permanent failure caused by the destination itself (invalid number, opted out at the carrier, address
 * that does not exist): the notifier suppresses the destination so that no later alert tries it again.
 */
export class DestinationRejectedError extends PermanentSendError {
  /** The destination to suppress. (`name` stays `PermanentSendError`: the base class fixes it.) */
  readonly destinationRejected = true;
}
