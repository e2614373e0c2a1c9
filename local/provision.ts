/**
 * Creates Wirewatch's queues, tables, topic and bucket on the local stand-ins from the same definitions the CDK
 * stacks use (definitions/resources.ts). Idempotent: what exists is reused (a queue's attributes are brought up to
 * date), so `npm start` can provision on every start against persisted DynamoDB data.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  BUCKETS,
  ENV,
  QUEUES,
  type QueueDefinition,
  TABLES,
  type TableDefinition,
  TOPICS,
} from '../definitions/resources.ts';
import { createAwsClient } from '../functions/adapters/aws-clients.ts';
import { DEFAULT_SMS_COUNTRIES } from '../functions/core/subscriptions/phone.ts';
import type { Standins } from './standins.ts';

export type QueueKey = keyof typeof QUEUES;
export type TableKey = keyof typeof TABLES;

export interface ProvisionOptions {
  /**
   * Visibility timeout for every queue, seconds. Default: the production value (6x the function timeout, up to
   * 180 s), which makes a failed message wait minutes before its retry; `npm start` uses a few seconds.
   */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before the dead-letter queue, for every queue. Default: the production value (5 or 8). */
  readonly maxReceiveCount?: number;
}

export interface ProvisionedQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly deadLetter: { readonly name: string; readonly url: string; readonly arn: string };
}

export interface ProvisionedResources {
  readonly queues: Readonly<Record<QueueKey, ProvisionedQueue>>;
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly alertsTopicArn: string;
  readonly snapshotBucket: string;
  /** The resource part of the handlers' environment (`ENV.*` names). */
  readonly handlerEnv: Readonly<Record<string, string>>;
}

/** AWS SDK clients pointed at the stand-ins (explicit endpoints, so nothing depends on process.env). */
export function standinClients(standins: Standins) {
  const common = { region: standins.region, credentials: standins.credentials };
  return {
    sqs: createAwsClient(SQSClient, 'SQS', { ...common, endpoint: standins.endpoints.sqs }),
    sns: createAwsClient(SNSClient, 'SNS', { ...common, endpoint: standins.endpoints.sns }),
    s3: createAwsClient(S3Client, 'S3', { ...common, endpoint: standins.endpoints.s3 }),
    dynamodb: createAwsClient(DynamoDBClient, 'DYNAMODB', {
      ...common,
      endpoint: standins.endpoints.dynamodb,
    }),
  };
}

