import { randomUUID } from 'node:crypto';
import { newSmsCode } from './codes.ts';
import {
  type ConfirmationReport,
  confirmEmail,
  confirmSms,
  destinationOf,
  readConfirmToken,
  reserveConfirmations,
  sendConfirmations,
} from './confirmations.ts';
import {
  DEFAULT_LIMITS,
  nextTimestamp,
  notFound,
  type ServiceContext,
  type SubscriptionServiceDeps,
  updateSubscription,
} from './context.ts';
import { SubscriptionError } from './errors.ts';
import {
  type ChannelsInput,
  parseSubscriptionInput,
  parseSubscriptionPatch,
  type SubscriptionPatch,
} from './input.ts';
import { handleSmsReply, readUnsubscribeToken, unsubscribe } from './opt-out.ts';
import { DEFAULT_DELIVERY } from './preferences.ts';
import type { Channel, Subscription, SubscriptionStatus } from './subscription.ts';

export interface SubscriptionChange {
  readonly subscription: Subscription;
  /** Confirmation messages sent for new, unconfirmed channels. */
  readonly confirmations: readonly ConfirmationReport[];
}

/**
 * The subscription use cases, shared by the HTTP API, the SNS inbound-SMS path and the local stack.
 * Every method that takes an owner acts only on that owner's subscriptions: another's answers `not-found`.
 */
export class SubscriptionService {
  readonly context: ServiceContext;

  constructor(deps: SubscriptionServiceDeps) {
    this.context = {
      ...deps,
      limits: { ...DEFAULT_LIMITS, ...deps.limits },
      now: deps.now ?? (() => new Date()),
      newId: deps.newId ?? randomUUID,
      newSmsCode: deps.newSmsCode ?? newSmsCode,
    };
  }

  list(owner: string): Promise<readonly Subscription[]> {
    return this.context.repository.listByOwner(owner);
  }

  async get(owner: string, id: string): Promise<Subscription> {
    const subscription = await this.context.repository.get(id);
    if (subscription === undefined || subscription.owner !== owner) throw notFound(id);
    return subscription;
  }

  async create(owner: string, body: unknown): Promise<SubscriptionChange> {
    const input = parseSubscriptionInput(body, this.context.rules);
    const existing = await this.context.repository.listByOwner(owner);
    const max = this.context.limits.maxSubscriptionsPerUser;
    if (existing.length >= max) {
      throw new SubscriptionError(
        'limit-exceeded',
        `You have ${existing.length} subscriptions, the most allowed is ${max}: delete one first.`,
      );
    }
    const channels = buildChannels(input.channels, [], confirmedDestinations(existing));
    await this.checkNewChannels(owner, channels, []);
    const createdAt = nextTimestamp(this.context);
    const subscription: Subscription = {
      id: this.context.newId(),
      owner,
      name: input.name,
      query: input.query,
      channels,
      status: 'active',
      ...(input.updates === undefined || input.updates === 'first' ? {} : { updates: input.updates }),
      createdAt,
      updatedAt: createdAt,
      delivery: input.delivery ?? DEFAULT_DELIVERY,
    };
    await this.context.repository.create(subscription);
    return { subscription, confirmations: await sendConfirmations(this.context, subscription, channels) };
  }

  async update(owner: string, id: string, body: unknown): Promise<SubscriptionChange> {
    const patch = parseSubscriptionPatch(body, this.context.rules);
    const before = await this.get(owner, id);
    const requested = patch.channels;
    if (requested !== undefined) {
      const others = (await this.context.repository.listByOwner(owner)).filter((s) => s.id !== id);
      const confirmedElsewhere = confirmedDestinations(others);
      await this.checkNewChannels(
        owner,
        buildChannels(requested, before.channels, confirmedElsewhere),
        before.channels,
      );
      const result = await updateSubscription(this.context, id, (current) => ({
        ...current,
        name: patch.name ?? current.name,
        query: patch.query ?? current.query,
        channels: buildChannels(requested, current.channels, confirmedElsewhere),
        updates: patch.updates ?? current.updates,
        delivery: patchedDelivery(patch, current),
      }));
      if (result === undefined) throw notFound(id);
      const added = newChannels(result.after.channels, result.before.channels);
      if (!result.after.channels.some((c) => c.type === 'sms' && !added.includes(c))) {
        await this.context.ledger.deleteSmsCode(id);
      }
      return {
        subscription: result.after,
        confirmations: await sendConfirmations(this.context, result.after, added),
      };
    }
    const result = await updateSubscription(this.context, id, (current) => ({
      ...current,
      name: patch.name ?? current.name,
      query: patch.query ?? current.query,
      updates: patch.updates ?? current.updates,
      delivery: patchedDelivery(patch, current),
    }));
    if (result === undefined) throw notFound(id);
    return { subscription: result.after, confirmations: [] };
  }

  async setStatus(owner: string, id: string, status: SubscriptionStatus): Promise<Subscription> {
    await this.get(owner, id);
    const result = await updateSubscription(this.context, id, (current) => {
      if (current.status === status) return undefined;
      if (status === 'active' && current.channels.length === 0) {
        throw new SubscriptionError(
          'conflict',
          'This subscription has no channel left: add one before resuming it.',
        );
      }
      return { ...current, status };
    });
    if (result === undefined) throw notFound(id);
    return result.after;
  }

