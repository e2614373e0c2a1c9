import { randomUUID } from 'node:crypto';
import { type AlertLinkSettings, renderEmail } from '../alerts/render-email.ts';
import { renderSms } from '../alerts/render-sms.ts';
import { renderTopicMessage } from '../alerts/render-sns.ts';
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
import type { ClaimResult, DeliveryClaims, PriorDeliveries } from './ports.ts';
import { type DeliveryJob, deliveryKey, matchClaimKey, matchOf } from './types.ts';

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
   * The sending service refused it until an operator acts (SenderRejectedError): not sent, its own key not
   * settled (so that a redrive sends it), for the caller to record where the operator sees it.
   */
  | { readonly status: 'sender-refused'; readonly reason: string };

/** What became of one job of a batch: an outcome, or a failure that the queue should retry. */
export type DeliveryResult =
  | { readonly job: DeliveryJob; readonly outcome: DeliveryOutcome }
  | { readonly job: DeliveryJob; readonly error: unknown };

/** Matches of one message claimed and sent at once (each one claim, and a send per channel); default 8. */
export const DEFAULT_DELIVERY_CONCURRENCY = 8;

/**
 * Where one alert of a message stands. Every alert starts `pending` and ends in one of the final states:
 * `duplicate` (sent before), `withdrawn` (its story was killed), `suppressed`, `rejected` (refused for good),
 * `sent` (its key settled, or not: `settleError`), or `failed` (to be retried: its own key not settled; its
 * match's claim released, or settled if another channel of the match went out).
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
}

/**
 * Delivers a batch of jobs (one deliveries-queue message: alerts of one story), each at most once. One read
 * (`readBeforeSending`, strongly consistent; `early` when the caller started it already) finds the jobs
 * already delivered (a redelivered message or a story update costs one request, not two per job), whether the
 * story was killed and the suppressed destinations. The rest go in chunks of `concurrency` matches: each match
 * (its e-mail, SMS and topic alerts) claims one ledger key with a conditional write (with this attempt's
 * token); the chunk's alerts are sent at once (topic alerts up to 10 a request); then one BatchWriteItem
 * settles the chunk while the next chunk is claimed and sent. So at any time at most `concurrency` matches are
 * being sent and at most `concurrency` more are sent but not yet settled: a crash repeats at most those.
 *
 * A TransientSendError (or any unexpected error) fails the job, and the queue retries the message: the jobs
 * that did go out are duplicates then and send nothing. A match of which nothing went out has its claim
 * released (only if still ours). A PermanentSendError is final (no retry) and, when the destination itself
 * refused, suppresses it. A settle that keeps failing comes back as `sent` with a `warning`, for the caller to
 * retry.
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
  const toRelease: string[] = [];
  let settling: Promise<void> = Promise.resolve();
  for (const chunk of chunks(unitsOf(pending()), concurrency)) {
    await Promise.all(chunk.map((unit) => claimUnit(unit, ports.claims, claimOptions, suppressed)));
    await sendChunk(chunk, ports, settings);
    // One chunk's settle on its way while the next is claimed and sent: a crash repeats at most those two.
    await settling;
    settling = settleChunk(chunk, ports.claims, claimOptions, toRelease);
  }
  await settling;
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

/**
 * The alerts of one match in this message (one subscriber, one story or group, one version: its e-mail, SMS and
 * topic alerts), claimed with one ledger write: `matchClaimKey`, or the alert's own key when it is alone.
 */
interface Unit {
  readonly alerts: readonly Alert[];
  readonly key: string;
  claimed: boolean;
}

function unitsOf(alerts: readonly Alert[]): Unit[] {
  const byMatch = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const match = matchOf(alert.job);
    const same = byMatch.get(match);
    if (same === undefined) byMatch.set(match, [alert]);
    else same.push(alert);
  }
  return [...byMatch.values()].map((same) => ({
    alerts: same,
    key: same.length === 1 ? same[0]!.key : matchClaimKey(same.map((alert) => alert.job)),
    claimed: false,
  }));
}

