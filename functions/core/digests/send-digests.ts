import { randomUUID } from 'node:crypto';
import type { AlertLinkSettings } from '../alerts/render-email.ts';
import { forEachLimited } from '../concurrency.ts';
import type { DeliveryMemory } from '../deliveries/control-ports.ts';
import type { DeliveryClaims } from '../deliveries/ports.ts';
import { recordDelivered } from '../deliveries/same-news.ts';
import { deliveryKey } from '../deliveries/types.ts';
import type { EmailSender, SmsSender, SuppressionList } from '../ports.ts';
import { effectiveDelivery, readStoredDelivery } from '../subscriptions/preferences.ts';
import { deliverableChannels, type Subscription } from '../subscriptions/subscription.ts';
import { alertSubscriptionOf, emptyDigestWindow, isEmptyDigestDue } from './empty-digests.ts';
import { type DigestWindow, type PendingAlert, type PendingDigests, windowKey } from './ports.ts';
import {
  digestSections,
  renderDigestEmail,
  renderDigestSms,
  type SameNews,
  sameNewsByText,
} from './render-digest.ts';

export interface DigestPorts {
  readonly pending: PendingDigests;
  readonly claims: DeliveryClaims;
  readonly suppressions: SuppressionList;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  /** Which held alerts are the same news (one digest item); default `sameNewsByText()` (render-digest.ts). */
  readonly sameNews?: SameNews;
  /**
   * Where a digest's recipients are recorded per story (same-news.ts), so that a later kill sends them a
   * withdrawal notice as it does to those alerted at once; absent: not recorded.
   */
  readonly recipients?: DeliveryMemory;
  /**
   * The subscription as it is now (a strongly consistent read), so that a digest does not go to a channel
   * unsubscribed, paused or deleted since its alerts were held; the handler always passes it.
   */
  readonly subscriptions?: { get(id: string): Promise<Subscription | undefined> };
}

export interface DigestSettings extends AlertLinkSettings {
  /** How long a digest's claim blocks another scheduler; after a crash the digest goes once it runs out. */
  readonly leaseSeconds: number;
  /** How long a sent digest (and its alerts) are remembered. */
  readonly ttlSeconds: number;
  /** Windows sent at once. */
  readonly concurrency?: number;
  /** Windows read from the due index at a time; default 500. */
  readonly pageSize?: number;
}

export type DigestOutcome =
  | 'sent'
  | 'empty'
  | 'duplicate'
  | 'in-flight'
  | 'suppressed'
  | 'unsubscribed'
  | 'failed';

export interface DigestRun {
  readonly windows: number;
  readonly outcomes: Readonly<Record<DigestOutcome, number>>;
  /** Alerts that went out in sent digests. */
  readonly alerts: number;
  readonly errors: readonly { readonly window: string; readonly error: unknown }[];
  /** Digests sent whose recipients could not be recorded (a later kill sends them no withdrawal notice). */
  readonly warnings: readonly { readonly window: string; readonly error: unknown }[];
}

/** Windows read per query of the due index. */
const PAGE = 500;

/**
 * Sends every digest due by `dueBy`, each at most once: a ledger claim per window (`digest#<window>`), so two
 * schedulers firing together send one digest, and a worker that dies mid-send leaves a claim whose lease runs
 * out, after which the next run sends it (a crash between the send and the settle is the one case that sends
 * twice, as for alerts). Alerts whose story was killed or that were sent some other way are dropped; an empty
 * digest is sent only when the subscription asked for "no new stories" (then each digest opens the next due
 * time first: empty-digests.ts). Once settled, the alerts' delivery keys
 * are marked sent too (a later copy or update of those stories sends nothing), and the window is removed.
 */
export async function sendDueDigests(
  ports: DigestPorts,
  settings: DigestSettings,
  dueBy: number,
): Promise<DigestRun> {
  const outcomes: Record<DigestOutcome, number> = {
    sent: 0,
    empty: 0,
    duplicate: 0,
    'in-flight': 0,
    suppressed: 0,
    unsubscribed: 0,
    failed: 0,
  };
  const errors: { window: string; error: unknown }[] = [];
  const warnings: { window: string; error: unknown }[] = [];
  let alerts = 0;
  let windows = 0;
  const seen = new Set<string>();
  for await (const page of ports.pending.dueWindows(dueBy, settings.pageSize ?? PAGE)) {
    // The walk gives each window once; the set only guards against a window read twice in one run.
    const due = page.filter((window) => !seen.has(windowKey(window)));
    for (const window of due) seen.add(windowKey(window));
    windows += due.length;
    await forEachLimited(due, settings.concurrency ?? 8, async (window) => {
      try {
        const { outcome, sent, recipientsError } = await sendDigest(window, ports, settings);
        outcomes[outcome]++;
        alerts += sent;
        if (recipientsError !== undefined)
          warnings.push({ window: windowKey(window), error: recipientsError });
      } catch (error) {
        outcomes.failed++;
        errors.push({ window: windowKey(window), error });
      }
    });
  }
  return { windows, outcomes, alerts, errors, warnings };
}

