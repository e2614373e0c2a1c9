/**
 * What delivering needs from storage and queues, beyond the senders and suppressions in core/ports.ts (shared
 * with the subscription service). Adapters in functions/adapters implement them over AWS SDK v3 clients.
 */
import type { StoryAlerts } from './types.ts';

/**
 * - `claimed`: this caller owns the delivery now and must send, then settle or release it.
 * - `done`: it was sent (or settled) before: send nothing.
 * - `in-flight`: someone else claimed it moments ago and has not finished: try again later.
 */
export type ClaimResult = 'claimed' | 'done' | 'in-flight';

/** What `DeliveryClaims.lookUp` found: delivery keys already settled, story ids killed. */
export interface PriorDeliveries {
  readonly settled: ReadonlySet<string>;
  readonly withdrawn: ReadonlySet<string>;
}

/**
 * Idempotency of deliveries: one alert per delivery key (`deliveryKey`), whatever the number of copies of the
 * job. A claim is a lease: if its owner dies before settling, the claim can be taken again after `leaseSeconds`,
 * so a crash does not lose the alert.
 */
export interface DeliveryClaims {
  /**
   * One strongly consistent read before a message is sent: of `keys` (distinct), the deliveries already settled
   * and not expired (copies of them send nothing); of `storyIds` (distinct), the stories killed (none of their
   * alerts may go out any more).
   */
  lookUp(keys: readonly string[], storyIds: readonly string[]): Promise<PriorDeliveries>;
  /**
   * Claims `key` for the caller identified by `token` (one per delivery attempt), unless it is settled or
   * another claim's lease still runs.
   */
  claim(
    key: string,
    options: { readonly ttlSeconds: number; readonly leaseSeconds: number; readonly token: string },
  ): Promise<ClaimResult>;
  /**
   * The deliveries reached a final state (sent, suppressed, refused): later copies are duplicates. Not
   * conditional on the claim: `done` records what happened (this worker sent it), whoever holds the claim.
   */
  settle(keys: readonly string[], options: { readonly ttlSeconds: number }): Promise<void>;
  /**
   * The sends failed and may be retried: forget the claims, each only while it is still `token`'s (a worker
   * that wakes up late must not delete a claim another worker took over, nor a settled one).
   */
  release(keys: readonly string[], token: string): Promise<void>;
  /** Remembers that a story was killed, for `ttlSeconds` (longer than any retry of its alerts). */
  withdraw(storyId: string, options: { readonly ttlSeconds: number }): Promise<void>;
}

/**
 * Writes a story's alerts to the deliveries queue, several to a message (codec.ts). Throws if any could not
 * be queued.
 */
export interface DeliveryQueue {
  send(alerts: StoryAlerts): Promise<void>;
}
