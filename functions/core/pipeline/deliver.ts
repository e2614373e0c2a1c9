import { type DeliveryJob, deliveryKey } from '../alerts/delivery.ts';
import { type AlertLinkSettings, renderEmail } from '../alerts/render-email.ts';
import { renderSms } from '../alerts/render-sms.ts';
import { renderTopicMessage } from '../alerts/render-sns.ts';
import { forEachLimited } from '../concurrency.ts';
import {
  type AlertPublisher,
  type EmailSender,
  MAX_TOPIC_BATCH,
  PermanentSendError,
  type SmsSender,
  type SuppressionList,
  TransientSendError,
} from '../ports.ts';
import { type ClaimResult, type DeliveryClaims, DestinationRejectedError } from './ports.ts';

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

/** What became of one job of a batch: an outcome, or a failure that the queue should retry. */
export type DeliveryResult =
  | { readonly job: DeliveryJob; readonly outcome: DeliveryOutcome }
  | { readonly job: DeliveryJob; readonly error: unknown };

/** Jobs of one message sent at once (each is a claim and a send); default 8. */
export const DEFAULT_DELIVERY_CONCURRENCY = 8;

/**
 * Delivers a batch of jobs (one deliveries-queue message: alerts of one story), each at most once. One read
 * finds the jobs already delivered (a redelivered message or a story update costs one request, not two per
 * job) and one the suppressed destinations; then each remaining job claims its ledger key with a conditional
 * write and is sent through its channel's port; the final claims are settled together at the end.
 *
 * A TransientSendError (or any unexpected error) releases the job's claim and comes back as its `error`, so
 * that the queue retries the message: the jobs that did go out are duplicates then and send nothing. A
 * PermanentSendError keeps the claim (no retry) and, when the destination itself refused, suppresses it.
 */
export async function deliverAll(
  jobs: readonly DeliveryJob[],
  ports: DeliveryPorts,
  settings: DeliverySettings,
  concurrency: number = DEFAULT_DELIVERY_CONCURRENCY,
): Promise<DeliveryResult[]> {
  const results: (DeliveryResult | undefined)[] = new Array(jobs.length);
  const pending: number[] = [];
  jobs.forEach((job, index) => {
    const refusal = refuseBeforeSending(job, settings);
    if (refusal === undefined) pending.push(index);
    else results[index] = { job, outcome: { status: 'rejected', reason: refusal, suppressed: false } };
  });
  const keys = jobs.map(deliveryKey);

  let claimable = pending;
  let suppressed: ReadonlySet<string> = new Set();
  try {
    const settled = await ports.claims.settledAmong(unique(pending.map((index) => keys[index]!)));
    claimable = pending.filter((index) => {
      if (!settled.has(keys[index]!)) return true;
      results[index] = { job: jobs[index]!, outcome: { status: 'duplicate' } };
      return false;
    });
    suppressed = await ports.suppressions.suppressedAmong(
      unique(claimable.map((index) => jobs[index]!.destination).filter((d): d is string => d !== undefined)),
    );
  } catch (error) {
    // Nothing was claimed yet: every job still open fails as a whole and the message is retried.
    for (const index of claimable) results[index] = { job: jobs[index]!, error };
    return results as DeliveryResult[];
  }

  const toSettle: string[] = [];
  const toRelease: string[] = [];
  const claimOptions = {
    ttlSeconds: settings.claimTtlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS,
    leaseSeconds: settings.claimLeaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS,
  };
  /** Records what became of a claimed job once its send returned (`error` undefined) or failed. */
  const finish = async (index: number, error: unknown): Promise<void> => {
    const job = jobs[index]!;
    const key = keys[index]!;
    if (error === undefined) {
      results[index] = { job, outcome: { status: 'sent' } };
      toSettle.push(key);
      return;
    }
    if (error instanceof PermanentSendError) {
      const suppress = error instanceof DestinationRejectedError && job.destination !== undefined;
      try {
        if (suppress) await ports.suppressions.suppress(job.destination!, `${job.channel}: ${error.message}`);
      } catch (suppressError) {
        // Not recorded: release, so that the retry records it (and finds the destination refusing again).
        toRelease.push(key);
        results[index] = { job, error: suppressError };
        return;
      }
      toSettle.push(key);
      results[index] = { job, outcome: { status: 'rejected', reason: error.message, suppressed: suppress } };
      return;
    }
    // Transient or unexpected: forget the claim so that the retry may send. If the release fails too, the
    // claim's lease runs out before the retry, which then takes the claim over.
    toRelease.push(key);
    results[index] = { job, error };
  };

  // Topic alerts are published together after their claims, up to 10 a request.
  const claimedForTopic: number[] = [];
  await forEachLimited(claimable, concurrency, async (index) => {
    const job = jobs[index]!;
    const key = keys[index]!;
    let claim: ClaimResult;
    try {
      claim = await ports.claims.claim(key, claimOptions);
    } catch (error) {
      results[index] = { job, error };
      return;
    }
    if (claim !== 'claimed') {
      results[index] =
        claim === 'done'
          ? { job, outcome: { status: 'duplicate' } }
          : {
              job,
              error: new DeliveryInFlightError(
                `Delivery ${key} is being sent by another worker; retry later to confirm it.`,
              ),
            };
      return;
    }
    if (job.destination !== undefined && suppressed.has(job.destination)) {
      results[index] = { job, outcome: { status: 'suppressed' } };
      toSettle.push(key);
      return;
    }
    if (job.channel === 'sns') {
      claimedForTopic.push(index);
      return;
    }
    let failure: unknown;
    try {
      await sendOne(job, ports, settings);
    } catch (error) {
      failure = error ?? new Error('send failed');
    }
    await finish(index, failure);
  });
  await forEachLimited(chunks(claimedForTopic, MAX_TOPIC_BATCH), concurrency, async (batch) => {
    let failures: readonly unknown[];
    try {
      failures = await ports.topic.publish(batch.map((index) => renderTopicMessage(jobs[index]!)));
    } catch (error) {
      failures = batch.map(() => error ?? new Error('publish failed'));
    }
    for (const [position, index] of batch.entries()) await finish(index, failures[position]);
  });

  if (toRelease.length > 0) await ports.claims.release(toRelease).catch(() => undefined);
  if (toSettle.length > 0) {
    try {
      await ports.claims.settle(toSettle, claimOptions);
    } catch (error) {
      // The alerts are out: failing now would make the queue retry and, after the lease, send them twice.
      const warning = `claims not settled: ${describe(error)}`;
      for (const [index, result] of results.entries()) {
        if (result !== undefined && 'outcome' in result && result.outcome.status === 'sent') {
          results[index] = { job: result.job, outcome: { status: 'sent', warning } };
        }
      }
    }
  }
  return results as DeliveryResult[];
}

/** One job through `deliverAll`: its outcome, or its failure thrown. */
export async function deliver(
  job: DeliveryJob,
  ports: DeliveryPorts,
  settings: DeliverySettings,
): Promise<DeliveryOutcome> {
  const [result] = await deliverAll([job], ports, settings);
  if (result === undefined) throw new Error('deliverAll returned no result for the job');
  if ('error' in result) throw result.error;
  return result.outcome;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
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

/** Sends an e-mail or SMS job (topic jobs go in batches, through `ports.topic`). */
async function sendOne(job: DeliveryJob, ports: DeliveryPorts, settings: DeliverySettings): Promise<void> {
  if (job.channel === 'email') return ports.email.send(renderEmail(job, settings));
  return ports.sms.send(job.destination!, renderSms(job));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