async function sendDigest(
  window: DigestWindow,
  ports: DigestPorts,
  settings: DigestSettings,
): Promise<{ outcome: DigestOutcome; sent: number; recipientsError?: unknown }> {
  const key = `digest#${windowKey(window)}`;
  const token = randomUUID();
  const claim = await ports.claims.claim(key, {
    ttlSeconds: settings.ttlSeconds,
    leaseSeconds: settings.leaseSeconds,
    token,
  });
  if (claim === 'in-flight') return { outcome: 'in-flight', sent: 0 };
  if (claim === 'done') {
    // Sent before: by a run that stopped before removing it, or alerts were held into it after it was read (an
    // alert held just before the due time, or a window fired early). Those not sent move to a window 1 ms
    // later, which is due too: nothing is lost, and nothing sent goes again.
    const left = await ports.pending.alertsOf(window);
    const { settled } = await ports.claims.lookUp(
      [...new Set(left.map((alert) => deliveryKey(alert.job)))],
      [],
    );
    const late = left.filter((alert) => !settled.has(deliveryKey(alert.job)));
    if (late.length > 0) {
      await ports.pending.hold(
        late.map((alert) => ({ ...alert, window: { ...window, dueAt: window.dueAt + 1 } })),
      );
    }
    await ports.pending.remove(window, left);
    return { outcome: 'duplicate', sent: 0 };
  }
  let sentOut = false;
  try {
    const all = await ports.pending.alertsOf(window);
    // One strongly consistent read: the alerts sent meanwhile, and the stories killed while they waited.
    const { settled, withdrawn } = await ports.claims.lookUp(
      [...new Set(all.map((alert) => deliveryKey(alert.job)))],
      [...new Set(all.map((alert) => alert.job.story.id))],
    );
    const live = all.filter(
      (alert) => !settled.has(deliveryKey(alert.job)) && !withdrawn.has(alert.job.story.id),
    );
    const finish = async (outcome: DigestOutcome) => {
      await ports.claims.settle([key, ...new Set(live.map((alert) => deliveryKey(alert.job)))], {
        ttlSeconds: settings.ttlSeconds,
      });
      await ports.pending.remove(window, all);
      return { outcome, sent: outcome === 'sent' ? live.length : 0 };
    };
    if ((await ports.suppressions.suppressedAmong([window.destination])).size > 0)
      return await finish('suppressed');
    let current: Subscription | undefined;
    if (ports.subscriptions !== undefined) {
      current = await ports.subscriptions.get(window.subscriptionId);
      if (current === undefined || !stillGoesTo(current, window)) return await finish('unsubscribed');
      // "No new stories": the next due time is opened before this one settles, so that a crash leaves no gap.
      const next = window.channel === 'email' ? emptyDigestWindow(current, window.dueAt) : undefined;
      if (next !== undefined) await ports.pending.open([next]);
    }
    const held =
      all[0]?.job.subscription ?? (current === undefined ? undefined : alertSubscriptionOf(current));
    if (held === undefined) return await finish('empty');
    const subscription = current === undefined ? held : { ...held, name: current.name };
    // An empty digest goes on the subscription's current cadence only: not at a time it changed away from.
    const sendEmpty =
      current === undefined
        ? effectiveDelivery(readStoredDelivery(held.delivery)).sendEmpty
        : current.delivery?.sendEmpty === true && (all.length > 0 || isEmptyDigestDue(current, window.dueAt));
    if (live.length === 0 && !(sendEmpty && window.channel === 'email')) return await finish('empty');
    const sections = digestSections(live, ports.sameNews ?? sameNewsByText());
    if (window.channel === 'email') {
      await ports.email.send(renderDigestEmail(window.destination, subscription, sections, settings));
    } else {
      const text = renderDigestSms(sections);
      if (text !== undefined) await ports.sms.send(window.destination, text);
    }
    sentOut = true;
    const done = await finish('sent');
    // After the settle: a failure here must not make the digest go again; it is reported instead.
    if (ports.recipients === undefined) return done;
    try {
      await recordRecipients(live, ports.recipients, settings.ttlSeconds);
      return done;
    } catch (error) {
      return { ...done, recipientsError: error };
    }
  } catch (error) {
    // Not sent: the next run may take it over at once. Sent but not settled: the lease holds it meanwhile.
    if (!sentOut) await ports.claims.release([key], token).catch(() => undefined);
    throw error;
  }
}

/** Records who received each story of a sent digest, as the notifier does for the alerts it sends. */
async function recordRecipients(
  live: readonly PendingAlert[],
  memory: DeliveryMemory,
  ttlSeconds: number,
): Promise<void> {
  const byStory = new Map<string, PendingAlert[]>();
  for (const alert of live) {
    const list = byStory.get(alert.job.story.id);
    if (list === undefined) byStory.set(alert.job.story.id, [alert]);
    else list.push(alert);
  }
  for (const alerts of byStory.values()) {
    const results = alerts.map(({ job }) => ({ job, outcome: { status: 'sent' as const } }));
    await recordDelivered(alerts[0]!.job.story, results, memory, { ttlSeconds });
  }
}

/** The subscription is active and still has this window's channel, confirmed, with the same destination. */
function stillGoesTo(subscription: Subscription, window: DigestWindow): boolean {
  return deliverableChannels(subscription).some(
    (channel) =>
      channel.type === window.channel &&
      (channel.type === 'email' ? channel.address : channel.type === 'sms' ? channel.phone : '') ===
        window.destination,
  );
}
