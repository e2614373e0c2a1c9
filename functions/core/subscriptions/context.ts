import type { EmailSender, SmsSender } from '../ports.ts';
import { SubscriptionError } from './errors.ts';
import type { InputRules } from './input.ts';
import type { ConfirmationLedger, SubscriptionRepository } from './ports.ts';
import type { Subscription } from './subscription.ts';

/** Limits of the subscription service; every one has a default (below). */
export interface SubscriptionLimits {
  /** Subscriptions one user may have. Default 50. */
  readonly maxSubscriptionsPerUser: number;
  /** Confirmation messages (mail or SMS) to one destination per window. Default 5 a day. */
  readonly confirmationsPerDestination: number;
  /** Confirmation messages one user may cause per window. Default 20 a day. */
  readonly confirmationsPerUser: number;
  /** The rate-limit window, seconds. Default one day. */
  readonly confirmationWindowSeconds: number;
  /** How long an SMS code is valid. Default 15 minutes. */
  readonly smsCodeTtlSeconds: number;
  /** Wrong SMS codes allowed before the code is void. Default 5. */
  readonly smsCodeMaxAttempts: number;
  /** How long an e-mail confirmation link is valid. Default 48 hours. */
  readonly emailLinkTtlSeconds: number;
}

export const DEFAULT_LIMITS: SubscriptionLimits = {
  maxSubscriptionsPerUser: 50,
  confirmationsPerDestination: 5,
  confirmationsPerUser: 20,
  confirmationWindowSeconds: 24 * 60 * 60,
  smsCodeTtlSeconds: 15 * 60,
  smsCodeMaxAttempts: 5,
  emailLinkTtlSeconds: 48 * 60 * 60,
};

export interface SubscriptionServiceDeps {
  readonly repository: SubscriptionRepository;
  readonly ledger: ConfirmationLedger;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  /** HMAC key for links and SMS code hashes (at least 32 bytes). */
  readonly signingSecret: string;
  /** Base URL of the public API routes, for confirmation links. */
  readonly publicBaseUrl: string;
  readonly rules: InputRules;
  readonly limits?: Partial<SubscriptionLimits>;
  /** Default: the system clock. */
  readonly now?: () => Date;
  /** Default: random UUIDs. */
  readonly newId?: () => string;
  /** Default: 6 random digits. */
  readonly newSmsCode?: () => string;
}

export interface ServiceContext extends Required<Omit<SubscriptionServiceDeps, 'limits'>> {
  readonly limits: SubscriptionLimits;
}

export function nowSeconds(context: Pick<ServiceContext, 'now'>): number {
  return Math.floor(context.now().getTime() / 1000);
}

/** A timestamp later than `previous`, so that optimistic concurrency on updatedAt always sees a change. */
export function nextTimestamp(context: Pick<ServiceContext, 'now'>, previous?: string): string {
  const now = context.now().getTime();
  const after = previous === undefined ? now : Math.max(now, Date.parse(previous) + 1);
  return new Date(after).toISOString();
}

const MAX_WRITE_ATTEMPTS = 5;

/**
 * Reads, changes and writes one subscription, retrying when someone else wrote in between.
 * `change` returns undefined to leave the subscription as it is.
 */
export async function updateSubscription(
  context: ServiceContext,
  id: string,
  change: (current: Subscription) => Subscription | undefined,
): Promise<{ readonly before: Subscription; readonly after: Subscription } | undefined> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await context.repository.get(id);
    if (current === undefined) return undefined;
    const changed = change(current);
    if (changed === undefined) return { before: current, after: current };
    const next = { ...changed, updatedAt: nextTimestamp(context, current.updatedAt) };
    if (await context.repository.replace(next, current.updatedAt)) return { before: current, after: next };
  }
  throw new Error(`Subscription ${id} kept changing during ${MAX_WRITE_ATTEMPTS} attempts to update it.`);
}

export function notFound(id: string): SubscriptionError {
  return new SubscriptionError(
    'not-found',
    `No subscription '${id.slice(0, 64)}' in your account: list yours with GET /subscriptions.`,
  );
}