export async function provisionResources(
  standins: Standins,
  options: ProvisionOptions = {},
): Promise<ProvisionedResources> {
  const clients = standinClients(standins);
  try {
    const [stories, deliveries] = await Promise.all([
      provisionQueue(clients.sqs, QUEUES.stories, options),
      provisionQueue(clients.sqs, QUEUES.deliveries, options),
    ]);
    await Promise.all(Object.values(TABLES).map((table) => provisionTable(clients.dynamodb, table)));
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: TOPICS.alerts.name }));
    await provisionBucket(clients.s3, BUCKETS.snapshots.name);
    if (TopicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
    const tables = {
      subscriptions: TABLES.subscriptions.name,
      ledger: TABLES.ledger.name,
      digests: TABLES.digests.name,
    };
    return {
      queues: { stories, deliveries },
      tables,
      alertsTopicArn: TopicArn,
      snapshotBucket: BUCKETS.snapshots.name,
      handlerEnv: {
        [ENV.subscriptionsTable]: tables.subscriptions,
        [ENV.ledgerTable]: tables.ledger,
        [ENV.digestsTable]: tables.digests,
        [ENV.snapshotBucket]: BUCKETS.snapshots.name,
        [ENV.deliveriesQueueUrl]: deliveries.url,
        [ENV.deliveriesDeadLetterQueueUrl]: deliveries.deadLetter.url,
        [ENV.alertsTopicArn]: TopicArn,
      },
    };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

export interface LocalSettings {
  readonly signingSecret: string;
  /** Where unsubscribe and confirmation links point (the local subscribe API). */
  readonly publicBaseUrl: string;
  /** Default `alerts@wirewatch.local`. */
  readonly senderAddress?: string;
  /** Default `US,CA`. */
  readonly allowedSmsCountries?: string;
  /** Default 2 (seconds) between the matcher's checks of the change log. */
  readonly snapshotCheckSeconds?: number;
  /** Seconds a delivery claim blocks other copies; default the production lease (DELIVERY_CLAIM_LEASE_SECONDS). */
  readonly claimLeaseSeconds?: number;
}

/** Everything the handlers read from their environment, for the local stack: SDK endpoints and `ENV.*`. */
export function localHandlerEnv(
  standins: Standins,
  resources: ProvisionedResources,
  settings: LocalSettings,
): Record<string, string> {
  return {
    ...standins.sdkEnv,
    ...resources.handlerEnv,
    [ENV.senderAddress]: settings.senderAddress ?? 'alerts@wirewatch.local',
    [ENV.publicBaseUrl]: settings.publicBaseUrl,
    [ENV.signingSecret]: settings.signingSecret,
    [ENV.allowedSmsCountries]: settings.allowedSmsCountries ?? DEFAULT_SMS_COUNTRIES.join(','),
    [ENV.snapshotCheckSeconds]: String(settings.snapshotCheckSeconds ?? 2),
    // One change-log writer, in order: no segment can become visible after a later one, so none need settle.
    [ENV.changeLogSettleMs]: '0',
    ...(settings.claimLeaseSeconds === undefined
      ? {}
      : { [ENV.claimLeaseSeconds]: String(settings.claimLeaseSeconds) }),
  };
}

async function provisionQueue(
  sqs: SQSClient,
  definition: QueueDefinition,
  options: ProvisionOptions,
): Promise<ProvisionedQueue> {
  const visibility = String(options.visibilityTimeoutSeconds ?? definition.visibilityTimeoutSeconds);
  const deadLetterName = `${definition.name}-dlq`;
  const deadLetter = await ensureQueue(sqs, deadLetterName, {
    MessageRetentionPeriod: String(definition.deadLetterRetentionSeconds),
    MaximumMessageSize: String(definition.maxMessageSizeBytes),
    VisibilityTimeout: visibility,
  });
  const queue = await ensureQueue(sqs, definition.name, {
    MessageRetentionPeriod: String(definition.retentionSeconds),
    MaximumMessageSize: String(definition.maxMessageSizeBytes),
    VisibilityTimeout: visibility,
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetter.arn,
      maxReceiveCount: options.maxReceiveCount ?? definition.maxReceiveCount,
    }),
  });
  return { name: definition.name, ...queue, deadLetter: { name: deadLetterName, ...deadLetter } };
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  let url: string | undefined;
  try {
    ({ QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })));
  } catch (error) {
    // fauxqs names the error `AWS.SimpleQueueService.QueueNameExists`, which the SDK does not map to its class.
    if (!(error instanceof QueueNameExists || /QueueNameExists$/.test(String((error as Error).name))))
      throw error;
    // Exists with other settings (e.g. another visibility timeout): reuse it, with these settings.
    ({ QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name })));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  if (url === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`Queue ${name} has no QueueArn`);
  return { url, arn };
}

async function provisionTable(dynamodb: DynamoDBClient, table: TableDefinition): Promise<void> {
  const keys = new Set([table.partitionKey, ...(table.sortKey === undefined ? [] : [table.sortKey])]);
  for (const index of table.globalIndexes) {
    keys.add(index.partitionKey);
    if (index.sortKey !== undefined) keys.add(index.sortKey);
  }
  const keySchema = (partitionKey: string, sortKey: string | undefined) => [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey === undefined ? [] : [{ AttributeName: sortKey, KeyType: 'RANGE' as const }]),
  ];
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        ...(table.globalIndexes.length === 0
          ? {}
          : {
              GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
                IndexName: index.name,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: 'ALL' },
              })),
            }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    // Exists (persisted from an earlier start): reuse it.
    await dynamodb.send(new DescribeTableCommand({ TableName: table.name }));
  }
  // dynalite has no UpdateTimeToLive: ledger claims do not expire locally (a restart with fresh data clears them).
}

async function provisionBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    const code = (error as { name?: unknown }).name;
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
  }
}
