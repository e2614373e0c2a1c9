/**
 * Change-log writer: a batch of the subscriptions table's stream (keys only) -> the changed subscriptions as
 * they stand now -> one change-log segment in S3 (core/pipeline/record-changes.ts), which every matcher applies
 * in place; and, with the digests table, the next "no new stories" digest of those that asked for it. Redelivery writes the same states again, which is harmless. A batch that fails is reported as a
 * partial batch failure from its first record, so the stream retries the whole batch in order (nothing after
 * it is written first); after the retries the event source sends it to its on-failure queue.
 *
 * The first batch a container sees also makes sure a snapshot exists: a new deployment has none, and matchers
 * need one to start from, so this builds it (one scan, while the table is new and small). After that the
 * schedule's compactions (snapshot-builder) keep it fresh.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { CHANGE_LOG_PREFIX, METRICS, SNAPSHOT_KEY, TABLES } from '../../definitions/resources.ts';
import { createAwsClient } from '../adapters/aws-clients.ts';
import { DynamoDbPendingDigests } from '../adapters/dynamodb-digests.ts';
import { createDocumentClient } from '../adapters/dynamodb-documents.ts';
import { DynamoDbSubscriptionLookup } from '../adapters/dynamodb-subscription-lookup.ts';
import { DynamoDbSubscriptionScanner } from '../adapters/dynamodb-subscription-scanner.ts';
import { S3ChangeLog } from '../adapters/s3-change-log.ts';
import { S3SnapshotStore } from '../adapters/s3-snapshot-store.ts';
import { readChangeLogWriterConfig } from '../config/functions.ts';
import { describeError } from '../core/describe-error.ts';
import { openEmptyDigests } from '../core/digests/empty-digests.ts';
import { buildSnapshot } from '../core/pipeline/build-snapshot.ts';
import { recordChanges } from '../core/pipeline/record-changes.ts';
import { createObservability, withObservability } from './shared/observability.ts';

const config = readChangeLogWriterConfig();
const observability = createObservability('change-log-writer');
const { logger, metrics, tracer } = observability;
const documents = createDocumentClient({ tracer });
const s3 = createAwsClient(S3Client, 'S3', { tracer });
const changes = new S3ChangeLog(s3, config.snapshotBucket, CHANGE_LOG_PREFIX, {
  settleMs: config.changeLogSettleMs,
});
const store = new S3SnapshotStore(s3, config.snapshotBucket, SNAPSHOT_KEY);
const lookup = new DynamoDbSubscriptionLookup(documents, config.subscriptionsTable);
const scanner = new DynamoDbSubscriptionScanner(documents, config.subscriptionsTable);
/** Where a changed subscription's next "no new stories" digest is opened (core/digests/empty-digests.ts). */
const pending =
  config.digestsTable === undefined ? undefined : new DynamoDbPendingDigests(documents, config.digestsTable);
/** Set once this container has seen a snapshot (or built one). */
let snapshotSeen = false;

/** The subscription id a stream record names, or undefined for a record without one. */
function changedId(record: DynamoDBRecord): string | undefined {
  return record.dynamodb?.Keys?.[TABLES.subscriptions.partitionKey]?.S;
}

async function writeSegment(event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> {
  const records = event.Records ?? [];
  const ids: string[] = [];
  for (const record of records) {
    const id = changedId(record);
    if (id === undefined) {
      // Not a subscription's key: retrying cannot change that, so it is logged and passed over.
      logger.warn('Stream record without a subscription id; skipped', {
        eventId: record.eventID,
        eventName: record.eventName,
      });
    } else ids.push(id);
  }
  try {
    const recorded = await recordChanges(ids, { lookup, changes });
    metrics.addMetric(METRICS.subscriptionChanges, MetricUnit.Count, recorded.puts + recorded.removes);
    logger.info('Subscription changes written to the change log', {
      records: records.length,
      key: recorded.key,
      puts: recorded.puts,
      removes: recorded.removes,
    });
    if (pending !== undefined) {
      const opened = await openEmptyDigests(recorded.current.values(), pending, Date.now());
      if (opened > 0) logger.info('Opened "no new stories" digest windows', { opened });
    }
    if (!snapshotSeen) {
      if (!(await store.exists())) {
        const summary = await buildSnapshot({ scanner, store, changes });
        logger.info('No subscriptions snapshot yet: built the first one', { ...summary });
      }
      snapshotSeen = true;
    }
  } catch (error) {
    const first = records[0]?.dynamodb?.SequenceNumber;
    logger.warn('Subscription changes not written; the stream retries the batch', {
      records: records.length,
      reason: describeError(error),
    });
    if (first === undefined) throw error;
    return { batchItemFailures: [{ itemIdentifier: first }] };
  }
  return { batchItemFailures: [] };
}

export const handler = withObservability(writeSegment, observability);
