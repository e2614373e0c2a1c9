import type { DeliveryJob } from './delivery.ts';
import { utf8Bytes } from './text.ts';

/**
 * Jobs in one deliveries-queue message, at most. A message holds alerts of one story: one SQS message and one
 * ledger lookup for many alerts, yet small enough that a retry (the whole message comes back; the jobs already
 * sent are duplicates and send nothing) stays cheap.
 */
export const MAX_JOBS_PER_MESSAGE = 50;
/** Bytes of one message body, at most (SQS allows 1 MiB; this leaves several messages per send batch). */
export const MAX_MESSAGE_BYTES = 96 * 1024;

/**
 * A deliveries-queue message: one story, and per matching subscription what matched and the channels to send
 * it on. The story and each match are written once however many channels they go to, which keeps messages
 * (and the SDK's work on them: JSON, MD5, signing) small. `decodeDeliveryMessage` (decode-job.ts) turns it back
 * into one DeliveryJob per delivery.
 */
export interface DeliveryMessage {
  readonly story: DeliveryJob['story'];
  readonly matches: readonly {
    readonly subscription: DeliveryJob['subscription'];
    readonly snippet: DeliveryJob['snippet'];
    readonly matchedTerms: DeliveryJob['matchedTerms'];
    readonly matchedFields?: DeliveryJob['matchedFields'];
    readonly deliveries: readonly {
      readonly channel: DeliveryJob['channel'];
      readonly destination?: string;
    }[];
  }[];
}

type Match = Omit<DeliveryMessage['matches'][number], 'deliveries'>;
type Delivery = DeliveryMessage['matches'][number]['deliveries'][number];

/**
 * The jobs as deliveries-queue message bodies (JSON DeliveryMessage), in order, each of one story and within
 * MAX_JOBS_PER_MESSAGE jobs and MAX_MESSAGE_BYTES (a match larger than that by itself goes alone). Consecutive
 * jobs of one match (the same story, subscription, snippet and terms objects, as the matcher plans them) share
 * one match entry.
 */
export function encodeDeliveryMessages(jobs: readonly DeliveryJob[]): string[] {
  const bodies: string[] = [];
  let storyJson = '';
  /** Closed matches of the message being filled, as JSON, and their job count and bytes (story included). */
  let matches: string[] = [];
  let matchedJobs = 0;
  let bytes = 0;
  let open:
    | { readonly first: DeliveryJob; readonly match: Match; readonly deliveries: Delivery[] }
    | undefined;

  const flush = () => {
    if (matches.length > 0) bodies.push(`{"story":${storyJson},"matches":[${matches.join(',')}]}`);
    matches = [];
    matchedJobs = 0;
    bytes = utf8Bytes(storyJson);
  };
  const closeMatch = () => {
    if (open === undefined) return;
    const json = JSON.stringify({ ...open.match, deliveries: open.deliveries });
    const size = utf8Bytes(json) + 1;
    if (matches.length > 0 && bytes + size > MAX_MESSAGE_BYTES) flush();
    matches.push(json);
    matchedJobs += open.deliveries.length;
    bytes += size;
    open = undefined;
  };

  for (const job of jobs) {
    const delivery: Delivery =
      job.destination === undefined
        ? { channel: job.channel }
        : { channel: job.channel, destination: job.destination };
    const jobsSoFar = matchedJobs + (open?.deliveries.length ?? 0);
    if (open !== undefined && jobsSoFar < MAX_JOBS_PER_MESSAGE && sameMatch(open.first, job)) {
      open.deliveries.push(delivery);
      continue;
    }
    const sameMessage = open !== undefined && sameStory(open.first.story, job.story);
    closeMatch();
    if (!sameMessage || matchedJobs >= MAX_JOBS_PER_MESSAGE) {
      flush();
      storyJson = JSON.stringify(job.story);
      bytes = utf8Bytes(storyJson);
    }
    open = {
      first: job,
      match: {
        subscription: job.subscription,
        snippet: job.snippet,
        matchedTerms: job.matchedTerms,
        ...(job.matchedFields === undefined ? {} : { matchedFields: job.matchedFields }),
      },
      deliveries: [delivery],
    };
  }
  closeMatch();
  flush();
  return bodies;
}

function sameStory(a: DeliveryJob['story'], b: DeliveryJob['story']): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.version === b.version &&
      a.status === b.status &&
      a.headline === b.headline &&
      a.url === b.url &&
      a.publishedAt === b.publishedAt &&
      a.source === b.source &&
      a.byline === b.byline &&
      a.dateline === b.dateline &&
      a.urgency === b.urgency)
  );
}

/**
 * The same match on another channel: the matcher plans a match's jobs from one set of story, subscription,
 * snippet and terms objects. Jobs built apart simply get match entries of their own.
 */
function sameMatch(a: DeliveryJob, b: DeliveryJob): boolean {
  return (
    a.story === b.story &&
    a.subscription === b.subscription &&
    a.snippet === b.snippet &&
    a.matchedTerms === b.matchedTerms &&
    a.matchedFields === b.matchedFields
  );
}
