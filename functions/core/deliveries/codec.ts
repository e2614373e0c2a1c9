/**
 * The deliveries-queue message, both ways: one schema, written by `encodeDeliveryMessages`, read by
 * `decodeDeliveryMessage`. A message is `{ "version": 2, "story": {...}, "matches": [{ "subscription",
 * "snippet", "matchedTerms", "deliveries": [{ "channel", "destination"? }] }] }`: the story once and each match
 * once however many channels it goes to, which keeps messages (and the SDK's work on them: JSON, MD5, signing)
 * small. A killed story's message has no matches: it is a kill notice. Messages without a version (the same
 * shape, or one bare job: what earlier matchers wrote) are still read, so that messages queued across an upgrade
 * are delivered. Optional fields (the story's `byline`, `dateline`, `urgency`, `fingerprint`; a match's
 * `matchedFields`; a subscription's `updates` policy and `delivery` preferences) are added without a new
 * version: a reader that does not know them ignores them, and a message without them still decodes.
 */

import { utf8Bytes } from '../alerts/text.ts';
import { STORY_STATUSES, type StoryStatus } from '../stories/story.ts';
import type { DeliveryInput } from '../subscriptions/preferences.ts';
import { type ChannelType, UPDATE_POLICIES, type UpdatePolicy } from '../subscriptions/subscription.ts';
import { InvalidDeliveryMessageError } from './errors.ts';
import type { AlertDelivery, AlertStory, AlertSubscription, PlannedMatch, StoryAlerts } from './types.ts';

export const DELIVERY_MESSAGE_VERSION = 2;

/**
 * Deliveries in one message, at most. A message holds alerts of one story: one SQS message and one ledger
 * lookup for many alerts, yet small enough that a retry (the whole message comes back; the deliveries already
 * sent are duplicates and send nothing) stays cheap.
 */
export const MAX_DELIVERIES_PER_MESSAGE = 50;

/** Message attribute of a delivery message the notifier put in the dead-letter queue itself: why. */
export const REFUSAL_ATTRIBUTE = 'refusal';
/** Bytes of one message body, at most (SQS allows 1 MiB; this leaves several messages per send batch). */
export const MAX_MESSAGE_BYTES = 96 * 1024;

/**
 * A story's alerts as deliveries-queue message bodies, in order, each within MAX_DELIVERIES_PER_MESSAGE
 * deliveries and MAX_MESSAGE_BYTES (a match larger than that by itself goes alone). A match is never split
 * across messages; matches with no deliveries are left out.
 */
export function encodeDeliveryMessages(alerts: StoryAlerts): string[] {
  const head = `{"version":${DELIVERY_MESSAGE_VERSION},"story":${JSON.stringify(alerts.story)},"matches":[`;
  const headBytes = utf8Bytes(head) + 2;
  const bodies: string[] = [];
  let matches: string[] = [];
  let deliveries = 0;
  let bytes = headBytes;
  for (const match of alerts.matches) {
    if (match.deliveries.length === 0) continue;
    const json = JSON.stringify(match);
    const size = utf8Bytes(json) + 1;
    const full =
      deliveries + match.deliveries.length > MAX_DELIVERIES_PER_MESSAGE || bytes + size > MAX_MESSAGE_BYTES;
    if (matches.length > 0 && full) {
      bodies.push(`${head}${matches.join(',')}]}`);
      matches = [];
      deliveries = 0;
      bytes = headBytes;
    }
    matches.push(json);
    deliveries += match.deliveries.length;
    bytes += size;
  }
  if (matches.length > 0) bodies.push(`${head}${matches.join(',')}]}`);
  // A kill goes out with no matches: the notifier remembers it and sends none of the story's alerts.
  if (bodies.length === 0 && alerts.story.status === 'killed') bodies.push(`${head}]}`);
  return bodies;
}

const SETTLE_HEAD = `{"version":${DELIVERY_MESSAGE_VERSION},"settle":`;

/**
 * A settle notice: alerts that were sent but whose claims could not be settled, to be settled by a later
 * notifier run rather than sent again (`{"version": 2, "settle": [delivery keys]}`).
 */
export function encodeSettleNotice(keys: readonly string[]): string {
  return `${SETTLE_HEAD}${JSON.stringify(keys)}}`;
}

