import { STORY_STATUSES, type StoryStatus } from '../stories/story.ts';
import type { ChannelType } from '../subscriptions/subscription.ts';
import type { DeliveryJob } from './delivery.ts';

/** A deliveries-queue message that is not a DeliveryJob. Retrying cannot fix it: it belongs in the DLQ. */
export class InvalidDeliveryJobError extends Error {
  override readonly name = 'InvalidDeliveryJobError';
}

const CHANNELS: readonly string[] = ['email', 'sms', 'sns'] satisfies readonly ChannelType[];

/** Parses and checks a deliveries-queue message body; throws InvalidDeliveryJobError saying what is wrong. */
export function decodeDeliveryJob(body: string): DeliveryJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidDeliveryJobError(
      `Delivery job is not JSON (${body.length} characters): only the matcher should write to this queue.`,
    );
  }
  const job = object(value, 'job');
  const story = object(job.story, 'story');
  const subscription = object(job.subscription, 'subscription');
  const snippet = object(job.snippet, 'snippet');
  const channel = job.channel;
  if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
    fail('channel', 'must be one of email, sms, sns');
  }
  const status = story.status;
  if (typeof status !== 'string' || !(STORY_STATUSES as readonly string[]).includes(status)) {
    fail('story.status', `must be one of ${STORY_STATUSES.join(', ')}`);
  }
  if (typeof story.version !== 'number' || !Number.isFinite(story.version))
    fail('story.version', 'must be a number');
  const destination = optionalString(job.destination, 'destination');
  if (channel !== 'sns' && (destination === undefined || destination === '')) {
    fail('destination', `is required for the ${channel} channel`);
  }
  if (!Array.isArray(snippet.highlights) || !snippet.highlights.every(isPair)) {
    fail('snippet.highlights', 'must be a list of [start, end] pairs');
  }
  if (!Array.isArray(job.matchedTerms) || !job.matchedTerms.every((t) => typeof t === 'string')) {
    fail('matchedTerms', 'must be a list of strings');
  }
  return {
    story: {
      id: string(story.id, 'story.id'),
      version: story.version,
      status: status as StoryStatus,
      headline: string(story.headline, 'story.headline'),
      url: optionalString(story.url, 'story.url'),
      publishedAt: optionalString(story.publishedAt, 'story.publishedAt'),
      source: optionalString(story.source, 'story.source'),
    },
    subscription: {
      id: string(subscription.id, 'subscription.id'),
      name: string(subscription.name, 'subscription.name'),
      owner: string(subscription.owner, 'subscription.owner'),
      query: string(subscription.query, 'subscription.query'),
    },
    channel: channel as ChannelType,
    destination,
    snippet: { text: string(snippet.text, 'snippet.text'), highlights: snippet.highlights },
    matchedTerms: job.matchedTerms,
  };
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
