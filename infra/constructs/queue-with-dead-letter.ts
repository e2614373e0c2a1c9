/**
 * An SQS queue and its dead-letter queue, both built from a QueueDefinition in definitions/resources.ts,
 * encrypted at rest (SQS-managed keys) and reachable over HTTPS only.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../../definitions/resources.ts';

export interface QueueWithDeadLetterProps {
  readonly definition: QueueDefinition;
  /** Applies to both queues. */
  readonly removalPolicy: RemovalPolicy;
}

export class QueueWithDeadLetter extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly definition: QueueDefinition;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    const { definition, removalPolicy } = props;
    this.definition = definition;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(definition.deadLetterRetentionSeconds),
      // A dead letter keeps the size the source queue accepted.
      maxMessageSizeBytes: definition.maxMessageSizeBytes,
      removalPolicy,
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(definition.retentionSeconds),
      maxMessageSizeBytes: definition.maxMessageSizeBytes,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      removalPolicy,
    });
  }
}