/** The delivery keys of a settle notice, or undefined when the body is not one. */
export function decodeSettleNotice(body: string): readonly string[] | undefined {
  if (!body.startsWith(SETTLE_HEAD)) return undefined;
  const keys = (parseJson(body) as { settle?: unknown }).settle;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string')) {
    fail('settle', 'must be a non-empty list of delivery keys');
  }
  return keys;
}

const CHANNELS: readonly string[] = ['email', 'sms', 'sns'] satisfies readonly ChannelType[];

/** Parses and checks a deliveries-queue message body. Throws InvalidDeliveryMessageError naming the field. */
export function decodeDeliveryMessage(body: string): StoryAlerts {
  const record = object(parseJson(body), 'message');
  if (record.version !== undefined && record.version !== DELIVERY_MESSAGE_VERSION) {
    fail('version', `must be ${DELIVERY_MESSAGE_VERSION} (this notifier is older than the matcher?)`);
  }
  if (!('matches' in record)) return fromBareJob(record);
  const story = toStory(object(record.story, 'story'), '');
  if (!Array.isArray(record.matches)) fail('matches', 'must be a non-empty list');
  if (record.matches.length === 0 && story.status !== 'killed') fail('matches', 'must be a non-empty list');
  return {
    story,
    matches: record.matches.map((value, m) => {
      const at = `matches[${m}].`;
      const match = object(value, `matches[${m}]`);
      if (!Array.isArray(match.deliveries) || match.deliveries.length === 0) {
        fail(`${at}deliveries`, 'must be a non-empty list');
      }
      return {
        subscription: toSubscription(object(match.subscription, `${at}subscription`), at),
        snippet: toSnippet(object(match.snippet, `${at}snippet`), at),
        matchedTerms: toTerms(match.matchedTerms, at),
        matchedFields: toFields(match.matchedFields),
        deliveries: match.deliveries.map((delivery, d) =>
          toDelivery(object(delivery, `${at}deliveries[${d}]`), `${at}deliveries[${d}].`),
        ),
      };
    }),
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidDeliveryMessageError(
      `Delivery message is not JSON (${body.length} characters): only the matcher should write to this queue.`,
    );
  }
}

/** One job per message, as the matcher wrote before it grouped them. */
function fromBareJob(job: Record<string, unknown>): StoryAlerts {
  const story = toStory(object(job.story, 'story'), '');
  const match: PlannedMatch = {
    subscription: toSubscription(object(job.subscription, 'subscription'), ''),
    deliveries: [toDelivery(job, '')],
    snippet: toSnippet(object(job.snippet, 'snippet'), ''),
    matchedTerms: toTerms(job.matchedTerms, ''),
    matchedFields: toFields(job.matchedFields),
  };
  return { story, matches: [match] };
}

/** `at` prefixes field names in errors (`matches[3].`), so that a bad entry in a message is easy to find. */
function toStory(story: Record<string, unknown>, at: string): AlertStory {
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
    // Optional and only a hint (a bad one is left out: the update is then judged by its status).
    fingerprint:
      typeof story.fingerprint === 'string' && story.fingerprint.length <= 400
        ? story.fingerprint
        : undefined,
  };
}

function toSubscription(subscription: Record<string, unknown>, at: string): AlertSubscription {
  return {
    id: string(subscription.id, `${at}subscription.id`),
    name: string(subscription.name, `${at}subscription.name`),
    owner: string(subscription.owner, `${at}subscription.owner`),
    query: string(subscription.query, `${at}subscription.query`),
    // Absent or unknown: `first`, which sends the least.
    ...((UPDATE_POLICIES as readonly unknown[]).includes(subscription.updates) &&
    subscription.updates !== 'first'
      ? { updates: subscription.updates as UpdatePolicy }
      : {}),
    // Checked where it is used (readStoredDelivery): preferences a newer matcher wrote never fail the message.
    ...(typeof subscription.delivery === 'object' && subscription.delivery !== null
      ? { delivery: subscription.delivery as DeliveryInput }
      : {}),
  };
}

function toDelivery(fields: Record<string, unknown>, at: string): AlertDelivery {
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

function toSnippet(snippet: Record<string, unknown>, at: string): PlannedMatch['snippet'] {
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
  throw new InvalidDeliveryMessageError(`Delivery message field "${field}" ${problem}.`);
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
