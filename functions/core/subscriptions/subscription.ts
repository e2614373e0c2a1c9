import type { DeliveryPreferences } from './preferences.ts';

/** Where an alert goes. A channel receives alerts only once it is confirmed (double opt-in). */
export type Channel =
  | { readonly type: 'email'; readonly address: string; readonly confirmed: boolean }
  | { readonly type: 'sms'; readonly phone: string; readonly confirmed: boolean }
  | { readonly type: 'sns'; readonly confirmed: boolean };

export type ChannelType = Channel['type'];

export type SubscriptionStatus = 'active' | 'paused';

/**
 * Which versions of a story alert: `first` (the default) only the first one matched; `substantive` also every
 * later version whose text changed materially (core/stories/near-duplicates.ts); `corrections` those and
 * every correction.
 */
export const UPDATE_POLICIES = ['first', 'substantive', 'corrections'] as const;
export type UpdatePolicy = (typeof UPDATE_POLICIES)[number];

/** A standing query and where its alerts go. */
export interface Subscription {
  readonly id: string;
  /** Who owns it (the JWT subject); users see only their own. */
  readonly owner: string;
  readonly name: string;
  readonly query: string;
  readonly channels: readonly Channel[];
  readonly status: SubscriptionStatus;
  /** Absent: `first`. */
  readonly updates?: UpdatePolicy | undefined;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When alerts go out (preferences.ts); absent: the defaults, DEFAULT_DELIVERY. */
  readonly delivery?: DeliveryPreferences | undefined;
}

/** The channels of a subscription that may receive alerts now. */
export function deliverableChannels(subscription: Subscription): readonly Channel[] {
  if (subscription.status !== 'active') return [];
  return subscription.channels.filter((channel) => channel.confirmed);
}
