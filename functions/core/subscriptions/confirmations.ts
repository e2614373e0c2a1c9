import { PermanentSendError } from '../ports.ts';
import { hashSmsCode, SMS_CODE_PATTERN, smsCodeMatches } from './codes.ts';
import { notFound, nowSeconds, type ServiceContext, updateSubscription } from './context.ts';
import { invalidInput, SubscriptionError } from './errors.ts';
import { confirmEmailToken, confirmedAddress, confirmUrl, verifyConfirmToken } from './links.ts';
import { confirmationEmail, smsCodeText } from './messages.ts';
import type { Channel, Subscription } from './subscription.ts';

/** Double opt-in: a signed link by mail, a 6-digit code by SMS; nothing else goes to a channel until then. */

export interface ConfirmationReport {
  readonly channel: 'email' | 'sms';
  readonly destination: string;
  /** `sent`: a message is on its way; `failed`: it could not be sent now (ask again later). */
  readonly status: 'sent' | 'failed';
  readonly message?: string;
}

/** The e-mail or SMS destination of a channel that needs a confirmation message. */
export function destinationOf(channel: Channel): string | undefined {
  if (channel.type === 'email') return channel.address;
  if (channel.type === 'sms') return channel.phone;
  return undefined;
}

/**
 * Counts the confirmation messages about to be sent against the per-user and per-destination limits,
 * or throws `limit-exceeded` (nothing is saved or sent then).
 */
export async function reserveConfirmations(
  context: ServiceContext,
  owner: string,
  destinations: readonly string[],
): Promise<void> {
  if (destinations.length === 0) return;
  const {
    confirmationWindowSeconds: window,
    confirmationsPerUser,
    confirmationsPerDestination,
  } = context.limits;
  const now = nowSeconds(context);
  const retryAfterSeconds = window - (now % window);
  for (let i = 0; i < destinations.length; i++) {
    if (!(await context.ledger.consume(`confirm-user#${owner}`, confirmationsPerUser, window, now))) {
      throw new SubscriptionError(
        'limit-exceeded',
        `Too many confirmation messages from your account (at most ${confirmationsPerUser} a day): try again later.`,
        { retryAfterSeconds },
      );
    }
  }
  for (const destination of destinations) {
    if (
      !(await context.ledger.consume(`confirm-dest#${destination}`, confirmationsPerDestination, window, now))
    ) {
      throw new SubscriptionError(
        'limit-exceeded',
        `Too many confirmation messages to ${destination} (at most ${confirmationsPerDestination} a day): try again later.`,
        { field: destination.startsWith('+') ? 'channels.phone' : 'channels.email', retryAfterSeconds },
      );
    }
  }
}

/** Sends the confirmation message of each unconfirmed e-mail and SMS channel; a failure is reported, not thrown. */
export async function sendConfirmations(
  context: ServiceContext,
  subscription: Subscription,
  channels: readonly Channel[],
): Promise<ConfirmationReport[]> {
  const reports: ConfirmationReport[] = [];
  for (const channel of channels) {
    if (channel.confirmed || channel.type === 'sns') continue;
    const destination = channel.type === 'email' ? channel.address : channel.phone;
    try {
      if (channel.type === 'email') await sendConfirmationMail(context, subscription, channel.address);
      else await sendSmsCode(context, subscription, channel.phone);
      reports.push({ channel: channel.type, destination, status: 'sent' });
    } catch (error) {
      const permanent = error instanceof PermanentSendError;
      reports.push({
        channel: channel.type,
        destination,
        status: 'failed',
        message: permanent
          ? `The confirmation could not be delivered to ${destination}: check the ${channel.type === 'email' ? 'address' : 'number'}.`
          : `The confirmation could not be sent just now: ask for a new one in a few minutes.`,
      });
    }
  }
  return reports;
}

async function sendConfirmationMail(context: ServiceContext, subscription: Subscription, address: string) {
  const ttl = context.limits.emailLinkTtlSeconds;
  const token = confirmEmailToken(subscription.id, address, context.signingSecret, nowSeconds(context), ttl);
  await context.email.send(
    confirmationEmail({
      to: address,
      subscriptionName: subscription.name,
      query: subscription.query,
      confirmLink: confirmUrl(context.publicBaseUrl, token),
      ttlHours: Math.round(ttl / 3600),
    }),
  );
}

