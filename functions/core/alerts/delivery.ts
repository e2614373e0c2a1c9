import type { Snippet } from '../matching/types.ts';
import type { StoryStatus } from '../stories/story.ts';
import type { ChannelType } from '../subscriptions/subscription.ts';

/**
 * One alert to send: a (story, subscription, channel) triple, the message body of the deliveries queue.
 * It carries everything the notifier needs so that sending never reads the story again.
 */
export interface DeliveryJob {
  readonly story: {
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
  };
  readonly subscription: {
    readonly id: string;
    readonly name: string;
    readonly owner: string;
    readonly query: string;
  };
  readonly channel: ChannelType;
  /** E-mail address or E.164 number; absent for the SNS topic. */
  readonly destination?: string | undefined;
  readonly snippet: Snippet;
  /** The distinct query terms that matched, for "why you got this". */
  readonly matchedTerms: readonly string[];
  /** The story fields they matched in (`headline`, `body`, ...), for "why you got this". */
  readonly matchedFields?: readonly string[] | undefined;
}

/** The idempotency key of a delivery: one alert per subscriber, channel and story, whatever the version. */
export function deliveryKey(job: Pick<DeliveryJob, 'story' | 'subscription' | 'channel'>): string {
  return `${job.subscription.id}#${job.channel}#${job.story.id}`;
}
