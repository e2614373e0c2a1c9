import { type DeliveryJob, deliveryKey } from '../alerts/delivery.ts';
import { type AlertLinkSettings, renderEmail } from '../alerts/render-email.ts';
import { renderSms } from '../alerts/render-sms.ts';
import { renderTopicMessage } from '../alerts/render-sns.ts';
import {
  type AlertPublisher,
  type EmailSender,
  PermanentSendError,
  type SmsSender,
  type SuppressionList,
  TransientSendError,
} from '../ports.ts';
import { type DeliveryClaims, DestinationRejectedError } from './ports.ts';

export interface DeliveryPorts {
  readonly claims: DeliveryClaims;
  readonly suppressions: SuppressionList;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly topic: AlertPublisher;
}

export interface DeliverySettings extends AlertLinkSettings {
  /** Country calling codes SMS may go to, e.g. `['+1', '+44']` (calling codes are prefix-free). */
  readonly allowedSmsCountries: readonly string[];
  /** How long a delivery is remembered. Default 7 days: far longer than any story's update cycle. */
  readonly claimTtlSeconds?: number;
  /**
   * How long an unsettled claim blocks other copies of the job. Default 60 s: longer than the notifier's
   * timeout, shorter than the deliveries queue's visibility timeout, so a retry after a crash can take over.
   */
  readonly claimLeaseSeconds?: number;
}

export const DEFAULT_CLAIM_TTL_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_CLAIM_LEASE_SECONDS = 60;

export type DeliveryOutcome =
  /** `warning`: sent, but the claim could not be settled (a copy arriving after the lease may send again). */
  | { readonly status: 'sent'; readonly warning?: string }
  /** Sent (or settled) before: this copy sent nothing. */
  | { readonly status: 'duplicate' }
  /** The destination opted out or was suppressed earlier. */
  | { readonly status: 'suppressed' }
  /** Refused for good (bad destination, SMS country not allowed, permanent send error); never retried. */
  | { readonly status: 'rejected'; readonly reason: string; readonly suppressed: boolean };

/**
 * Another copy of the job holds the claim and has not finished. Usually it finishes within a second; if its
 * worker died, the claim's lease runs out. Either way a short retry settles it (see the notifier's backoff).
 */
export class DeliveryInFlightError extends TransientSendError {}

const E164 = /^\+[1-9][0-9]{7,14}$/;

/**
 * Delivers one job at most once: claims its ledger key (a copy already delivered sends nothing), skips a
 * suppressed destination, sends through the channel's port and settles the claim. A TransientSendError
 * releases the claim and is rethrown, so that the queue retries the job later; a PermanentSendError keeps the
 * claim (no retry) and, when the destination itself refused, suppresses it.
 */
export async function deliver(
  job: DeliveryJob,
  ports: DeliveryPorts,
  settings: DeliverySettings,
): Promise<DeliveryOutcome> {
  const refusal = refuseBeforeSending(job, settings);
  if (refusal !== undefined) return { status: 'rejected', reason: refusal, suppressed: false };

  const key = deliveryKey(job);
  const claim = await ports.claims.claim(key, {
    ttlSeconds: settings.claimTtlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS,
    leaseSeconds: settings.claimLeaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS,
  });
  if (claim === 'done') return { status: 'duplicate' };
  if (claim === 'in-flight') {
    throw new DeliveryInFlightError(
      `Delivery ${key} is being sent by another worker; retry later to confirm it.`,
    );
  }

  try {
    if (job.destination !== undefined && (await ports.suppressions.isSuppressed(job.destination))) {
      await ports.claims.settle(key);
      return { status: 'suppressed' };
    }
    await send(job, ports, settings);
  } catch (error) {
    if (error instanceof PermanentSendError) {
      const suppress = error instanceof DestinationRejectedError && job.destination !== undefined;
      if (suppress) await ports.suppressions.suppress(job.destination!, `${job.channel}: ${error.message}`);
      await ports.claims.settle(key);
      return { status: 'rejected', reason: error.message, suppressed: suppress };
    }
    // Transient or unexpected: forget the claim so that the retry may send, then let the queue retry. If the
    // release fails too, the claim's lease runs out before the retry, which then takes the claim over.
    await ports.claims.release(key).catch(() => undefined);
    throw error;
  }
  try {
    await ports.claims.settle(key);
  } catch (error) {
    // The alert is out: failing now would make the queue retry and, after the lease, send it twice.
    return { status: 'sent', warning: `claim ${key} not settled: ${describe(error)}` };
  }
  return { status: 'sent' };
}

function refuseBeforeSending(job: DeliveryJob, settings: DeliverySettings): string | undefined {
  if (job.channel === 'sns') return undefined;
  const destination = job.destination;
  if (destination === undefined || destination === '') return `no destination for the ${job.channel} channel`;
  if (job.channel === 'sms') {
    if (!E164.test(destination)) return 'the phone number is not in E.164 form';
    if (!settings.allowedSmsCountries.some((code) => destination.startsWith(code))) {
      return `SMS to this country is not allowed (allowed: ${settings.allowedSmsCountries.join(', ') || 'none'})`;
    }
  }
  return undefined;
}

async function send(job: DeliveryJob, ports: DeliveryPorts, settings: DeliverySettings): Promise<void> {
  switch (job.channel) {
    case 'email':
      return ports.email.send(renderEmail(job, settings));
    case 'sms':
      return ports.sms.send(job.destination!, renderSms(job));
    case 'sns': {
      const { message, attributes } = renderTopicMessage(job);
      return ports.topic.publish(message, attributes);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
