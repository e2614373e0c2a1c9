/**
 * Everything that holds data or an address others depend on: queues, tables, topics, the snapshots bucket,
 * the topics' key, the signing secret and the subscribers' user pool. Deployed rarely; RETAINed by default.
 * Resource settings come from definitions/resources.ts, shared with the local stack.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import {
  CHANGE_LOG_DAYS,
  CHANGE_LOG_PREFIX,
  QUEUES,
  RECENT_STORIES_DAYS,
  RECENT_STORIES_PREFIX,
  TABLES,
  type TableDefinition,
} from '../../definitions/resources.ts';
import { QueueWithDeadLetter } from '../constructs/queue-with-dead-letter.ts';
import { SubscriberUserPool } from '../constructs/subscriber-user-pool.ts';
import type { WirewatchSettings } from '../settings.ts';

export interface WirewatchStatefulStackProps extends StackProps {
  readonly settings: WirewatchSettings;
}

export class WirewatchStatefulStack extends Stack {
  readonly stories: QueueWithDeadLetter;
  readonly deliveries: QueueWithDeadLetter;
  readonly subscriptionsTable: dynamodb.Table;
  readonly ledgerTable: dynamodb.Table;
  readonly digestsTable: dynamodb.Table;
  readonly topicsKey: kms.Key;
  readonly alertsTopic: sns.Topic;
  readonly operationsTopic: sns.Topic;
  readonly snapshotsBucket: s3.Bucket;
  readonly signingSecret: secretsmanager.Secret;
  readonly subscribers: SubscriberUserPool;

  constructor(scope: Construct, id: string, props: WirewatchStatefulStackProps) {
    super(scope, id, {
      description: 'Wirewatch: queues, tables, topics, snapshots bucket, secret, user pool',
      ...props,
    });
    const { settings } = props;
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.stories = new QueueWithDeadLetter(this, 'Stories', { definition: QUEUES.stories, removalPolicy });
    this.deliveries = new QueueWithDeadLetter(this, 'Deliveries', {
      definition: QUEUES.deliveries,
      removalPolicy,
    });

    // KEYS_ONLY: the change-log writer reads each changed subscription as it stands (strongly consistent).
    this.subscriptionsTable = this.table('SubscriptionsTable', TABLES.subscriptions, settings, {
      stream: dynamodb.StreamViewType.KEYS_ONLY,
    });
    this.ledgerTable = this.table('LedgerTable', TABLES.ledger, settings, {});
    this.digestsTable = this.table('DigestsTable', TABLES.digests, settings, {});

    this.topicsKey = new kms.Key(this, 'TopicsKey', {
      description: 'Wirewatch: encrypts the alerts and operations SNS topics',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(settings.retainData ? 30 : 7),
    });
    // CloudWatch alarms publish to the (encrypted) operations topic.
    this.topicsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.alertsTopic = new sns.Topic(this, 'AlertsTopic', {
      displayName: 'Wirewatch alerts',
      masterKey: this.topicsKey,
      enforceSSL: true,
    });
    this.operationsTopic = new sns.Topic(this, 'OperationsTopic', {
      displayName: 'Wirewatch operations alarms',
      masterKey: this.topicsKey,
      enforceSSL: true,
    });
    this.operationsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.operationsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    if (settings.opsEmail !== undefined) {
      this.operationsTopic.addSubscription(new subscriptions.EmailSubscription(settings.opsEmail));
    }
    for (const topic of [this.alertsTopic, this.operationsTopic]) topic.applyRemovalPolicy(removalPolicy);

    this.snapshotsBucket = this.bucket(settings.retainData, removalPolicy);

    this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
      description: 'Wirewatch: HMAC key of unsubscribe and confirmation links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key signs unsubscribe and confirmation links already in inboxes; rotating it would break ' +
        'every one of them, so it is rotated by hand (with a grace period for the old key), not on a schedule.',
    });

    this.subscribers = new SubscriberUserPool(this, 'Subscribers', {
      removalPolicy,
      deletionProtection: settings.retainData,
      signUp: settings.signUp,
      tier: settings.userPoolTier,
      domainPrefix: settings.signInDomainPrefix,
    });

    // What operators need after `cdk deploy`: where to send stories, what integrations subscribe to.
    new CfnOutput(this, 'StoriesQueueUrl', {
      value: this.stories.queue.queueUrl,
      description: 'Send wire stories here (wirewatch publish --queue-url ...)',
    });
    new CfnOutput(this, 'AlertsTopicArn', {
      value: this.alertsTopic.topicArn,
      description: 'Every alert as JSON; subscribe integrations with filter policies',
    });
    new CfnOutput(this, 'StoriesDeadLetterQueueUrl', {
      value: this.stories.deadLetterQueue.queueUrl,
      description: 'Stories that could not be parsed (wirewatch dlq --dlq-url ...)',
    });
    new CfnOutput(this, 'DeliveriesDeadLetterQueueUrl', {
      value: this.deliveries.deadLetterQueue.queueUrl,
      description: 'Alerts that could not be sent (wirewatch dlq --queue deliveries --dlq-url ...)',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.subscribers.userPool.userPoolId,
      description:
        'Invite subscribers: aws cognito-idp admin-create-user --user-pool-id ... --username ADDRESS',
    });
    new CfnOutput(this, 'SignInDomainUrl', {
      value: this.subscribers.domain.baseUrl(),
      description: 'Managed login (wirewatch login --auth-url ...)',
    });
  }

  private table(
    id: string,
    definition: TableDefinition,
    settings: WirewatchSettings,
    extra: Pick<dynamodb.TableProps, 'stream'>,
  ): dynamodb.Table {
    const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    const table = new dynamodb.Table(this, id, {
      partitionKey: stringKey(definition.partitionKey),
      ...(definition.sortKey === undefined ? {} : { sortKey: stringKey(definition.sortKey) }),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.retainData,
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...extra,
    });
    for (const index of definition.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        ...(index.sortKey === undefined ? {} : { sortKey: stringKey(index.sortKey) }),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  private bucket(retainData: boolean, removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'SnapshotsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Versions let an operator roll back a bad snapshot; old ones expire.
      versioned: true,
      lifecycleRules: [
        {
          id: 'recent-stories',
          prefix: RECENT_STORIES_PREFIX,
          expiration: Duration.days(RECENT_STORIES_DAYS),
        },
        {
          // Compactions fold segments into the snapshot every hour; a matcher far behind reloads the snapshot
          // first; execution environments live hours, not days: a week is longer than any matcher can lag.
          id: 'change-log',
          prefix: CHANGE_LOG_PREFIX,
          expiration: Duration.days(CHANGE_LOG_DAYS),
        },
        {
          id: 'old-versions',
          noncurrentVersionExpiration: Duration.days(7),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
      autoDeleteObjects: !retainData,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only data derived from the subscriptions table and recent stories, is private, and is ' +
        'read every few seconds by the matcher: access logs would be noise and cost without audit value.',
    });
    return bucket;
  }
}

/** What the stateless stack (and the subscribe API) build on; typed so that nothing is looked up by name. */
export type StatefulResources = Pick<
  WirewatchStatefulStack,
  | 'stories'
  | 'deliveries'
  | 'subscriptionsTable'
  | 'ledgerTable'
  | 'digestsTable'
  | 'topicsKey'
  | 'alertsTopic'
  | 'operationsTopic'
  | 'snapshotsBucket'
  | 'signingSecret'
  | 'subscribers'
>;