async function sendSmsCode(context: ServiceContext, subscription: Subscription, phone: string) {
  const code = context.newSmsCode();
  await context.ledger.putSmsCode({
    subscriptionId: subscription.id,
    phone,
    codeHash: hashSmsCode(context.signingSecret, subscription.id, phone, code),
    attempts: 0,
    expiresAt: nowSeconds(context) + context.limits.smsCodeTtlSeconds,
  });
  await context.sms.send(phone, smsCodeText(code, Math.round(context.limits.smsCodeTtlSeconds / 60)));
}

export interface EmailConfirmation {
  readonly subscription: Subscription;
  readonly address: string;
  /** False when the link had been used before (confirming is idempotent). */
  readonly changed: boolean;
}

/** Checks a confirm token without acting (the GET page asks before it acts). */
export function readConfirmToken(
  context: ServiceContext,
  token: string,
): { readonly subscriptionId: string; readonly address: string } {
  const check = verifyConfirmToken(token, context.signingSecret, nowSeconds(context));
  const address = confirmedAddress(check);
  if (!check.ok || address === undefined) {
    throw new SubscriptionError(
      'invalid-token',
      check.ok === false && check.reason === 'expired'
        ? 'This confirmation link has expired: ask for a new one on the subscription page.'
        : 'This confirmation link is not valid: open the link from the e-mail exactly as it was sent.',
    );
  }
  return { subscriptionId: check.payload.sub, address };
}

/** Confirms the e-mail channel a signed link was sent for. */
export async function confirmEmail(context: ServiceContext, token: string): Promise<EmailConfirmation> {
  const { subscriptionId, address } = readConfirmToken(context, token);
  const stale = new SubscriptionError(
    'link-stale',
    'This confirmation link no longer applies: the subscription or its address changed since it was sent.',
  );
  const result = await updateSubscription(context, subscriptionId, (current) => {
    const channel = current.channels.find((c) => c.type === 'email');
    if (channel?.type !== 'email' || channel.address !== address) throw stale;
    if (channel.confirmed) return undefined;
    return {
      ...current,
      channels: current.channels.map((c) => (c === channel ? { ...c, confirmed: true } : c)),
    };
  });
  if (result === undefined) throw stale;
  return { subscription: result.after, address, changed: result.after !== result.before };
}

/** Confirms the SMS channel of a user's subscription with the code sent to it. */
export async function confirmSms(
  context: ServiceContext,
  owner: string,
  id: string,
  code: unknown,
): Promise<Subscription> {
  if (typeof code !== 'string' || !SMS_CODE_PATTERN.test(code.trim())) {
    throw invalidInput('code', 'The code must be the 6 digits from the SMS.');
  }
  const subscription = await context.repository.get(id);
  if (subscription === undefined || subscription.owner !== owner) throw notFound(id);
  const channel = subscription.channels.find((c) => c.type === 'sms');
  if (channel?.type !== 'sms') {
    throw new SubscriptionError('conflict', 'This subscription has no SMS channel to confirm.');
  }
  if (channel.confirmed) return subscription;
  const pending = await context.ledger.getSmsCode(id);
  if (pending === undefined || pending.phone !== channel.phone || pending.expiresAt < nowSeconds(context)) {
    throw new SubscriptionError(
      'no-pending-code',
      'No code is waiting for this number, or it expired: ask for a new code.',
    );
  }
  const maxAttempts = context.limits.smsCodeMaxAttempts;
  if (pending.attempts >= maxAttempts) throw tooManyAttempts();
  if (!smsCodeMatches(context.signingSecret, id, channel.phone, code.trim(), pending.codeHash)) {
    const attempts = await context.ledger.addSmsCodeAttempt(id);
    if (attempts >= maxAttempts) {
      await context.ledger.deleteSmsCode(id);
      throw tooManyAttempts();
    }
    const left = maxAttempts - attempts;
    throw new SubscriptionError('wrong-code', `Wrong code: ${left} attempt${left === 1 ? '' : 's'} left.`, {
      field: 'code',
    });
  }
  const result = await updateSubscription(context, id, (current) => {
    const sms = current.channels.find((c) => c.type === 'sms');
    if (sms?.type !== 'sms' || sms.phone !== channel.phone || sms.confirmed) return undefined;
    return { ...current, channels: current.channels.map((c) => (c === sms ? { ...c, confirmed: true } : c)) };
  });
  await context.ledger.deleteSmsCode(id);
  if (result === undefined) throw notFound(id);
  return result.after;
}

function tooManyAttempts(): SubscriptionError {
  return new SubscriptionError('too-many-attempts', 'Too many wrong codes: ask for a new code.', {
    field: 'code',
  });
}
