import { randomUUID } from 'node:crypto';
import type { AlertLinkSettings } from '../alerts/render-email.ts';
import type { DeliveryClaims } from '../deliveries/ports.ts';
import { type DeliveryJob, deliveryKey } from '../deliveries/types.ts';
import type { EmailSender } from '../ports.ts';
import { type DeliveryPreferences, readStoredDelivery } from '../subscriptions/preferences.ts';
import type { AlertCounters, CadenceSwitch, PendingAlert, PendingDigests } from './ports.ts';
import { renderCapNotice } from './render-digest.ts';
import {
  cadenceAfterDailyCap,
  type Route,
  scheduledRoute,
  throttledRoute,
  throttleVerdict,
} from './routing.ts';
import { localDate } from './schedule.ts';

export interface RoutingPorts {
  readonly pending: PendingDigests;
  readonly counters: AlertCounters;
  readonly claims: DeliveryClaims;
  readonly email: EmailSender;
  /** Where an immediate subscription past its daily cap becomes a daily digest. */
  readonly cadence: CadenceSwitch;
}

export interface RoutedJobs {
  /** To deliver now (deliverAll). */
  readonly sendNow: DeliveryJob[];
  /** Stored as pending digest items. */
  readonly held: PendingAlert[];
  /** Subscriptions that passed their daily cap with this message and were told so (once a local day). */
  readonly capNotices: string[];
  /** Of those, the ones whose e-mail cadence became a daily digest. */
  readonly switchedToDaily: string[];
}

const HOUR_MS = 3_600_000;
/** Counters and notice markers outlive their day in every time zone. */
const COUNTER_TTL_SECONDS = 3 * 24 * 3600;

/**
 * The notifier's step before claiming: each job of a message goes now or into a pending digest, by its
 * subscription's preferences (cadence, quiet hours), then by the throttle (one count per subscription and story,
 * for the jobs that would go now on e-mail or SMS). Held jobs already delivered are not held again; storing is
 * idempotent, so a redelivered message holds nothing twice. The first alert past the daily cap sends the
 * subscriber one notice e-mail (a ledger claim per subscription and local day).
 */
export async function routeJobs(
  jobs: readonly DeliveryJob[],
  ports: RoutingPorts,
  links: AlertLinkSettings,
  now: number,
): Promise<RoutedJobs> {
  const sendNow: DeliveryJob[] = [];
  const held: PendingAlert[] = [];
  const capNotices: string[] = [];
  const switchedToDaily: string[] = [];
  const bySubscription = new Map<string, DeliveryJob[]>();
  for (const job of jobs) {
    const group = bySubscription.get(job.subscription.id);
    if (group === undefined) bySubscription.set(job.subscription.id, [job]);
    else group.push(job);
  }
  for (const group of bySubscription.values()) {
    const first = group[0]!;
    const stored = readStoredDelivery(first.subscription.delivery);
    if (stored === undefined) {
      // Made before delivery control (or preferences no longer valid): as before, everything at once.
      sendNow.push(...group);
      continue;
    }
    const preferences = stored;
    const routes = group.map((job) => scheduledRoute(job.channel, job.story.urgency, preferences, now));
    const counted = group.filter((job, at) => routes[at]!.action === 'send' && job.channel !== 'sns');
    if (counted.length > 0) {
      const counts = await ports.counters.count(
        first.subscription.id,
        first.story.id,
        counterWindows(now, preferences),
        { hour: preferences.maxPerHour, day: preferences.dailyCap },
      );
      const verdict = throttleVerdict(counts, preferences);
      if (verdict !== 'within') {
        const over = throttledRoute(verdict, preferences, now);
        group.forEach((job, at) => {
          if (counted.includes(job)) routes[at] = over;
        });
        if (verdict === 'over-day') {
          const told = await capNotice(group, preferences, ports, links, now);
          if (told !== 'none') capNotices.push(first.subscription.id);
          if (told === 'switched') switchedToDaily.push(first.subscription.id);
        }
      }
    }
    group.forEach((job, at) => {
      const route: Route = routes[at]!;
      if (route.action === 'send') sendNow.push(job);
      else if (job.channel !== 'sns' && job.destination !== undefined) {
        held.push({
          window: {
            subscriptionId: job.subscription.id,
            channel: job.channel,
            destination: job.destination,
            dueAt: route.dueAt,
          },
          reason: route.reason,
          job,
          heldAt: now,
        });
      }
    });
  }
  if (held.length === 0) return { sendNow, held, capNotices, switchedToDaily };
  // A copy of an alert already sent (before the subscriber chose a digest, or by an earlier copy) stays sent.
  const { settled } = await ports.claims.lookUp(
    [...new Set(held.map((alert) => deliveryKey(alert.job)))],
    [],
  );
  const toHold = held.filter((alert) => !settled.has(deliveryKey(alert.job)));
  if (toHold.length > 0) await ports.pending.hold(toHold);
  return { sendNow, held: toHold, capNotices, switchedToDaily };
}

/** The UTC hour and the subscriber's local day. */
export function counterWindows(now: number, preferences: Pick<DeliveryPreferences, 'timeZone'>) {
  return { hour: String(Math.floor(now / HOUR_MS)), day: localDate(now, preferences.timeZone) };
}

/**
 * Past the daily cap, once per subscription and local day (a ledger claim): an immediate subscription becomes a
 * daily digest (a conditional update of the subscription) and its e-mail address is told so; one whose e-mail is
 * already a digest is told that the rest of the day is held. Nothing is sent when the subscription changed
 * meanwhile (the subscriber did it) or has no e-mail.
 */
async function capNotice(
  group: readonly DeliveryJob[],
  preferences: DeliveryPreferences,
  ports: RoutingPorts,
  links: AlertLinkSettings,
  now: number,
): Promise<'none' | 'held-today' | 'switched'> {
  const email = group.find((job) => job.channel === 'email' && job.destination !== undefined);
  if (email === undefined) return 'none';
  const key = `cap-notice#${email.subscription.id}#${localDate(now, preferences.timeZone)}`;
  const token = randomUUID();
  const claim = await ports.claims.claim(key, { ttlSeconds: COUNTER_TTL_SECONDS, leaseSeconds: 60, token });
  if (claim !== 'claimed') return 'none';
  try {
    const daily = cadenceAfterDailyCap(preferences);
    // The switch is idempotent: after a crash past it, the retry finds it made and still sends the notice.
    const switched =
      daily === undefined
        ? 'unchanged'
        : await ports.cadence.switchToDaily(email.subscription.id, daily, now);
    if (daily !== undefined && switched === 'unchanged') {
      await ports.claims.settle([key], { ttlSeconds: COUNTER_TTL_SECONDS });
      return 'none';
    }
    await ports.email.send(
      renderCapNotice(email, preferences, links, switched === 'switched' ? daily : undefined),
    );
    await ports.claims.settle([key], { ttlSeconds: COUNTER_TTL_SECONDS });
    return switched === 'switched' ? 'switched' : 'held-today';
  } catch (error) {
    await ports.claims.release([key], token).catch(() => undefined);
    throw error;
  }
}
