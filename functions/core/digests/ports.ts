/**
 * What digests need from storage. functions/adapters/dynamodb-digests.ts implements both over DynamoDB: pending
 * alerts in the digests table, counters in the ledger.
 */
import type { DeliveryJob } from '../deliveries/types.ts';
import type { Cadence } from '../subscriptions/preferences.ts';
import type { HoldReason } from './routing.ts';

/** One digest: a subscription's held alerts for one channel, due at one time. */
export interface DigestWindow {
  readonly subscriptionId: string;
  readonly channel: 'email' | 'sms';
  readonly destination: string;
  /** Epoch milliseconds. */
  readonly dueAt: number;
}

/** An alert held for a digest. */
export interface PendingAlert {
  readonly window: DigestWindow;
  readonly reason: HoldReason;
  readonly job: DeliveryJob;
  /** Epoch milliseconds. */
  readonly heldAt: number;
}

export interface PendingDigests {
  /** Stores held alerts; storing one again (a redelivered message) changes nothing. */
  hold(alerts: readonly PendingAlert[]): Promise<void>;
  /** Opens windows with no alerts ("no new stories" digests, empty-digests.ts); opening one again changes nothing. */
  open(windows: readonly DigestWindow[]): Promise<void>;
  /**
   * The windows due at or before `dueBy` (epoch ms), in pages of at most `pageSize`, each page oldest first.
   * Every window due when the walk starts comes exactly once, whether those already read are removed or stay
   * (a failed send); windows added meanwhile may come or wait for the next walk.
   */
  dueWindows(dueBy: number, pageSize: number): AsyncIterable<readonly DigestWindow[]>;
  /** The alerts of a window (strongly consistent). */
  alertsOf(window: DigestWindow): Promise<PendingAlert[]>;
  /** Forgets a window and its alerts, once its digest is settled. */
  remove(window: DigestWindow, alerts: readonly PendingAlert[]): Promise<void>;
}

/** Where a subscription past its daily cap becomes a daily digest (the subscriptions table). */
export interface CadenceSwitch {
  /**
   * Sets the subscription's e-mail cadence to `daily` only if it is still immediate (or already that daily
   * cadence, so that a retry after a crash finds it done): `switched`; else (changed meanwhile, or gone)
   * `unchanged`. The change reaches the matcher as any other change of the subscription does.
   */
  switchToDaily(
    subscriptionId: string,
    daily: Extract<Cadence, { kind: 'daily' }>,
    now: number,
  ): Promise<'switched' | 'unchanged'>;
}

/** The hour and the local day an immediate alert counts in. */
export interface CounterWindows {
  readonly hour: string;
  readonly day: string;
}

export interface AlertCounters {
  /**
   * Counts a story's immediate alert for a subscription in its hour and day (once per story, whatever the
   * number of copies), unless the count already passed `limits`; returns the counts with it (over a limit:
   * that limit plus one).
   */
  count(
    subscriptionId: string,
    storyId: string,
    windows: CounterWindows,
    limits: { readonly hour: number; readonly day?: number | undefined },
  ): Promise<{ readonly hour: number; readonly day: number }>;
}

/** The key of a window: one digest per subscription, channel and due time. */
export function windowKey(window: DigestWindow): string {
  return `${window.subscriptionId}#${window.channel}#${window.dueAt}`;
}
