import { randomUUID } from 'node:crypto';
import { type AlertLinkSettings, renderEmail } from '../alerts/render-email.ts';
import { renderSms } from '../alerts/render-sms.ts';
import { renderTopicMessage } from '../alerts/render-sns.ts';
import { forEachLimited } from '../concurrency.ts';
import { describeError } from '../describe-error.ts';
import {
  type AlertPublisher,
  type EmailSender,
  MAX_TOPIC_BATCH,
  PermanentSendError,
  type SmsSender,
  type SuppressionList,
} from '../ports.ts';
import { smsRefusal } from '../subscriptions/phone.ts';
import { DeliveryInFlightError, DestinationRejectedError, SenderRejectedError } from './errors.ts';
import type { DeliveryClaims, PriorDeliveries } from './ports.ts';
import { type DeliveryJob, deliveryKey } from './types.ts';

export interface DeliveryPorts {
  readonly claims: DeliveryClaims;
  readonly suppressions: SuppressionList;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly topic: AlertPublisher;
}

export interface DeliverySettings extends AlertLinkSettings {
  /** ISO 3166 countries SMS may go to, e.g. `['US', 'CA', 'GB']` (see subscriptions/phone.ts). */
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
  /**
   * `warning`: sent, but the claim could not be settled after retries: the caller must get the settle retried
   * (the notifier queues a settle notice), or a copy arriving after the lease may send again.
   */
  | { readonly status: 'sent'; readonly warning?: string }
  /** Sent (or settled) before: this copy sent nothing. */
  | { readonly status: 'duplicate' }
  /** The destination opted out or was suppressed earlier. */
  | { readonly status: 'suppressed' }
  /** The story was killed: this alert must not go out. */
  | { readonly status: 'withdrawn' }
  /** Refused for good (bad destination, SMS country not allowed, permanent send error); never retried. */
  | { readonly status: 'rejected'; readonly reason: string; readonly suppressed: boolean }
  /**
   * The sending service refused it until an operator acts (SenderRejectedError): not sent, not settled (its
   * claim released), for the caller to record where the operator sees it.
   */
  | { readonly status: 'sender-refused'; readonly reason: string };

/** What became of one job of a batch: an outcome, or a failure that the queue should retry. */
export type DeliveryResult =
  | { readonly job: DeliveryJob; readonly outcome: DeliveryOutcome }
  | { readonly job: DeliveryJob; readonly error: unknown };

/** Jobs of one message sent at once (each is a claim and a send); default 8. */
export const DEFAULT_DELIVERY_CONCURRENCY = 8;

/**
 * Where one alert of a message stands. Every alert starts `pending` and ends in one of the final states:
 * `duplicate` (sent before), `withdrawn` (its story was killed), `suppressed`, `rejected` (refused for good),
 * `sent` (its claim settled, or not: `settleError`), or `failed` (to be retried; its claim released or never
 * taken).
 */
type AlertState =
  | { readonly name: 'pending' }
  | { readonly name: 'claimed' }
  | { readonly name: 'duplicate' }
  | { readonly name: 'withdrawn' }
  | { readonly name: 'suppressed' }
  | { readonly name: 'rejected'; readonly reason: string; readonly suppressed: boolean }
  | { readonly name: 'sender-refused'; readonly reason: string }
  | { readonly name: 'sent'; readonly settleError?: unknown }
  | { readonly name: 'failed'; readonly error: unknown };

interface Alert {
  readonly job: DeliveryJob;
  readonly key: string;
  state: AlertState;
  /** True once its send failed in a way a retry may fix: its claim is released at the end. */
  release?: boolean;
}

/**
 * Delivers a batch of jobs (one deliveries-queue message: alerts of one story), each at most once. One read
 * (`readBeforeSending`, strongly consistent; `early` when the caller started it already) finds the jobs
 * already delivered (a redelivered message or a story update costs one request, not two per job), whether the
 * story was killed and the suppressed destinations; then each
 * remaining job claims its ledger key with a conditional write (with this attempt's token), is sent through
 * its channel's port, and is settled at once. Settles are group-committed: those that finish while one
 * BatchWriteItem is on its way go together in the next; when `concurrency` settles are already waiting, a send
 * slot waits for its own, so that at any time at most `concurrency` alerts are being sent and at most
 * `concurrency` more are sent but not yet settled: a crash repeats at most those.
 *
 * A TransientSendError (or any unexpected error) releases the job's claim (only if still ours) and comes
 * back as its `error`, so that the queue retries the message: the jobs that did go out are duplicates then and
 * send nothing. A PermanentSendError keeps the claim (no retry) and, when the destination itself refused,
 * suppresses it. A settle that keeps failing comes back as `sent` with a `warning`, for the caller to retry.
 */
export async function deliverAll(
  jobs: readonly DeliveryJob[],
  ports: DeliveryPorts,
  settings: DeliverySettings,
  concurrency: number = DEFAULT_DELIVERY_CONCURRENCY,
  early?: Promise<ReadsBeforeSending>,
): Promise<DeliveryResult[]> {
  const alerts: Alert[] = jobs.map((job) => {
    const refusal = refuseBeforeSending(job, settings);
    const state: AlertState =
      refusal === undefined ? { name: 'pending' } : { name: 'rejected', reason: refusal, suppressed: false };
    return { job, key: deliveryKey(job), state };
  });
  const pending = () => alerts.filter((alert) => alert.state.name === 'pending');

  let suppressed: ReadonlySet<string> = new Set();
  try {
    const reads = await readsFor(
      pending().map((alert) => alert.job),
      ports,
      early,
    );
    for (const alert of pending()) {
      if (reads.some(({ settled }) => settled.has(alert.key))) alert.state = { name: 'duplicate' };
      else if (reads.some(({ withdrawn }) => withdrawn.has(alert.job.story.id)))
        alert.state = { name: 'withdrawn' };
    }
    suppressed = new Set(reads.flatMap((read) => [...read.suppressed]));
  } catch (error) {
    // Nothing was claimed yet: every job still open fails as a whole and the message is retried.
    for (const alert of pending()) alert.state = { name: 'failed', error };
    return alerts.map(toResult);
  }

  const token = randomUUID();
  const claimOptions = {
    ttlSeconds: settings.claimTtlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS,
    leaseSeconds: settings.claimLeaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS,
    token,
  };
  const settler = new GroupSettle(ports.claims, claimOptions, concurrency);
  const settling: Promise<void>[] = [];
  /** Queues the settle; the send slot waits for it only when `concurrency` settles are already waiting. */
  const settleSoon = async (alert: Alert) => {
    const settled = settleNow(alert, settler);
    settling.push(settled);
    if (settler.backlog() > concurrency) {
      settler.flush();
      await settled;
    }
  };
  const finish = async (alert: Alert, error: unknown) => {
    await afterSend(alert, error, ports);
    if (alert.state.name === 'sent' || alert.state.name === 'rejected') await settleSoon(alert);
  };

  // Topic alerts are published together after their claims, up to 10 a request.
  const claimedForTopic: Alert[] = [];
  await forEachLimited(pending(), concurrency, async (alert) => {
    try {
      const claim = await ports.claims.claim(alert.key, claimOptions);
      if (claim === 'done') alert.state = { name: 'duplicate' };
      else if (claim === 'in-flight') {
        const message = `Delivery ${alert.key} is being sent by another worker; retry later to confirm it.`;
        alert.state = { name: 'failed', error: new DeliveryInFlightError(message) };
      } else alert.state = { name: 'claimed' };
    } catch (error) {
      alert.state = { name: 'failed', error };
    }
    if (alert.state.name !== 'claimed') return;
    if (alert.job.destination !== undefined && suppressed.has(alert.job.destination)) {
      alert.state = { name: 'suppressed' };
      await settleSoon(alert);
      return;
    }
    if (alert.job.channel === 'sns') {
      claimedForTopic.push(alert);
      return;
    }
    let failure: unknown;
    try {
      await sendOne(alert.job, ports, settings);
    } catch (error) {
      failure = error ?? new Error('send failed');
    }
    await finish(alert, failure);
  });
  // At most `concurrency` topic alerts in flight too: batches of up to 10, as many at once as fit.
  const topicBatch = Math.min(MAX_TOPIC_BATCH, concurrency);
  const topicBatchesAtOnce = Math.max(1, Math.floor(concurrency / topicBatch));
  await forEachLimited(chunks(claimedForTopic, topicBatch), topicBatchesAtOnce, async (batch) => {
    let failures: readonly unknown[];
    try {
      failures = await ports.topic.publish(batch.map((alert) => renderTopicMessage(alert.job)));
    } catch (error) {
      failures = batch.map(() => error ?? new Error('publish failed'));
    }
    await Promise.all(batch.map((alert, position) => finish(alert, failures[position])));
  });

  settler.flush();
  await Promise.all(settling);
  const toRelease = alerts.filter((alert) => alert.release).map((alert) => alert.key);
  // If the release fails too, the claim's lease runs out before a retry takes it over.
  if (toRelease.length > 0) await ports.claims.release(toRelease, token).catch(() => undefined);
  return alerts.map(toResult);
}

/**
 * What one read before sending found (`readBeforeSending`): of the delivery keys, story ids and destinations it
 * asked about, the settled, the killed and the suppressed.
 */
export interface ReadsBeforeSending extends PriorDeliveries {
  readonly keys: ReadonlySet<string>;
  readonly storyIds: ReadonlySet<string>;
  readonly destinations: ReadonlySet<string>;
  readonly suppressed: ReadonlySet<string>;
}

/**
 * The ledger read before these jobs are claimed: settled claims, kill tombstones and suppressed destinations
 * (strongly consistent), asked at once so that an adapter that coalesces reads makes it one request. The
 * notifier starts it with the message's other reads (its near-duplicate group) and hands it to `deliverAll`.
 */
export async function readBeforeSending(
  jobs: readonly DeliveryJob[],
  ports: Pick<DeliveryPorts, 'claims' | 'suppressions'>,
): Promise<ReadsBeforeSending> {
  const keys = unique(jobs.map((job) => deliveryKey(job)));
  const storyIds = unique(jobs.map((job) => job.story.id));
  const destinations = unique(
    jobs.flatMap((job) => (job.destination === undefined ? [] : [job.destination])),
  );
  const [prior, suppressed] = await Promise.all([
    ports.claims.lookUp(keys, storyIds),
    ports.suppressions.suppressedAmong(destinations),
  ]);
  return {
    ...prior,
    suppressed,
    keys: new Set(keys),
    storyIds: new Set(storyIds),
    destinations: new Set(destinations),
  };
}

/**
 * The reads that answer for `jobs`: the early one (if any), and a read of what it did not ask about (keys of a
 * near-duplicate group or an update, which were not known when it started).
 */
async function readsFor(
  jobs: readonly DeliveryJob[],
  ports: DeliveryPorts,
  early: Promise<ReadsBeforeSending> | undefined,
): Promise<ReadsBeforeSending[]> {
  if (jobs.length === 0) return [];
  const earlier = early === undefined ? undefined : await early;
  const missing =
    earlier === undefined
      ? jobs
      : jobs.filter(
          (job) =>
            !earlier.keys.has(deliveryKey(job)) ||
            !earlier.storyIds.has(job.story.id) ||
            (job.destination !== undefined && !earlier.destinations.has(job.destination)),
        );
  const later = missing.length === 0 ? undefined : await readBeforeSending(missing, ports);
  return [earlier, later].filter((read): read is ReadsBeforeSending => read !== undefined);
}

/** Settles an alert in a final state; a settle that keeps failing is kept on the `sent` state for the caller. */
async function settleNow(alert: Alert, settler: GroupSettle): Promise<void> {
  try {
    await settler.settle(alert.key);
  } catch (settleError) {
    if (alert.state.name === 'sent') alert.state = { name: 'sent', settleError };
  }
}

/** Settle writes in one BatchWriteItem at most (DynamoDB's limit). */
const MAX_SETTLE_BATCH = 25;
/** Attempts of one settle batch before its alerts are reported unsettled (pauses of 50, 200 ms). */
const SETTLE_ATTEMPTS = 3;

/**
 * Group commit of settles, one write in flight at a time, up to 25 keys each. A write starts once `groupSize`
 * keys wait, or on `flush` (a send slot waiting for its settle, or the end of the message); keys that arrive
 * while a write is on its way go in the next. Each `settle` resolves once its key is written (or rejects with
 * the last error after SETTLE_ATTEMPTS).
 */
class GroupSettle {
  private waiting: { readonly key: string; readonly done: (error?: unknown) => void }[] = [];
  private draining = false;
  private flushing = false;
  private writing = 0;

