import { type DeliveryInput, deliveryInput, readStoredDelivery } from '../core/subscriptions/preferences.ts';
import {
  type Channel,
  type Subscription,
  UPDATE_POLICIES,
  type UpdatePolicy,
} from '../core/subscriptions/subscription.ts';

/**
 * How a Subscription is stored in the subscriptions table (one item per subscription, key `id`,
 * `byOwner` index on owner + createdAt). The one codec every adapter of that table uses.
 */
export interface SubscriptionItem {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly query: string;
  readonly channels: Channel[];
  readonly status: Subscription['status'];
  /** Absent: `first`. */
  readonly updates?: UpdatePolicy;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Delivery preferences in their input form; absent: the defaults. */
  readonly delivery?: DeliveryInput;
}

export function toItem(subscription: Subscription): SubscriptionItem {
  return {
    id: subscription.id,
    owner: subscription.owner,
    name: subscription.name,
    query: subscription.query,
    channels: subscription.channels.map((channel) => ({ ...channel })),
    status: subscription.status,
    ...(subscription.updates === undefined || subscription.updates === 'first'
      ? {}
      : { updates: subscription.updates }),
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
    ...(subscription.delivery === undefined ? {} : { delivery: deliveryInput(subscription.delivery) }),
  };
}

/** Reads an item, rejecting one that is not a subscription (a corrupt or foreign item must not crash a scan). */
export function fromItem(item: Record<string, unknown>): Subscription | undefined {
  const { id, owner, name, query, channels, status, createdAt, updatedAt } = item;
  if (
    typeof id !== 'string' ||
    typeof owner !== 'string' ||
    typeof name !== 'string' ||
    typeof query !== 'string' ||
    !Array.isArray(channels) ||
    (status !== 'active' && status !== 'paused') ||
    typeof createdAt !== 'string' ||
    typeof updatedAt !== 'string'
  ) {
    return undefined;
  }
  const parsed = channels.filter(isChannel);
  const updates = updatePolicyOf(item.updates);
  const delivery = readStoredDelivery(item.delivery);
  return {
    id,
    owner,
    name,
    query,
    channels: parsed,
    status,
    ...(updates === 'first' ? {} : { updates }),
    createdAt,
    updatedAt,
    ...(delivery === undefined ? {} : { delivery }),
  };
}

/** A stored update policy; anything unknown reads as `first` (the default, which sends the least). */
export function updatePolicyOf(value: unknown): UpdatePolicy {
  return (UPDATE_POLICIES as readonly unknown[]).includes(value) ? (value as UpdatePolicy) : 'first';
}

function isChannel(value: unknown): value is Channel {
  if (typeof value !== 'object' || value === null) return false;
  const channel = value as Record<string, unknown>;
  if (typeof channel.confirmed !== 'boolean') return false;
  switch (channel.type) {
    case 'email':
      return typeof channel.address === 'string';
    case 'sms':
      return typeof channel.phone === 'string';
    case 'sns':
      return true;
    default:
      return false;
  }
}
