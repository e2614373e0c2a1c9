import { STORY_STATUSES, type StoryStatus } from '../stories/story.ts';
import type { ChannelType } from '../subscriptions/subscription.ts';
import type { DeliveryJob } from './delivery.ts';

/** A deliveries-queue message that is not a DeliveryJob. Retrying cannot fix it: it belongs in the DLQ. */
export class InvalidDeliveryJobError extends Error {
  override readonly name = 'InvalidDeliveryJobError';
}

const CHANNELS: readonly string[] = ['email', 'sms', 'sns'] satisfies readonly ChannelType[];

/**
 * Parses and checks a deliveries-queue message body: a DeliveryMessage (core/alerts/delivery-message.ts), one
 * job per delivery of each match, or one bare DeliveryJob (what the matcher wrote before it grouped jobs,
 * still read so that messages queued across an upgrade are delivered). Throws InvalidDeliveryJobError saying
 * what is wrong.
 */
export function decodeDeliveryMessage(body: string): DeliveryJob[] {
  const record = object(parseJson(body), 'message');
  if (!('matches' in record)) return [toJob(record, '')];
  const story = toStory(object(record.story, 'story'), '');
  if (!Array.isArray(record.matches) || record.matches.length === 0)
    fail('matches', 'must be a non-empty list');
  return record.matches.flatMap((value, m) => {
    const at = `matches[${m}].`;
    const match = object(value, `matches[${m}]`);
    const shared = {
      story,
      subscription: toSubscription(object(match.subscription, `${at}subscription`), at),
      snippet: toSnippet(object(match.snippet, `${at}snippet`), at),
      matchedTerms: toTerms(match.matchedTerms, at),
      matchedFields: toFields(match.matchedFields),
    };
    if (!Array.isArray(match.deliveries) || match.deliveries.length === 0) {
      fail(`${at}deliveries`, 'must be a non-empty list');
    }
    return match.deliveries.map((delivery, d) => {
      const where = `${at}deliveries[${d}].`;
      const fields = object(delivery, `${at}deliveries[${d}]`);
      return { ...shared, ...toDelivery(fields, where) };
    });
  });
}

/** Parses and checks one bare DeliveryJob. */
export function decodeDeliveryJob(body: string): DeliveryJob {
  return toJob(parseJson(body), '');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidDeliveryJobError(
      `Delivery message is not JSON (${body.length} characters): only the matcher should write to this queue.`,
    );
  }
}

/** `at` prefixes field names in errors (`matches[3].`), so that a bad entry in a message is easy to find. */
function toJob(value: unknown, at: string): DeliveryJob {
  const job = object(value, at || 'job');
  return {
    story: toStory(object(job.story, `${at}story`), at),
    subscription: toSubscription(object(job.subscription, `${at}subscription`), at),
    ...toDelivery(job, at),
    snippet: toSnippet(object(job.snippet, `${at}snippet`), at),
    matchedTerms: toTerms(job.matchedTerms, at),
    matchedFields: toFields(job.matchedFields),
  };
}

function toStory(story: Record<string, unknown>, at: string): DeliveryJob['story'] {
  const status = story.status;
  if (typeof status !== 'string' || !(STORY_STATUSES as readonly string[]).includes(status)) {
    fail(`${at}story.status`, `must be one of ${STORY_STATUSES.join(', ')}`);
  }
  if (typeof story.version !== 'number' || !Number.isFinite(story.version))
    fail(`${at}story.version`, 'must be a number');
  return {
    id: string(story.id, `${at}story.id`),
    version: story.version,
    status: status as StoryStatus,
    headline: string(story.headline, `${at}story.headline`),
    url: optionalString(story.url, `${at}story.url`),
    publishedAt: optionalString(story.publishedAt, `${at}story.publishedAt`),
    source: optionalString(story.source, `${at}story.source`),
    byline: optionalString(story.byline, `${at}story.byline`),
    dateline: optionalString(story.dateline, `${at}story.dateline`),
    urgency: typeof story.urgency === 'number' && Number.isInteger(story.urgency) ? story.urgency : undefined,
  };
}

function toSubscription(subscription: Record<string, unknown>, at: string): DeliveryJob['subscription'] {
  return {
    id: string(subscription.id, `${at}subscription.id`),
    name: string(subscription.name, `${at}subscription.name`),
    owner: string(subscription.owner, `${at}subscription.owner`),
    query: string(subscription.query, `${at}subscription.query`),
  };
}

function toDelivery(
  fields: Record<string, unknown>,
  at: string,
): Pick<DeliveryJob, 'channel' | 'destination'> {
  const channel = fields.channel;
  if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
    fail(`${at}channel`, 'must be one of email, sms, sns');
  }
  const destination = optionalString(fields.destination, `${at}destination`);
  if (channel !== 'sns' && (destination === undefined || destination === '')) {
    fail(`${at}destination`, `is required for the ${channel} channel`);
  }
  return { channel: channel as ChannelType, destination };
}

function toSnippet(snippet: Record<string, unknown>, at: string): DeliveryJob['snippet'] {
  if (!Array.isArray(snippet.highlights) || !snippet.highlights.every(isPair)) {
    fail(`${at}snippet.highlights`, 'must be a list of [start, end] pairs');
  }
  return { text: string(snippet.text, `${at}snippet.text`), highlights: snippet.highlights };
}

function toTerms(terms: unknown, at: string): readonly string[] {
  if (!Array.isArray(terms) || !terms.every((t) => typeof t === 'string')) {
    fail(`${at}matchedTerms`, 'must be a list of strings');
  }
  return terms;
}

/** Optional and only informative ("why you got this"): anything but a list of strings is left out. */
function toFields(fields: unknown): readonly string[] | undefined {
  return Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? fields : undefined;
}

function fail(field: string, problem: string): never {
  throw new InvalidDeliveryJobError(`Delivery job field "${field}" ${problem}.`);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return string(value, field);
}

function isPair(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number'
  );
}