  constructor(
    private readonly claims: DeliveryClaims,
    private readonly options: { readonly ttlSeconds: number },
    private readonly groupSize: number,
  ) {}

  /** Keys waiting for a write, or in the write on its way. */
  backlog(): number {
    return this.waiting.length + this.writing;
  }

  settle(key: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.waiting.length >= this.groupSize) this.startDrain();
    });
  }

  /** Writes every waiting key now, without waiting for a full group. */
  flush(): void {
    this.flushing = true;
    this.startDrain();
  }

  private startDrain(): void {
    if (!this.draining && this.waiting.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0 && (this.flushing || this.waiting.length >= this.groupSize)) {
      const batch = this.waiting.splice(0, MAX_SETTLE_BATCH);
      if (this.waiting.length === 0) this.flushing = false;
      this.writing = batch.length;
      let failure: unknown;
      for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** (attempt - 1)));
        try {
          await this.claims.settle(
            batch.map((entry) => entry.key),
            this.options,
          );
          failure = undefined;
          break;
        } catch (error) {
          failure = error ?? new Error('settle failed');
        }
      }
      this.writing = 0;
      for (const entry of batch) entry.done(failure);
    }
    this.draining = false;
  }
}

/** Records what became of a claimed alert once its send returned (`error` undefined) or failed. */
async function afterSend(alert: Alert, error: unknown, ports: DeliveryPorts): Promise<void> {
  const { job } = alert;
  if (error === undefined) {
    alert.state = { name: 'sent' };
    return;
  }
  if (error instanceof SenderRejectedError) {
    // Kept for a redrive once the operator fixed the sender: the claim goes, so that the alert can go later.
    alert.state = { name: 'sender-refused', reason: error.message };
    alert.release = true;
    return;
  }
  if (error instanceof PermanentSendError) {
    const suppress = error instanceof DestinationRejectedError && job.destination !== undefined;
    try {
      if (suppress) await ports.suppressions.suppress(job.destination!, `${job.channel}: ${error.message}`);
    } catch (suppressError) {
      // Not recorded: release, so that the retry records it (and finds the destination refusing again).
      alert.state = { name: 'failed', error: suppressError };
      alert.release = true;
      return;
    }
    alert.state = { name: 'rejected', reason: error.message, suppressed: suppress };
    return;
  }
  // Transient or unexpected: forget the claim so that the retry may send.
  alert.state = { name: 'failed', error };
  alert.release = true;
}

function toResult({ job, state }: Alert): DeliveryResult {
  switch (state.name) {
    case 'failed':
      return { job, error: state.error };
    case 'sent':
      return state.settleError === undefined
        ? { job, outcome: { status: 'sent' } }
        : {
            job,
            outcome: { status: 'sent', warning: `claims not settled: ${describeError(state.settleError)}` },
          };
    case 'rejected':
      return { job, outcome: { status: 'rejected', reason: state.reason, suppressed: state.suppressed } };
    case 'sender-refused':
      return { job, outcome: { status: 'sender-refused', reason: state.reason } };
    case 'duplicate':
    case 'withdrawn':
    case 'suppressed':
      return { job, outcome: { status: state.name } };
    default:
      // Every alert leaves `pending` and `claimed` above; reaching here is a bug, and the retry is safe.
      return { job, error: new Error(`delivery ${deliveryKey(job)} ended ${state.name}`) };
  }
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
  // Checked at subscribe time too; again here, as the allowed countries may have changed since.
  if (job.channel === 'sms') return smsRefusal(destination, settings.allowedSmsCountries);
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
