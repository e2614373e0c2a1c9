/**
 * Matcher: a batch of raw wire stories from the stories queue -> parse -> match against the compiled
 * subscriptions -> the story's alerts on the deliveries queue. Partial batch failures: a story that cannot be
 * parsed (or whose jobs cannot be queued) fails alone and the rest of its batch succeeds; a story that keeps
 * failing reaches the stories dead-letter queue after maxReceiveCount receives.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  CHANGE_LOG_PREFIX,
  METRICS,
  RECENT_STORIES_PREFIX,
  SNAPSHOT_KEY,
} from '../../definitions/resources.ts';
import { createAwsClient } from '../adapters/aws-clients.ts';
import { S3ChangeLog } from '../adapters/s3-change-log.ts';
import { S3RecentStories } from '../adapters/s3-recent-stories.ts';
import { S3SnapshotStore } from '../adapters/s3-snapshot-store.ts';
import { SqsDeliveryQueue } from '../adapters/sqs-delivery-queue.ts';
import { readMatcherConfig } from '../config/functions.ts';
import { deliveryCount } from '../core/deliveries/types.ts';
import { describeError } from '../core/describe-error.ts';
import { compileSubscriptions } from '../core/matching/index.ts';
import { keepForPreviews, matchAndQueue } from '../core/pipeline/match-story.ts';
import { type CompiledSubscriptions, SubscriptionSnapshotCache } from '../core/pipeline/snapshot-cache.ts';
import { StoryParseError } from '../core/stories/errors.ts';
import { decodeStoryMessage, STORY_MESSAGE_ATTRIBUTES } from '../core/stories/message.ts';
import { parseStories } from '../core/stories/parse.ts';
import { STORY_FORMATS, type Story, type StoryFormat } from '../core/stories/story.ts';
import { createObservability, withObservability } from './shared/observability.ts';

const config = readMatcherConfig();
const observability = createObservability('matcher');
const { logger, metrics, tracer } = observability;
const s3 = createAwsClient(S3Client, 'S3', { tracer });
const sqs = createAwsClient(SQSClient, 'SQS', { tracer });

// The snapshot (the base, rewritten by each compaction) and the change log after it: each check applies the
// new segments to the compiled index in place; a matcher far behind looks for a newer snapshot first.
const subscriptions = new SubscriptionSnapshotCache({
  store: new S3SnapshotStore(s3, config.snapshotBucket, SNAPSHOT_KEY),
  changes: new S3ChangeLog(s3, config.snapshotBucket, CHANGE_LOG_PREFIX, {
    settleMs: config.changeLogSettleMs,
  }),
  compile: compileSubscriptions,
  checkIntervalSeconds: config.snapshotCheckSeconds,
  log: logger,
});

/** The last change-log segment this container's matcher has applied (the local stack and its tests wait on it). */
export function appliedChangesPosition(): string | undefined {
  return subscriptions.changesPosition;
}
// Loaded while the container initialises, so the first stories need not wait for it. Lambda gives the init
// phase 10 s: past INIT_LOAD_BUDGET_MS the load goes on in the background and the first batch awaits it. A
// failure here is not fatal: the first batch tries again (and is retried itself if S3 is still unreachable).
const INIT_LOAD_BUDGET_MS = 5000;
let initBudget: NodeJS.Timeout | undefined;
await Promise.race([
  subscriptions.current().catch((error: unknown) =>
    logger.warn('Could not load the subscriptions snapshot at start; will retry on the first batch', {
      error: describeError(error),
    }),
  ),
  new Promise((resolve) => {
    initBudget = setTimeout(resolve, INIT_LOAD_BUDGET_MS);
  }),
]);
clearTimeout(initBudget);

const deliveries = new SqsDeliveryQueue(sqs, config.deliveriesQueueUrl);
const recentStories = new S3RecentStories(s3, config.snapshotBucket, RECENT_STORIES_PREFIX);
const onRecentStoriesError = (error: unknown, stories: readonly Story[]) =>
  logger.warn('Could not keep the stories for query previews', {
    storyIds: stories.map((story) => story.id).slice(0, 10),
    error: describeError(error),
  });

/** A message attribute `format` (String) may name the wire format and skip detection. */
function formatHint(record: SQSRecord): StoryFormat | undefined {
  const value = record.messageAttributes?.[STORY_MESSAGE_ATTRIBUTES.format]?.stringValue;
  return (STORY_FORMATS as readonly string[]).includes(value ?? '') ? (value as StoryFormat) : undefined;
}

/** The story in a message: its body, or the bytes of a base64 body (core/stories/message.ts). */
function storyOf(record: SQSRecord): string | Uint8Array {
  const encoding = record.messageAttributes?.[STORY_MESSAGE_ATTRIBUTES.contentEncoding]?.stringValue;
  return decodeStoryMessage(record.body, encoding);
}

async function processRecord(
  record: SQSRecord,
  compiled: CompiledSubscriptions,
  parsed: Story[],
): Promise<void> {
  let stories: Story[];
  try {
    stories = parseStories(storyOf(record), { format: formatHint(record) });
  } catch (error) {
    metrics.addMetric(METRICS.storiesRejected, MetricUnit.Count, 1);
    const reason =
      error instanceof StoryParseError
        ? { code: error.code, reason: error.message }
        : { reason: describeError(error) };
    logger.warn('Story rejected', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      ...reason,
    });
    throw error;
  }
  metrics.addMetric(METRICS.storiesParsed, MetricUnit.Count, stories.length);
  parsed.push(...stories);
  for (const story of stories) {
    let plan: Awaited<ReturnType<typeof matchAndQueue>>;
    try {
      plan = await matchAndQueue(story, compiled, deliveries);
    } catch (error) {
      // Said as plainly as a story that cannot be parsed: which story, and why (it is retried).
      logger.warn('Alerts not queued; the story will be retried', {
        messageId: record.messageId,
        storyId: story.id,
        receiveCount: record.attributes.ApproximateReceiveCount,
        reason: describeError(error),
      });
      throw error;
    }
    metrics.addMetric(METRICS.matches, MetricUnit.Count, plan.matches.length);
    if (story.status !== 'killed' && story.status !== 'withheld') {
      metrics.addMetric(METRICS.matchLatency, MetricUnit.Milliseconds, plan.matchMilliseconds);
    }
    logger.info('Story matched', {
      messageId: record.messageId,
      storyId: story.id,
      version: story.version,
      status: story.status,
      format: story.format,
      matches: plan.matches.length,
      deliveries: deliveryCount(plan),
      matchMilliseconds: Math.round(plan.matchMilliseconds * 1000) / 1000,
    });
  }
}

async function matchStories(event: SQSEvent, context: Context) {
  // Fails the whole batch only when there are no subscriptions at all yet (cold start with S3 failing).
  const compiled = await subscriptions.current();
  const processor = new BatchProcessor(EventType.SQS, { logger });
  const parsed: Story[] = [];
  const response = await processPartialResponse(
    event,
    (record: SQSRecord) => processRecord(record, compiled, parsed),
    processor,
    { context, throwOnFullBatchFailure: false },
  );
  // One write for the batch's stories, after their alerts are queued (previews are not on the alert path).
  await keepForPreviews(parsed, recentStories, onRecentStoriesError);
  return response;
}

export const handler = withObservability(matchStories, observability);
