import { nowSeconds, type ServiceContext, updateSubscription } from './context.ts';
import { SubscriptionError } from './errors.ts';
import { verifyUnsubscribeToken } from './links.ts';
import { isE164 } from './phone.ts';
import { smsReplyIntent } from './sms-replies.ts';
import type { ChannelType, Subscription } from './subscription.ts';

/**
 * Leaving. An unsubscribe link removes its channel from its subscription; a subscription left without channels
 * is paused (not deleted) so that its owner still sees it and can add a channel. Both are idempotent.
 */

const CHANNEL_TYPES: readonly string[] = ['email', 'sms', 'sns'];

export interface UnsubscribeResult {
  /** Absent when the subscription no longer exists (unsubscribing again is fine). */
  readonly subscription?: Subscription;
  readonly channel: ChannelType;
  /** False when there was nothing left to remove. */
  readonly changed: boolean;
}

/** Checks an unsubscribe token without acting (the GET page asks before it acts). */
export function readUnsubscribeToken(
  context: ServiceContext,
  token: string,
): { readonly subscriptionId: string; readonly channel: ChannelType } {
  const check = verifyUnsubscribeToken(token, context.signingSecret, nowSeconds(context));
  if (!check.ok || check.payload.ch === undefined || !CHANNEL_TYPES.includes(check.payload.ch)) {
    throw new SubscriptionError(
      'invalid-token',
      'This unsubscribe link is not valid: open the link from the alert exactly as it was sent.',
    );
  }
  return { subscriptionId: check.payload.sub, channel: check.payload.ch as ChannelType };
}

export async function unsubscribe(context: ServiceContext, token: string): Promise<UnsubscribeResult> {
  const { subscriptionId, channel } = readUnsubscribeToken(context, token);
  const result = await updateSubscription(context, subscriptionId, (current) =>
    withoutChannel(current, channel),
  );
  if (result === undefined) return { channel, changed: false };
  if (channel === 'sms') await context.ledger.deleteSmsCode(subscriptionId);
  return { subscription: result.after, channel, changed: result.after !== result.before };
}

/** The subscription without its channel of this type (paused if none remain), or undefined if it had none. */
export function withoutChannel(subscription: Subscription, type: ChannelType): Subscription | undefined {
  if (!subscription.channels.some((c) => c.type === type)) return undefined;
  const channels = subscription.channels.filter((c) => c.type !== type);
  return { ...subscription, channels, status: channels.length === 0 ? 'paused' : subscription.status };
}

export interface SmsReplyResult {
  readonly intent: 'opt-out' | 'opt-in' | 'other';
  /** Subscriptions whose SMS channel to this number was removed. */
  readonly subscriptionsChanged: number;
}

/**
 * An SMS reply from a number (SNS inbound SMS, or the local /sms/inbound route). An opt-out keyword suppresses
 * the number and removes it from every subscription; START/UNSTOP lifts the suppression. Other text is ignored.
 */
export async function handleSmsReply(
  context: ServiceContext,
  phone: string,
  text: string,
): Promise<SmsReplyResult> {
  if (!isE164(phone)) {
    throw new SubscriptionError(
      'invalid-input',
      'The sender must be an E.164 phone number such as +14155550123.',
      {
        field: 'from',
      },
    );
  }
  const intent = smsReplyIntent(text);
  if (intent === 'opt-in') {
    await context.ledger.unsuppress(phone);
    return { intent, subscriptionsChanged: 0 };
  }
  if (intent !== 'opt-out') return { intent, subscriptionsChanged: 0 };
  await context.ledger.suppress(phone, `sms reply ${smsKeyword(text)}`, nowSeconds(context));
  let changed = 0;
  for (const subscription of await context.repository.findByPhone(phone)) {
    const result = await updateSubscription(context, subscription.id, (current) => {
      const sms = current.channels.find((c) => c.type === 'sms');
      return sms?.type === 'sms' && sms.phone === phone ? withoutChannel(current, 'sms') : undefined;
    });
    if (result !== undefined && result.after !== result.before) {
      changed++;
      await context.ledger.deleteSmsCode(subscription.id);
    }
  }
  return { intent, subscriptionsChanged: changed };
}

function smsKeyword(text: string): string {
  return text
    .trim()
    .slice(0, 20)
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}