async function claimUnit(
  unit: Unit,
  claims: DeliveryClaims,
  options: { readonly ttlSeconds: number; readonly leaseSeconds: number; readonly token: string },
  suppressed: ReadonlySet<string>,
): Promise<void> {
  let claim: ClaimResult;
  try {
    claim = await claims.claim(unit.key, options);
  } catch (error) {
    for (const alert of unit.alerts) alert.state = { name: 'failed', error };
    return;
  }
  if (claim === 'in-flight') {
    const message = `Delivery ${unit.key} is being sent by another worker; retry later to confirm it.`;
    for (const alert of unit.alerts)
      alert.state = { name: 'failed', error: new DeliveryInFlightError(message) };
    return;
  }
  unit.claimed = claim === 'claimed';
  for (const alert of unit.alerts) {
    if (claim === 'done') alert.state = { name: 'duplicate' };
    else if (alert.job.destination !== undefined && suppressed.has(alert.job.destination))
      alert.state = { name: 'suppressed' };
    else alert.state = { name: 'claimed' };
  }
}

/** Sends the claimed alerts of a chunk at once: e-mail and SMS one request each, topic alerts up to 10 a request. */
async function sendChunk(
  chunk: readonly Unit[],
  ports: DeliveryPorts,
  settings: DeliverySettings,
): Promise<void> {
  const claimed = chunk.flatMap((unit) => unit.alerts.filter((alert) => alert.state.name === 'claimed'));
  const personal = claimed.filter((alert) => alert.job.channel !== 'sns');
  const topic = claimed.filter((alert) => alert.job.channel === 'sns');
  await Promise.all([
    ...personal.map(async (alert) => {
      let failure: unknown;
      try {
        await sendOne(alert.job, ports, settings);
      } catch (error) {
        failure = error ?? new Error('send failed');
      }
      await afterSend(alert, failure, ports);
    }),
    ...chunks(topic, MAX_TOPIC_BATCH).map(async (batch) => {
      let failures: readonly unknown[];
      try {
        failures = await ports.topic.publish(batch.map((alert) => renderTopicMessage(alert.job)));
      } catch (error) {
        failures = batch.map(() => error ?? new Error('publish failed'));
      }
      await Promise.all(batch.map((alert, position) => afterSend(alert, failures[position], ports)));
    }),
  ]);
}

/** An alert that needs no retry: sent, refused for good or suppressed. */
function isFinal(alert: Alert): boolean {
  const { name } = alert.state;
  return name === 'sent' || name === 'rejected' || name === 'suppressed';
}

/**
 * Settles a chunk in one write (more past 25 keys): the key of each final alert, and the unit's claim once any
 * of its alerts went out (a copy of the message then finds the unit done; the alerts still to retry go under
 * their own keys). A unit of which nothing went out is released at the end (`toRelease`). A settle that keeps
 * failing marks its sent alerts, for the caller to retry it.
 */
async function settleChunk(
  chunk: readonly Unit[],
  claims: DeliveryClaims,
  options: { readonly ttlSeconds: number },
  toRelease: string[],
): Promise<void> {
  const keys: string[] = [];
  const settled: Alert[] = [];
  for (const unit of chunk) {
    if (!unit.claimed) continue;
    const final = unit.alerts.filter(isFinal);
    if (final.length === 0) {
      toRelease.push(unit.key);
      continue;
    }
    for (const alert of final) keys.push(alert.key);
    if (unit.alerts.length > 1) keys.push(unit.key);
    settled.push(...final);
  }
  if (keys.length === 0) return;
  let failure: unknown;
  for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** (attempt - 1)));
    try {
      await claims.settle(keys, options);
      return;
    } catch (error) {
      failure = error ?? new Error('settle failed');
    }
  }
  for (const alert of settled)
    if (alert.state.name === 'sent') alert.state = { name: 'sent', settleError: failure };
}

/** Attempts of one settle before its alerts are reported unsettled (pauses of 50, 200 ms). */
const SETTLE_ATTEMPTS = 3;

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
    return;
  }
  if (error instanceof PermanentSendError) {
    const suppress = error instanceof DestinationRejectedError && job.destination !== undefined;
    try {
      if (suppress) await ports.suppressions.suppress(job.destination!, `${job.channel}: ${error.message}`);
    } catch (suppressError) {
      // Not recorded: release, so that the retry records it (and finds the destination refusing again).
      alert.state = { name: 'failed', error: suppressError };
      return;
    }
    alert.state = { name: 'rejected', reason: error.message, suppressed: suppress };
    return;
  }
  // Transient or unexpected: forget the claim so that the retry may send.
  alert.state = { name: 'failed', error };
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
