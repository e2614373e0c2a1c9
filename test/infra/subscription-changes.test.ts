import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { CHANGE_STREAM, SubscriptionChanges } from '../../infra/constructs/subscription-changes.ts';
import { WirewatchFunction } from '../../infra/constructs/wirewatch-function.ts';
import { functionId, newApp, referencedId, resources, synthesize } from './support.ts';

describe('SubscriptionChanges (in the deployed stacks)', () => {
  it('feeds the change-log writer from the subscriptions stream: 5 s batches, in order, partial failures, bisect, a dead-letter queue', () => {
    // GIVEN the default settings WHEN both stacks are synthesized
    const { stateful, stateless } = synthesize();
    // THEN the writer reads the subscriptions table's stream from its oldest record
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(stateless, 'change-log-writer') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: CHANGE_STREAM.batchSize,
      MaximumBatchingWindowInSeconds: CHANGE_STREAM.maxBatchingWindowSeconds,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: CHANGE_STREAM.retryAttempts,
      MaximumRecordAgeInSeconds: 86_400,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    const [mapping] = Object.values(resources(stateless, 'AWS::Lambda::EventSourceMapping')).filter(
      (candidate) => candidate.Properties?.StartingPosition === 'TRIM_HORIZON',
    );
    expect(referencedId(mapping?.Properties?.EventSourceArn, stateful)).toMatch(/^SubscriptionsTable/);
    // AND no function is fed by the stream any more from the latest record (the old rebuild on every change)
    stateless.resourcePropertiesCountIs('AWS::Lambda::EventSourceMapping', { StartingPosition: 'LATEST' }, 0);
    // AND the stream's dead-letter queue is encrypted and alarmed
    stateless.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    const alarmed = Object.values(resources(stateless, 'AWS::CloudWatch::Alarm')).map((alarm) =>
      JSON.stringify(alarm.Properties ?? {}),
    );
    expect(alarmed.some((dimensions) => dimensions.includes('SubscriptionChangesDeadLetterQueue'))).toBe(
      true,
    );
  });

  it('runs the snapshot builder as the compaction every hour by default, and at the interval given', () => {
    // GIVEN the default settings WHEN the stateless stack is synthesized
    const { stateless } = synthesize();
    // THEN a schedule invokes the snapshot builder every hour
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId(stateless, 'snapshot-builder'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });

    // GIVEN the construct on its own with a 15-minute interval
    const stack = new Stack(newApp(), 'Standalone');
    const table = new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      stream: dynamodb.StreamViewType.KEYS_ONLY,
    });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const compaction = new WirewatchFunction(stack, 'Compaction', {
      entry: new URL('../../functions/handlers/snapshot-builder.ts', import.meta.url).pathname,
      serviceName: 'snapshot-builder',
      description: 'compaction',
      timeoutSeconds: 120,
    });
    new SubscriptionChanges(stack, 'Changes', {
      subscriptionsTable: table,
      snapshotsBucket: bucket,
      compaction,
      compactionInterval: Duration.minutes(15),
      logRetentionDays: 30,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    // WHEN it is synthesized THEN the schedule follows the prop
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
    });
  });
});
