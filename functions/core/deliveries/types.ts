import type { Snippet } from '../matching/types.ts';
import type { StoryStatus } from '../stories/story.ts';
import type { DeliveryInput } from '../subscriptions/preferences.ts';
import type { ChannelType, UpdatePolicy } from '../subscriptions/subscription.ts';

/** The facts of a story an alert carries, so that sending never reads the story again. */
export interface AlertStory {
  readonly id: string;
  readonly version: number;
  readonly status: StoryStatus;
  readonly headline: string;
  readonly url?: string | undefined;
  readonly publishedAt?: string | undefined;
  readonly source?: string | undefined;
  /** People in the byline, comma-joined. */
  readonly byline?: string | undefined;
  /** Place of the dateline, e.g. `MEXICO CITY`. */
  readonly dateline?: string | undefined;
  /** 1 (flash) to 9; absent when the wire did not say. */
  readonly urgency?: number | undefined;
  /** The text's near-duplicate fingerprint (core/stories/near-duplicates.ts), to judge updates and group copies. */
  readonly fingerprint?: string | undefined;
}

/** The subscription an alert is for. */
export interface AlertSubscription {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly query: string;
  /** Absent: `first`. */
  readonly updates?: UpdatePolicy | undefined;
  /** Its delivery preferences in their input form (read with readStoredDelivery); absent: the defaults. */
  readonly delivery?: DeliveryInput | undefined;
}

/** One channel a match goes to. */
export interface AlertDelivery {
  readonly channel: ChannelType;
  /** E-mail address or E.164 number; absent for the SNS topic. */
  readonly destination?: string | undefined;
}

/** A subscription the story matched, written once whatever the number of channels it goes to. */
export interface PlannedMatch {
  readonly subscription: AlertSubscription;
  readonly snippet: Snippet;
  /** The distinct query terms that matched, for "why you got this". */
  readonly matchedTerms: readonly string[];
  /** The story fields they matched in (`headline`, `body`, ...), for "why you got this". */
  readonly matchedFields?: readonly string[] | undefined;
  readonly deliveries: readonly AlertDelivery[];
}

/**
 * The alerts of one story: the story once, each matching subscription once with its channels. `planDeliveries`
 * makes it; the deliveries queue carries it (split into messages of at most MAX_DELIVERIES_PER_MESSAGE
 * deliveries, see codec.ts); the notifier reads it back.
 */
export interface StoryAlerts {
  readonly story: AlertStory;
  readonly matches: readonly PlannedMatch[];
}

/** One alert to send: a story, one of its matches and one channel of it (what renderers and the ledger see). */
export interface DeliveryJob extends AlertDelivery {
  readonly story: AlertStory;
  readonly subscription: AlertSubscription;
  readonly snippet: Snippet;
  readonly matchedTerms: readonly string[];
  readonly matchedFields?: readonly string[] | undefined;
  /**
   * Set when this alert is a later version of a story the subscriber was already alerted to (update policy,
   * core/deliveries/updates.ts): the version, which makes it a delivery of its own.
   */
  readonly updateVersion?: number | undefined;
  /** The near-duplicate group the story belongs to when it is not its own (same-news.ts): its first story's id. */
  readonly group?: string | undefined;
}

/** The alerts of a story, one per match and channel, in order. */
export function jobsOf(alerts: StoryAlerts): DeliveryJob[] {
  return alerts.matches.flatMap(({ deliveries, ...match }) =>
    deliveries.map((delivery) => ({ story: alerts.story, ...match, ...delivery })),
  );
}

/** The alerts of these jobs of one story, as a message carries them (the inverse of `jobsOf`). */
export function storyAlertsOf(story: AlertStory, jobs: readonly DeliveryJob[]): StoryAlerts {
  return {
    story,
    matches: jobs.map(({ story: _story, channel, destination, ...match }) => ({
      ...match,
      deliveries: [{ channel, destination }],
    })),
  };
}

export function deliveryCount(alerts: StoryAlerts): number {
  let count = 0;
  for (const match of alerts.matches) count += match.deliveries.length;
  return count;
}

/**
 * The idempotency key of a delivery: one alert per subscriber, channel and story (or near-duplicate group of
 * stories), whatever the version; an update the subscriber's policy lets through is one more per version
 * (`...#v<version>`).
 */
export function deliveryKey(
  job: Pick<DeliveryJob, 'story' | 'subscription' | 'channel' | 'updateVersion' | 'group'>,
): string {
  const first = `${job.subscription.id}#${job.channel}#${job.group ?? job.story.id}`;
  return job.updateVersion === undefined ? first : `${first}#v${job.updateVersion}`;
}

/** Jobs with the same value are channels of one match: one subscriber, one story (or group), one version. */
export function matchOf(
  job: Pick<DeliveryJob, 'story' | 'subscription' | 'updateVersion' | 'group'>,
): string {
  return `${job.subscription.id}\u0000${job.group ?? job.story.id}\u0000${job.updateVersion ?? ''}`;
}

/**
 * The ledger key that claims several channels of one match at once (their `deliveryKey`s but for the channel):
 * the channels joined with `+` in a fixed order, e.g. `sub-1#email+sns#story-9`. No single channel is named
 * with a `+`, so it never equals a `deliveryKey`; and it names its channels, so it never stands for a channel
 * it did not send.
 */
export function matchClaimKey(jobs: readonly DeliveryJob[]): string {
  const [first] = jobs;
  if (first === undefined) throw new Error('matchClaimKey needs the jobs of one match');
  const channels = [...new Set(jobs.map((job) => job.channel))].sort().join('+');
  return deliveryKey({ ...first, channel: channels as DeliveryJob['channel'] });
}
