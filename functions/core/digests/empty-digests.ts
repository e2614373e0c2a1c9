/**
 * "No new stories" (`sendEmpty`): a subscription with an e-mail digest cadence and the option gets its digest
 * at every due time, even when nothing was held. A digest is sent from a window, so such a subscription always
 * has its next window open: a change of the subscription (created, edited, confirmed, resumed: the change-log
 * writer sees every one) opens the next due time, and each digest of it opens the one after before it settles.
 * Window keys depend only on the subscription, channel and due time, so opening one twice (a retry, a change
 * and a digest naming the same time) stores one window; a window holds no alerts until some are held into it.
 */

import type { AlertSubscription } from '../deliveries/types.ts';
import { deliveryInput } from '../subscriptions/preferences.ts';
import { deliverableChannels, type Subscription } from '../subscriptions/subscription.ts';
import type { DigestWindow, PendingDigests } from './ports.ts';
import { nextDigestTime } from './schedule.ts';

/** The subscription's next "no new stories" digest due after `after`, or undefined if it gets none. */
export function emptyDigestWindow(subscription: Subscription, after: number): DigestWindow | undefined {
  const preferences = subscription.delivery;
  if (preferences === undefined || !preferences.sendEmpty) return undefined;
  const dueAt = nextDigestTime(preferences.email, after, preferences.timeZone);
  const email = deliverableChannels(subscription).find((channel) => channel.type === 'email');
  if (dueAt === undefined || email?.type !== 'email') return undefined;
  return { subscriptionId: subscription.id, channel: 'email', destination: email.address, dueAt };
}

/** True when `dueAt` is a due time of the subscription's current cadence (not one it changed away from). */
export function isEmptyDigestDue(subscription: Subscription, dueAt: number): boolean {
  return emptyDigestWindow(subscription, dueAt - 1)?.dueAt === dueAt;
}

/**
 * Opens the next window of each changed subscription (as it stands now) that asked for "no new stories";
 * returns how many.
 */
export async function openEmptyDigests(
  changed: Iterable<Subscription>,
  pending: PendingDigests,
  now: number,
): Promise<number> {
  const windows = [...changed].flatMap((subscription) => emptyDigestWindow(subscription, now) ?? []);
  if (windows.length > 0) await pending.open(windows);
  return windows.length;
}

/** The subscription as a digest's alerts carry it, for a digest with no alerts. */
export function alertSubscriptionOf(subscription: Subscription): AlertSubscription {
  return {
    id: subscription.id,
    name: subscription.name,
    owner: subscription.owner,
    query: subscription.query,
    ...(subscription.delivery === undefined ? {} : { delivery: deliveryInput(subscription.delivery) }),
  };
}
