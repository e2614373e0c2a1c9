import {
  type Cadence,
  DEFAULT_DAILY_DIGEST_AT,
  type DeliveryPreferences,
} from '../subscriptions/preferences.ts';
import type { ChannelType } from '../subscriptions/subscription.ts';
import { inQuietHours, nextDigestTime, nextLocalHour, nextLocalTime, quietHoursEnd } from './schedule.ts';

/**
 * Where one alert goes now: out, or into a pending digest due at `dueAt` (epoch ms), and why:
 * - `digest`: the e-mail cadence is a digest;
 * - `quiet-hours`: the channel is in the subscriber's quiet hours (held until they end);
 * - `throttled`: past the hourly limit (held until the next local top of the hour);
 * - `daily-cap`: past the daily cap (the rest of the day goes into one daily digest).
 */
export type Route =
  | { readonly action: 'send' }
  | { readonly action: 'hold'; readonly reason: HoldReason; readonly dueAt: number };
export type HoldReason = 'digest' | 'quiet-hours' | 'throttled' | 'daily-cap';

const SEND: Route = { action: 'send' };

/** Urgency 1 (flash) and 2 (bulletin): what quiet hours let through when the subscriber allows it. */
export function isUrgent(urgency: number | undefined): boolean {
  return urgency !== undefined && urgency >= 1 && urgency <= 2;
}

/** Cadence and quiet hours for one channel; the topic always goes at once. */
export function scheduledRoute(
  channel: ChannelType,
  urgency: number | undefined,
  preferences: DeliveryPreferences,
  now: number,
): Route {
  if (channel === 'sns') return SEND;
  const { timeZone, quietHours } = preferences;
  if (channel === 'email') {
    const dueAt = nextDigestTime(preferences.email, now, timeZone);
    if (dueAt !== undefined) return { action: 'hold', reason: 'digest', dueAt };
  }
  if (
    quietHours?.channels.includes(channel) &&
    inQuietHours(now, timeZone, quietHours) &&
    !(quietHours.urgentBypass && isUrgent(urgency))
  ) {
    return { action: 'hold', reason: 'quiet-hours', dueAt: quietHoursEnd(now, timeZone, quietHours) };
  }
  return SEND;
}

/** What the throttle counters said about one more immediate alert of a subscription. */
export type ThrottleVerdict = 'within' | 'over-hour' | 'over-day';

/** The verdict for counts that include this alert. */
export function throttleVerdict(
  counts: { readonly hour: number; readonly day: number },
  preferences: Pick<DeliveryPreferences, 'maxPerHour' | 'dailyCap'>,
): ThrottleVerdict {
  if (preferences.dailyCap !== undefined && counts.day > preferences.dailyCap) return 'over-day';
  if (counts.hour > preferences.maxPerHour) return 'over-hour';
  return 'within';
}

/** Where an alert that would go now goes once the throttle has spoken. */
export function throttledRoute(
  verdict: ThrottleVerdict,
  preferences: DeliveryPreferences,
  now: number,
): Route {
  if (verdict === 'within') return SEND;
  if (verdict === 'over-hour')
    return { action: 'hold', reason: 'throttled', dueAt: nextLocalHour(now, preferences.timeZone) };
  const at = preferences.email.kind === 'daily' ? preferences.email.at : DEFAULT_DAILY_DIGEST_AT;
  return { action: 'hold', reason: 'daily-cap', dueAt: nextLocalTime(now, preferences.timeZone, at) };
}

/**
 * What the e-mail cadence becomes past the daily cap: an immediate subscription turns into a daily digest (at
 * the default time, when the rest of that day is sent too); a digest cadence stays as it is.
 */
export function cadenceAfterDailyCap(
  preferences: Pick<DeliveryPreferences, 'email'>,
): Extract<Cadence, { kind: 'daily' }> | undefined {
  return preferences.email.kind === 'immediate' ? { kind: 'daily', at: DEFAULT_DAILY_DIGEST_AT } : undefined;
}
