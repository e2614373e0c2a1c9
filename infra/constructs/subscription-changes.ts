/**
 * Subscription changes without rebuilds: the subscriptions table's stream (keys only) -> the change-log
 * writer, one segment per batch under CHANGE_LOG_PREFIX in the snapshots bucket (matchers apply them in
 * place); and a schedule that runs the snapshot builder as the log's compaction (one scan, a new snapshot
 * naming the last segment folded in). The bucket's lifecycle rule (stateful stack) expires segments after
 * CHANGE_LOG_DAYS.
 */
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUTS } from '../../definitions/resources.ts';
import {
  bindChangeLogListing,
  bindChangeLogWriting,
  bindSnapshotWriting,
  bindSubscriptionsSnapshot,
  bindSubscriptionsTable,
} from '../bindings.ts';
import { WirewatchFunction } from './wirewatch-function.ts';

/** Default time between compactions: 24 scans a day (README: the read cost per day). */
export const DEFAULT_COMPACTION_INTERVAL = Duration.hours(1);

/** The stream's event source: a segment per 5 s of edits (an edit reaches matching well under 30 s). */
export const CHANGE_STREAM = {
  batchSize: 1000,
  maxBatchingWindowSeconds: 5,
  /** Retried (in order, the shard waits) until the records leave the stream after a day. */
  retryAttempts: 10_000,
  maxRecordAgeDays: 1,
} as const;

export interface SubscriptionChangesProps {
  /** Must have a stream (keys only is enough: the writer reads each changed item). */
  readonly subscriptionsTable: dynamodb.ITable;
  readonly snapshotsBucket: s3.IBucket;
  /** The snapshot builder: the schedule runs it as the compaction. */
  readonly compaction: WirewatchFunction;
  /** Time between compactions. Default DEFAULT_COMPACTION_INTERVAL (1 hour). */
  readonly compactionInterval?: Duration;
  /** MB of the writer, which builds the first snapshot of a new deployment. Default 512. */
  readonly writerMemoryMb?: number;
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class SubscriptionChanges extends Construct {
  readonly writer: WirewatchFunction;
  /** The stream's on-failure destination: the batches the event source gave up on (an alarm watches it). */
  readonly deadLetterQueue: sqs.Queue;
  readonly compactionSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: SubscriptionChangesProps) {
    super(scope, id);
    const { subscriptionsTable: table, snapshotsBucket: bucket } = props;

    this.writer = new WirewatchFunction(this, 'Writer', {
      entry: fileURLToPath(new URL('../../functions/handlers/change-log-writer.ts', import.meta.url)),
      serviceName: 'change-log-writer',
      description: 'Writes each batch of subscription changes to the change log the matchers apply',
      timeoutSeconds: FUNCTION_TIMEOUTS.changeLogWriter,
      memorySize: props.writerMemoryMb ?? 512,
      logRetentionDays: props.logRetentionDays,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the subscriptions stream: it holds the batches the ' +
        'event source gave up on, for an operator (an alarm fires on the first one).',
    });
    this.writer.addEventSource(
      new sources.DynamoEventSource(table, {
        // From the oldest record: changes made before the writer existed are written too (idempotent).
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: CHANGE_STREAM.batchSize,
        maxBatchingWindow: Duration.seconds(CHANGE_STREAM.maxBatchingWindowSeconds),
        retryAttempts: CHANGE_STREAM.retryAttempts,
        maxRecordAge: Duration.days(CHANGE_STREAM.maxRecordAgeDays),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new sources.SqsDlq(this.deadLetterQueue),
      }),
    );
    bindSubscriptionsTable(this.writer, table, 'lookup');
    bindChangeLogWriting(this.writer, bucket);
    // The first batch of a new deployment builds the snapshot (HEAD to see there is none, then write it).
    bindSubscriptionsSnapshot(this.writer, bucket);
    bindSnapshotWriting(this.writer, bucket);

    bindChangeLogListing(props.compaction, bucket);
    this.compactionSchedule = new events.Rule(this, 'CompactionSchedule', {
      description: 'Compacts the subscriptions change log: one scan into a new snapshot',
      schedule: events.Schedule.rate(props.compactionInterval ?? DEFAULT_COMPACTION_INTERVAL),
      targets: [new targets.LambdaFunction(props.compaction, { retryAttempts: 2 })],
    });
  }
}
