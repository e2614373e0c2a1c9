/**
 * Snapshot builder, the change log's compaction: a schedule (EventBridge, every hour by default) or a direct
 * invoke -> note the newest change-log segment -> scan the whole table -> write the gzipped snapshot naming
 * that segment, so matchers that load it apply only the segments after it. The event's content does not
 * matter: every run rebuilds from the table, so runs are idempotent. A failure throws (the schedule's target
 * retries it). Changes between compactions reach matchers through the change log (change-log-writer). The
 * local stack calls `buildSnapshot` (core/pipeline) on a timer instead.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { CHANGE_LOG_PREFIX, METRICS, SNAPSHOT_KEY } from '../../definitions/resources.ts';
import { createAwsClient } from '../adapters/aws-clients.ts';
import { createDocumentClient } from '../adapters/dynamodb-documents.ts';
import { DynamoDbSubscriptionScanner } from '../adapters/dynamodb-subscription-scanner.ts';
import { S3ChangeLog } from '../adapters/s3-change-log.ts';
import { S3SnapshotStore } from '../adapters/s3-snapshot-store.ts';
import { readSnapshotBuilderConfig } from '../config/functions.ts';
import { buildSnapshot, type SnapshotSummary } from '../core/pipeline/build-snapshot.ts';
import { createObservability, withObservability } from './shared/observability.ts';

export { buildSnapshot } from '../core/pipeline/build-snapshot.ts';

const config = readSnapshotBuilderConfig();
const observability = createObservability('snapshot-builder');
const { logger, metrics, tracer } = observability;
const documents = createDocumentClient({ tracer });
const s3 = createAwsClient(S3Client, 'S3', { tracer });
const ports = {
  scanner: new DynamoDbSubscriptionScanner(documents, config.subscriptionsTable),
  store: new S3SnapshotStore(s3, config.snapshotBucket, SNAPSHOT_KEY),
  changes: new S3ChangeLog(s3, config.snapshotBucket, CHANGE_LOG_PREFIX),
};

async function rebuild(event: unknown, _context: Context): Promise<SnapshotSummary> {
  const detailType = (event as { 'detail-type'?: unknown } | null)?.['detail-type'];
  const started = Date.now();
  const summary = await buildSnapshot(ports);
  metrics.addMetric(METRICS.snapshotSubscriptions, MetricUnit.Count, summary.subscriptions);
  metrics.addMetric(METRICS.snapshotBuildTime, MetricUnit.Milliseconds, Date.now() - started);
  if (summary.skipped > 0) {
    logger.warn('Subscription items that are not valid subscriptions were left out of the snapshot', {
      skipped: summary.skipped,
    });
  }
  logger.info('Subscriptions snapshot written', {
    ...summary,
    trigger: detailType === 'Scheduled Event' ? 'schedule' : 'direct',
    milliseconds: Date.now() - started,
  });
  return summary;
}

export const handler = withObservability(rebuild, observability);
