/**
 * What the subscription use cases need from storage. Adapters implement these over DynamoDB
 * (functions/adapters/subscription-repository.ts, functions/adapters/subscription-ledger.ts);
 * tests use the in-memory versions in memory-stores.ts.
 */
import type { RecentStories as RecentStoriesPort } from '../ports.ts';
import type { Subscription } from './subscription.ts';

export interface SubscriptionRepository {
  get(id: string): Promise<Subscription | undefined>;
  /** A user's subscriptions, oldest first. */
  listByOwner(owner: string): Promise<readonly Subscription[]>;
  /** Creates; fails when the id exists (ids are random UUIDs, so that is a bug, not a race). */
  create(subscription: Subscription): Promise<void>;
  /**
   * Replaces a subscription if nobody changed it since it was read (optimistic concurrency on updatedAt).
   * Returns false when it changed or is gone: the caller reads again and retries.
   */
  replace(subscription: Subscription, expectedUpdatedAt: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** Every subscription with an SMS channel to this number (rare: STOP replies). */
  findByPhone(phone: string): Promise<readonly Subscription[]>;
}

/** A pending SMS confirmation code, stored hashed. */
export interface PendingSmsCode {
  readonly subscriptionId: string;
  readonly phone: string;
  /** HMAC of the code (see codes.ts); the code itself is never stored. */
  readonly codeHash: string;
  readonly attempts: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export interface ConfirmationLedger {
  putSmsCode(code: PendingSmsCode): Promise<void>;
  getSmsCode(subscriptionId: string): Promise<PendingSmsCode | undefined>;
  /** Counts a wrong guess; returns the attempts so far (after this one). */
  addSmsCodeAttempt(subscriptionId: string): Promise<number>;
  deleteSmsCode(subscriptionId: string): Promise<void>;
  /**
   * Counts one event against `key` in the fixed window that contains now; false (and nothing counted) when
   * `limit` events were already counted in that window.
   */
  consume(key: string, limit: number, windowSeconds: number, nowSeconds: number): Promise<boolean>;
  /** A destination that opted out (SMS STOP/REVOKE). */
  isSuppressed(destination: string): Promise<boolean>;
  suppress(destination: string, reason: string, nowSeconds: number): Promise<void>;
  unsuppress(destination: string): Promise<void>;
}

/** The part of the recent-stories port (core/ports.ts) that query previews read: newest first. */
export type RecentStories = Pick<RecentStoriesPort, 'list'>;
