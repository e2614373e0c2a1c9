import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  CHANGE_LOG_DAYS,
  CHANGE_LOG_PREFIX,
  QUEUES,
  RECENT_STORIES_DAYS,
  RECENT_STORIES_PREFIX,
  TABLES,
} from '../../definitions/resources.ts';
import { onlyId, referencedId, resources, synthesize } from './support.ts';

const MiB = 1024 * 1024;

describe('WirewatchStatefulStack queues', () => {
  it.each([
    ['Stories', QUEUES.stories],
    ['Deliveries', QUEUES.deliveries],
  ] as const)('builds the %s queue and its dead-letter queue from definitions', (prefix, definition) => {
    // GIVEN the default settings
    // WHEN the stateful stack is synthesized
    const { stateful } = synthesize();
    const queueId = onlyId(stateful, 'AWS::SQS::Queue', `${prefix}Queue`);
    const deadLetterId = onlyId(stateful, 'AWS::SQS::Queue', `${prefix}DeadLetterQueue`);
    const queue = resources(stateful)[queueId]!.Properties!;

    // THEN the queue has the defined timeouts, 1 MiB messages, SQS-managed encryption and a DLQ
    expect(queue).toMatchObject({
      VisibilityTimeout: definition.visibilityTimeoutSeconds,
      MessageRetentionPeriod: definition.retentionSeconds,
      MaximumMessageSize: MiB,
      SqsManagedSseEnabled: true,
    });
    const redrive = queue.RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: unknown };
    expect(redrive.maxReceiveCount).toBe(definition.maxReceiveCount);
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(referencedId(redrive.deadLetterTargetArn, stateful)).toBe(deadLetterId);
    expect(resources(stateful)[deadLetterId]!.Properties).toMatchObject({
      MessageRetentionPeriod: definition.deadLetterRetentionSeconds,
      SqsManagedSseEnabled: true,
    });
  });

  it.each(['Stories', 'Deliveries'])('outputs the %s dead-letter queue URL for wirewatch dlq', (prefix) => {
    // GIVEN the default settings
    // WHEN the stateful stack is synthesized
    const { stateful } = synthesize();
    const deadLetterId = onlyId(stateful, 'AWS::SQS::Queue', `${prefix}DeadLetterQueue`);
    // THEN an output names that queue's URL
    const output = stateful.findOutputs(`${prefix}DeadLetterQueueUrl`)[`${prefix}DeadLetterQueueUrl`];
    expect(referencedId(output?.Value, stateful)).toBe(deadLetterId);
  });

  it('denies every non-HTTPS request to each of the four queues', () => {
    const { stateful } = synthesize();
    const queueIds = Object.keys(resources(stateful, 'AWS::SQS::Queue'));
    expect(queueIds).toHaveLength(4);
    for (const queueId of queueIds) {
      stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('WirewatchStatefulStack tables', () => {
  it('keys the subscriptions table by id, indexes byOwner, streams keys, and keeps backups', () => {
    const { stateful } = synthesize();
    const index = TABLES.subscriptions.globalIndexes[0]!;
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: TABLES.subscriptions.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ],
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('keys the ledger by pk, expires it by the defined TTL attribute, and keeps backups', () => {
    const { stateful } = synthesize();
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: TABLES.ledger.partitionKey, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: TABLES.ledger.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('WirewatchStatefulStack topics, key, bucket, secret, user pool', () => {
  it('encrypts both topics with one rotating key that CloudWatch alarms may use', () => {
    const { stateful } = synthesize();
    const keyId = onlyId(stateful, 'AWS::KMS::Key', 'TopicsKey');
    const topics = Object.values(resources(stateful, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(2);
    for (const topic of topics) {
      expect(referencedId(topic.Properties!.KmsMasterKeyId, stateful)).toBe(keyId);
    }
    stateful.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('subscribes the ops address to the operations topic only when opsEmail is set', () => {
    // GIVEN no opsEmail THEN no subscription
    synthesize().stateful.resourceCountIs('AWS::SNS::Subscription', 0);
    // GIVEN an opsEmail THEN one e-mail subscription to the operations topic
    const { stateful } = synthesize({ opsEmail: 'ops@example.com' });
    const operationsTopicId = onlyId(stateful, 'AWS::SNS::Topic', 'OperationsTopic');
    stateful.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: operationsTopicId },
    });
  });

  it('keeps the snapshots bucket private, encrypted, HTTPS-only and versioned, and expires recent stories', () => {
    const { stateful } = synthesize();
    const bucketId = onlyId(stateful, 'AWS::S3::Bucket', 'SnapshotsBucket');
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: RECENT_STORIES_PREFIX,
            ExpirationInDays: RECENT_STORIES_DAYS,
            Status: 'Enabled',
          }),
          // Change-log segments outlive any matcher's lag; old snapshots (versions) go after a week.
          Match.objectLike({
            Id: 'change-log',
            Prefix: CHANGE_LOG_PREFIX,
            ExpirationInDays: CHANGE_LOG_DAYS,
            Status: 'Enabled',
          }),
          Match.objectLike({ Id: 'old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 7 } }),
        ]),
      },
    });
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('generates a signing secret of at least 32 characters', () => {
    const { stateful } = synthesize();
    const secret = Object.values(resources(stateful, 'AWS::SecretsManager::Secret'));
    expect(secret).toHaveLength(1);
    const generate = secret[0]!.Properties!.GenerateSecretString as { PasswordLength: number };
    expect(generate.PasswordLength).toBeGreaterThanOrEqual(32);
  });

  it('creates an invite-only Essentials user pool with a strong password policy and optional MFA', () => {
    // GIVEN the default settings
    const { stateful } = synthesize();
    // THEN only administrators create users, on the Essentials plan (no threat protection add-on)
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolAddOns: Match.absent(),
    });
  });

  it('opens self sign-up with e-mail verification, and Plus with threat protection, when asked', () => {
    // GIVEN signUp=open and userPoolTier=plus
    const { stateful } = synthesize({ signUp: 'open', userPoolTier: 'plus' });
    // THEN anyone may sign up, verifying their address, and risky sign-ins are blocked
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      AutoVerifiedAttributes: ['email'],
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('creates the managed login domain, wirewatch-<account> unless a prefix is given', () => {
    // GIVEN default settings, and a prefix
    const { stateful } = synthesize();
    const named = synthesize({ signInDomainPrefix: 'acme-alerts' }).stateful;
    // THEN a version 2 (managed login) Cognito domain exists on the pool, and its URL is an output
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['wirewatch-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: onlyId(stateful, 'AWS::Cognito::UserPool', 'SubscribersUserPool') },
    });
    named.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-alerts' });
    stateful.hasOutput('SignInDomainUrl', {
      Value: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['https://'])] }),
    });
  });
});

describe('WirewatchStatefulStack lifecycle', () => {
  const statefulTypes = [
    'AWS::SQS::Queue',
    'AWS::DynamoDB::Table',
    'AWS::S3::Bucket',
    'AWS::KMS::Key',
    'AWS::SNS::Topic',
    'AWS::SecretsManager::Secret',
    'AWS::Cognito::UserPool',
  ];

  it('retains every stateful resource by default', () => {
    const { stateful } = synthesize();
    for (const type of statefulTypes) {
      const found = Object.entries(resources(stateful, type));
      expect(found.length, type).toBeGreaterThan(0);
      for (const [id, resource] of found) expect(resource.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('deletes them with retainData=false (development stacks)', () => {
    const { stateful } = synthesize({ retainData: 'false' });
    for (const type of statefulTypes) {
      for (const [id, resource] of Object.entries(resources(stateful, type))) {
        expect(resource.DeletionPolicy, id).toBe('Delete');
      }
    }
    stateful.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('gives no resource a physical name', () => {
    const { stateful } = synthesize();
    const nameProperties = ['QueueName', 'TableName', 'TopicName', 'BucketName', 'UserPoolName', 'Name'];
    for (const [id, resource] of Object.entries(resources(stateful))) {
      for (const property of nameProperties)
        expect(resource.Properties?.[property], `${id}.${property}`).toBeUndefined();
    }
  });
});