  async delete(owner: string, id: string): Promise<void> {
    await this.get(owner, id);
    await this.context.repository.delete(id);
    await this.context.ledger.deleteSmsCode(id);
  }

  /** Sends a new confirmation message (a new link or code) for an unconfirmed e-mail or SMS channel. */
  async resendConfirmation(owner: string, id: string, type: string): Promise<ConfirmationReport> {
    const subscription = await this.get(owner, id);
    if (type !== 'email' && type !== 'sms') {
      throw new SubscriptionError('invalid-input', 'Only email and sms channels are confirmed.', {
        field: 'channel',
      });
    }
    const channel = subscription.channels.find((c) => c.type === type);
    if (channel === undefined)
      throw new SubscriptionError('conflict', `This subscription has no ${type} channel.`);
    if (channel.confirmed)
      throw new SubscriptionError('conflict', `The ${type} channel is already confirmed.`);
    await this.checkNewChannels(owner, [channel], []);
    const [report] = await sendConfirmations(this.context, subscription, [channel]);
    if (report === undefined)
      throw new Error(`No confirmation was attempted for the ${type} channel of ${id}.`);
    return report;
  }

  /** What a confirmation link would confirm, without doing it (for the page that asks first). */
  async describeConfirmation(token: string) {
    const { subscriptionId, address } = readConfirmToken(this.context, token);
    const subscription = await this.context.repository.get(subscriptionId);
    return { subscription, address };
  }

  confirmEmail(token: string) {
    return confirmEmail(this.context, token);
  }

  confirmSms(owner: string, id: string, code: unknown) {
    return confirmSms(this.context, owner, id, code);
  }

  /** What an unsubscribe link would do, without doing it (for the page that asks first). */
  async describeUnsubscribe(token: string) {
    const { subscriptionId, channel } = readUnsubscribeToken(this.context, token);
    const subscription = await this.context.repository.get(subscriptionId);
    return { subscription, channel };
  }

  unsubscribe(token: string) {
    return unsubscribe(this.context, token);
  }

  handleSmsReply(phone: string, text: string) {
    return handleSmsReply(this.context, phone, text);
  }

  /** Refuses opted-out numbers and reserves the confirmation messages new channels will need. */
  private async checkNewChannels(owner: string, channels: readonly Channel[], previous: readonly Channel[]) {
    const pending = newChannels(channels, previous).filter((c) => !c.confirmed && c.type !== 'sns');
    for (const channel of pending) {
      if (channel.type === 'sms' && (await this.context.ledger.isSuppressed(channel.phone))) {
        throw new SubscriptionError(
          'opted-out',
          `${channel.phone} replied STOP to Wirewatch: text START to it from that phone before adding it again.`,
          { field: 'channels.phone' },
        );
      }
    }
    await reserveConfirmations(
      this.context,
      owner,
      pending.map((c) => destinationOf(c)).filter((d) => d !== undefined),
    );
  }
}

/** Destinations (address or number) an owner has already confirmed in some subscription. */
/** The delivery preferences after a patch: kept, replaced, or (null) the defaults. */
function patchedDelivery(patch: SubscriptionPatch, current: Subscription): Subscription['delivery'] {
  if (patch.delivery === undefined) return current.delivery;
  return patch.delivery ?? DEFAULT_DELIVERY;
}

function confirmedDestinations(subscriptions: readonly Subscription[]): ReadonlySet<string> {
  const confirmed = new Set<string>();
  for (const subscription of subscriptions) {
    for (const channel of subscription.channels) {
      const destination = destinationOf(channel);
      if (channel.confirmed && destination !== undefined) confirmed.add(destination);
    }
  }
  return confirmed;
}

/**
 * The channels a request asks for. A destination kept from before keeps its confirmation; one the owner
 * confirmed in another subscription needs none (the owner proved they receive there); the SNS topic needs none.
 */
export function buildChannels(
  input: ChannelsInput,
  previous: readonly Channel[],
  confirmedElsewhere: ReadonlySet<string>,
): Channel[] {
  const channels: Channel[] = [];
  const wasConfirmed = (destination: string) =>
    confirmedElsewhere.has(destination) ||
    previous.some((c) => c.confirmed && destinationOf(c) === destination);
  if (input.email !== undefined) {
    channels.push({ type: 'email', address: input.email, confirmed: wasConfirmed(input.email) });
  }
  if (input.phone !== undefined) {
    channels.push({ type: 'sms', phone: input.phone, confirmed: wasConfirmed(input.phone) });
  }
  if (input.sns) channels.push({ type: 'sns', confirmed: true });
  return channels;
}

/** Channels in `next` that are not in `previous` with the same destination. */
function newChannels(next: readonly Channel[], previous: readonly Channel[]): Channel[] {
  return next.filter(
    (channel) =>
      !previous.some((p) => p.type === channel.type && destinationOf(p) === destinationOf(channel)),
  );
}
