/**
 * Delivery control in the notifier, before claiming and after sending: the same news once (near-duplicate
 * groups), the update policy of each subscription, and the record of who received a story (for kill notices).
 *
 * - Near-duplicates: a story's group is resolved once (the first message of the story to arrive) and kept
 *   for NEAR_DUPLICATE_WINDOW_SECONDS: the first story of a group owns its LSH band keys; a later story that
 *   shares a band with it and is the same news (`sameNews`) joins its group. Alerts of a grouped story are
 *   keyed on the group (`subscriber#channel#<group's first story>`), so the claims that make alerts
 *   idempotent also send at most one alert per subscriber and channel per group.
 * - Update policy: `first` keys every version alike (one alert per story). `substantive` and `corrections`
 *   look up what the subscriber was last alerted to under that key (version and fingerprint, remembered
 *   after each send): a newer version that changed materially (`isSubstantiveUpdate`), or for `corrections`
 *   a correction, becomes an alert of its own, keyed `...#v<version>`. Without fingerprints (a message from an
 *   older matcher) a newer version counts when the wire marks it an update or correction. Nothing remembered
 *   (alerted before the policy was chosen, or never): the version goes the `first` way.
 */
import { bandKeys, decodeFingerprint, isSubstantiveUpdate, sameNews } from '../stories/near-duplicates.ts';
import type { UpdatePolicy } from '../subscriptions/subscription.ts';
import type { AlertedVersion, DeliveryMemory, Recipient } from './control-ports.ts';
import type { DeliveryResult } from './deliver.ts';
import { type AlertStory, type DeliveryJob, deliveryKey, jobsOf, type StoryAlerts } from './types.ts';

/** How long stories group together (and a group is remembered). */
export const NEAR_DUPLICATE_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * The jobs of a message as they should be claimed: keyed on the story's near-duplicate group, and as updates
 * where the subscription's policy lets a new version through. Subscriptions on the default policy cost no
 * read beyond the group lookup.
 */
export async function controlJobs(alerts: StoryAlerts, memory: DeliveryMemory): Promise<DeliveryJob[]> {
  const group = await resolveGroup(alerts.story, memory);
  const jobs = jobsOf(alerts).map((job) => (group === job.story.id ? job : { ...job, group }));
  const judged = jobs.filter((job) => policyOf(job) !== 'first');
  if (judged.length === 0) return jobs;
  const alerted = await memory.alertedAmong([...new Set(judged.map(deliveryKey))]);
  return jobs.map((job) => {
    const policy = policyOf(job);
    const last = policy === 'first' ? undefined : alerted.get(deliveryKey(job));
    if (last === undefined || job.story.version <= last.version) return job;
    return worthAnAlert(policy, last, job.story) ? { ...job, updateVersion: job.story.version } : job;
  });
}

/** True when a newer version than `last` should alert a subscriber with this policy. */
export function worthAnAlert(policy: UpdatePolicy, last: AlertedVersion, story: AlertStory): boolean {
  if (policy === 'first') return false;
  if (policy === 'corrections' && story.status === 'correction') return true;
  const before = decodeFingerprint(last.fingerprint);
  const now = decodeFingerprint(story.fingerprint);
  if (before === undefined || now === undefined)
    return story.status === 'update' || story.status === 'correction';
  return isSubstantiveUpdate(before, now);
}

/**
 * A story's near-duplicate group: the id of the first story of the group (its own id when it is first, or
 * when it has no fingerprint). Resolved once and remembered, so every message of the story agrees.
 */
export async function resolveGroup(story: AlertStory, memory: DeliveryMemory): Promise<string> {
  const fingerprint = decodeFingerprint(story.fingerprint);
  // No fingerprint (a message from an older matcher): its own group, at no cost.
  if (fingerprint === undefined || story.fingerprint === undefined) return story.id;
  const bands = bandKeys(fingerprint);
  // Read together (one request where the adapter coalesces reads): most messages are their story's first, whose
  // group is not known yet and needs the band owners.
  const [known, owned] = await Promise.all([memory.groupOf(story.id), memory.bandOwners(bands)]);
  if (known !== undefined) return known;
  const candidates = [...new Set([...owned.values()].map((owner) => owner.storyId))].sort();
  const first = candidates.find((candidate) => {
    if (candidate === story.id) return false;
    const owner = [...owned.values()].find((o) => o.storyId === candidate);
    const other = decodeFingerprint(owner?.fingerprint);
    return other !== undefined && sameNews(other, fingerprint);
  });
  const ttl = { ttlSeconds: NEAR_DUPLICATE_WINDOW_SECONDS };
  const group = await memory.setGroup(story.id, first ?? story.id, ttl);
  // The first story of a group owns the bands nobody owns yet; later members need none (they find the first).
  if (group === story.id) {
    const free = bands.filter((band) => !owned.has(band));
    if (free.length > 0)
      await memory.claimBands(free, { storyId: story.id, fingerprint: story.fingerprint }, ttl);
  }
  return group;
}

/**
 * After a message's sends: who received the story (for kill notices) and, for subscriptions judging
 * updates, which version they got. An alert found already sent counts too (unless it was another story of
 * its group), so that a retry after a failed record records it. Throws if the ledger fails: the message is
 * then retried, and its alerts, all duplicates by then, are recorded.
 */
export async function recordDelivered(
  story: AlertStory,
  results: readonly DeliveryResult[],
  memory: DeliveryMemory,
  options: { readonly ttlSeconds: number },
): Promise<void> {
  const received = results.flatMap((result) => {
    if (!('outcome' in result)) return [];
    const { status } = result.outcome;
    const ofThisStory = result.job.group === undefined || result.job.updateVersion !== undefined;
    return status === 'sent' || (status === 'duplicate' && ofThisStory) ? [result] : [];
  });
  if (received.length === 0) return;
  const recipients: Recipient[] = received.map(({ job }) => ({
    subscriptionId: job.subscription.id,
    subscriptionName: job.subscription.name,
    channel: job.channel,
    destination: job.destination,
  }));
  const remembered = received
    .filter(
      ({ job, outcome }) =>
        policyOf(job) !== 'first' && (outcome.status === 'sent' || job.updateVersion !== undefined),
    )
    .map(({ job }) => ({
      key: deliveryKey({ ...job, updateVersion: undefined }),
      version: job.story.version,
      fingerprint: job.story.fingerprint,
    }));
  await Promise.all([
    memory.addRecipients(story.id, story.headline, recipients, options),
    remembered.length === 0 ? undefined : memory.rememberAlerted(remembered, options),
  ]);
}

function policyOf(job: DeliveryJob): UpdatePolicy {
  return job.subscription.updates ?? 'first';
}
