/**
 * Kill notices: when a story is killed, everyone who received its alert gets a short withdrawal notice on
 * the same channel, once (a claim of its own, `withdrawal#<subscription>#<channel>#<story>`). A story killed
 * before any alert went out has no recipients and sends nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  renderWithdrawalEmail,
  renderWithdrawalSms,
  renderWithdrawalTopicMessage,
  type WithdrawalNotice,
} from '../alerts/render-withdrawal.ts';
import { forEachLimited } from '../concurrency.ts';
import { PermanentSendError } from '../ports.ts';
import type { DeliveryMemory } from './control-ports.ts';
import {
  DEFAULT_CLAIM_LEASE_SECONDS,
  DEFAULT_CLAIM_TTL_SECONDS,
  type DeliveryPorts,
  type DeliverySettings,
} from './deliver.ts';
import { DeliveryInFlightError } from './errors.ts';
import type { AlertStory } from './types.ts';

export interface WithdrawalReport {
  readonly sent: number;
  /** Sent before (a retried kill), or the destination is suppressed, or refused for good. */
  readonly skipped: number;
}

/** Sends nothing twice: a failure throws after the others were tried, and the retry sends only the rest. */
export class WithdrawalNotSentError extends Error {
  override readonly name = 'WithdrawalNotSentError';
}

export function withdrawalKey(
  notice: Pick<WithdrawalNotice, 'subscriptionId' | 'channel' | 'storyId'>,
): string {
  return `withdrawal#${notice.subscriptionId}#${notice.channel}#${notice.storyId}`;
}

/**
 * Sends the withdrawal notices of a killed story to its recipients, `concurrency` at a time. Throws
 * WithdrawalNotSentError when some could not be sent (the caller retries the kill; sent ones are not repeated).
 */
export async function sendWithdrawalNotices(
  story: AlertStory,
  ports: DeliveryPorts,
  memory: DeliveryMemory,
  settings: DeliverySettings,
  concurrency: number,
): Promise<WithdrawalReport> {
  const { headline, recipients } = await memory.recipientsOf(story.id);
  if (recipients.length === 0) return { sent: 0, skipped: 0 };
  const suppressed = await ports.suppressions.suppressedAmong([
    ...new Set(
      recipients.flatMap((recipient) => (recipient.destination === undefined ? [] : [recipient.destination])),
    ),
  ]);
  const options = {
    ttlSeconds: settings.claimTtlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS,
    leaseSeconds: settings.claimLeaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS,
    token: randomUUID(),
  };
  let sent = 0;
  let skipped = 0;
  const failures: unknown[] = [];
  await forEachLimited(recipients, concurrency, async (recipient) => {
    const notice: WithdrawalNotice = {
      storyId: story.id,
      headline: headline || story.headline,
      source: story.source,
      ...recipient,
    };
    if (recipient.destination !== undefined && suppressed.has(recipient.destination)) {
      skipped++;
      return;
    }
    const key = withdrawalKey(notice);
    try {
      const claim = await ports.claims.claim(key, options);
      if (claim === 'done') {
        skipped++;
        return;
      }
      if (claim === 'in-flight')
        throw new DeliveryInFlightError(`Withdrawal ${key} is being sent by another worker.`);
    } catch (error) {
      failures.push(error);
      return;
    }
    try {
      await sendNotice(notice, ports, settings);
      sent++;
    } catch (error) {
      if (!(error instanceof PermanentSendError)) {
        failures.push(error);
        await ports.claims.release([key], options.token).catch(() => undefined);
        return;
      }
      skipped++;
    }
    // Settled at once: a notice sent and then forgotten would be sent again by the retry.
    await ports.claims
      .settle([key], { ttlSeconds: options.ttlSeconds })
      .catch((error: unknown) => failures.push(error));
  });
  if (failures.length > 0) {
    throw new WithdrawalNotSentError(
      `${failures.length} of ${recipients.length} withdrawal notices of story ${story.id} not sent, to be retried`,
      { cause: failures[0] },
    );
  }
  return { sent, skipped };
}

async function sendNotice(
  notice: WithdrawalNotice,
  ports: DeliveryPorts,
  settings: DeliverySettings,
): Promise<void> {
  if (notice.channel === 'email') return ports.email.send(renderWithdrawalEmail(notice, settings));
  if (notice.channel === 'sms') {
    if (notice.destination === undefined) throw new PermanentSendError('no phone number');
    return ports.sms.send(notice.destination, renderWithdrawalSms(notice));
  }
  const [failure] = await ports.topic.publish([renderWithdrawalTopicMessage(notice)]);
  if (failure !== undefined) throw failure;
}
