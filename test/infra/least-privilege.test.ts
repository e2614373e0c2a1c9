import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CHANGE_LOG_PREFIX, ENV, RECENT_STORIES_PREFIX, SNAPSHOT_KEY } from '../../definitions/resources.ts';
import {
  actionsOf,
  allowedActions,
  functionProperties,
  onlyId,
  type PolicyStatement,
  referencedId,
  resourcesOf,
  statementsOf,
  synthesize,
} from './support.ts';

const LOGS_AND_TRACES = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];
const SQS_CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];

/** Statements of `service` that allow `action`. */
function allowing(template: Template, service: string, action: string): readonly PolicyStatement[] {
  return statementsOf(template, service).filter(
    (statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action),
  );
}

/** The stateful logical ids a function's statements for `action` point at (cross-stack references resolved). */
function targets(
  synthesized: ReturnType<typeof synthesize>,
  service: string,
  action: string,
): readonly string[] {
  return allowing(synthesized.stateless, service, action)
    .flatMap(resourcesOf)
    .map((resource) => referencedId(resource, synthesized.stateful));
}

/** A resource written as `Fn::Join` of a reference and a literal suffix, e.g. `<bucket ARN>/key`. */
function joinedSuffixes(template: Template, service: string, action: string): readonly string[] {
  return allowing(template, service, action)
    .flatMap(resourcesOf)
    .map((resource) => {
      const parts = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? [];
      return String(parts.at(-1));
    });
}

function joinedSuffix(resource: unknown): string {
  const parts = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? [];
  return String(parts.at(-1));
}

describe('least privilege', () => {
  it('lets the Matcher consume stories, send deliveries, read the snapshot and the change log and write recent stories, nothing else', () => {
    // GIVEN both stacks with default settings
    const synthesized = synthesize();
    const { stateless } = synthesized;
    // THEN the Matcher's allowed actions are exactly these
    expect(new Set(allowedActions(stateless, 'matcher'))).toEqual(
      new Set([
        ...LOGS_AND_TRACES,
        ...SQS_CONSUME,
        'sqs:SendMessage',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ]),
    );
    // AND each names its own resource
    expect(targets(synthesized, 'matcher', 'sqs:ReceiveMessage')).toEqual([
      expect.stringMatching(/^StoriesQueue/),
    ]);
    expect(targets(synthesized, 'matcher', 'sqs:SendMessage')).toEqual([
      expect.stringMatching(/^DeliveriesQueue/),
    ]);
    expect(joinedSuffixes(stateless, 'matcher', 's3:GetObject')).toEqual([
      `/${CHANGE_LOG_PREFIX}*`,
      `/${SNAPSHOT_KEY}`,
    ]);
    // The snapshot is the SnapshotBuilder's to write: the Matcher writes only under the recent-stories prefix.
    expect(joinedSuffixes(stateless, 'matcher', 's3:PutObject')).toEqual([`/${RECENT_STORIES_PREFIX}*`]);
    // AND it has no SES, SNS, DynamoDB, KMS or Secrets Manager permission at all
    for (const action of allowedActions(stateless, 'matcher')) {
      expect(action).not.toMatch(/^(ses|sns|dynamodb|kms|secretsmanager):/);
    }
  });

  it('lets the Notifier consume deliveries, use the ledger, publish alerts, send mail and SMS, read the secret', () => {
    const synthesized = synthesize();
    const { stateless } = synthesized;
    expect(new Set(allowedActions(stateless, 'notifier'))).toEqual(
      new Set([
        ...LOGS_AND_TRACES,
        ...SQS_CONSUME,
        'sqs:SendMessage',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        // Delivery control: throttle counters in the ledger (alerts are held with BatchWriteItem); claim release;
        // a subscription past its daily cap becomes a daily digest (digest-sender.test.ts).
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'sns:Publish',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'ses:SendEmail',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(targets(synthesized, 'notifier', 'sqs:ReceiveMessage')).toEqual([
      expect.stringMatching(/^DeliveriesQueue/),
    ]);
    // Settle notices to its own queue; alerts SES refused for good to the dead-letter queue.
    expect([...targets(synthesized, 'notifier', 'sqs:SendMessage')].sort()).toEqual([
      expect.stringMatching(/^DeliveriesDeadLetterQueue/),
      expect.stringMatching(/^DeliveriesQueue/),
    ]);
    expect(targets(synthesized, 'notifier', 'dynamodb:PutItem')).toEqual([
      expect.stringMatching(/^LedgerTable/),
    ]);
    expect(targets(synthesized, 'notifier', 'kms:GenerateDataKey')).toEqual([
      expect.stringMatching(/^TopicsKey/),
    ]);
    expect(targets(synthesized, 'notifier', 'secretsmanager:GetSecretValue')).toEqual([
      expect.stringMatching(/^SigningSecret/),
    ]);
    // sns:Publish: the alerts topic, plus "*" for SMS (phone numbers have no ARN)
    const publishResources = allowing(stateless, 'notifier', 'sns:Publish').flatMap(resourcesOf);
    expect(publishResources).toContain('*');
    const topics = publishResources.filter((resource) => resource !== '*');
    expect(topics.map((topic) => referencedId(topic, synthesized.stateful))).toEqual([
      expect.stringMatching(/^AlertsTopic/),
    ]);
    // It cannot touch the snapshots bucket, in any way
    expect(allowedActions(stateless, 'notifier').some((action) => action.startsWith('s3:'))).toBe(false);
    expect(JSON.stringify(statementsOf(stateless, 'notifier'))).not.toContain('SnapshotsBucket');
  });

  it("lets SES send only from the configured identity, with the stack's configuration set", () => {
    // GIVEN a sender on a domain identity
    const { stateless } = synthesize({ senderAddress: 'desk@news.example.org' });
    // THEN SendEmail names exactly that identity and the configuration set the stack creates
    const resources = allowing(stateless, 'notifier', 'ses:SendEmail').flatMap(resourcesOf);
    const configurationSetId = onlyId(
      stateless,
      'AWS::SES::ConfigurationSet',
      'MailReputationConfigurationSet',
    );
    expect(resources).toHaveLength(2);
    expect(JSON.stringify(resources)).toContain(':identity/news.example.org"');
    expect(JSON.stringify(resources)).toContain(`:configuration-set/",{"Ref":"${configurationSetId}"}`);
    expect(functionProperties(stateless, 'notifier').Environment).toMatchObject({
      Variables: { [ENV.sesConfigurationSet]: { Ref: configurationSetId } },
    });
  });

  it('grants sending to any verified identity, from the sender only, when sesSandbox=true', () => {
    // GIVEN the SES sandbox setting
    const sandboxed = synthesize({ senderAddress: 'Desk <desk@news.example.org>', sesSandbox: 'true' });
    const plain = synthesize({ senderAddress: 'desk@news.example.org' });
    // THEN both the notifier and the API may send to identity/* with the From address pinned
    for (const service of ['notifier', 'subscription-api']) {
      const wildcard = allowing(sandboxed.stateless, service, 'ses:SendEmail').filter((statement) =>
        joinedSuffix(statement.Resource).endsWith(':identity/*'),
      );
      expect(wildcard, service).toHaveLength(1);
      expect(wildcard[0]?.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': 'desk@news.example.org' },
      });
      // AND without the setting there is no such grant
      expect(
        allowing(plain.stateless, service, 'ses:SendEmail').some((statement) =>
          joinedSuffix(statement.Resource).endsWith(':identity/*'),
        ),
      ).toBe(false);
    }
  });

  it('lets the mail feedback function write suppressions to the ledger, nothing else', () => {
    const synthesized = synthesize();
    expect(new Set(allowedActions(synthesized.stateless, 'mail-feedback'))).toEqual(
      new Set([...LOGS_AND_TRACES, 'dynamodb:PutItem']),
    );
    expect(targets(synthesized, 'mail-feedback', 'dynamodb:PutItem')).toEqual([
      expect.stringMatching(/^LedgerTable/),
    ]);
  });

  it('lets the SnapshotBuilder (the compaction) scan the table, list the change log and write the snapshot key only', () => {
    const synthesized = synthesize();
    const { stateless } = synthesized;
    expect(new Set(allowedActions(stateless, 'snapshot-builder'))).toEqual(
      new Set([...LOGS_AND_TRACES, 'dynamodb:Scan', 's3:ListBucket', 's3:PutObject']),
    );
    expect(targets(synthesized, 'snapshot-builder', 'dynamodb:Scan')).toEqual([
      expect.stringMatching(/^SubscriptionsTable/),
    ]);
    expect(joinedSuffixes(stateless, 'snapshot-builder', 's3:PutObject')).toEqual([`/${SNAPSHOT_KEY}`]);
    const [listing] = allowing(stateless, 'snapshot-builder', 's3:ListBucket');
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': [`${CHANGE_LOG_PREFIX}*`] } });
  });

  it('lets the change-log writer read its stream, look subscriptions up, write segments, the first snapshot and digest windows only', () => {
    const synthesized = synthesize();
    const { stateless } = synthesized;
    expect(new Set(allowedActions(stateless, 'change-log-writer'))).toEqual(
      new Set([
        ...LOGS_AND_TRACES,
        'dynamodb:BatchGetItem',
        // A changed subscription's next "no new stories" digest window (the digests table only).
        'dynamodb:BatchWriteItem',
        'dynamodb:Scan',
        'dynamodb:ListStreams',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ]),
    );
    expect(targets(synthesized, 'change-log-writer', 'dynamodb:BatchGetItem')).toEqual([
      expect.stringMatching(/^SubscriptionsTable/),
    ]);
    expect(targets(synthesized, 'change-log-writer', 'dynamodb:BatchWriteItem')).toEqual([
      expect.stringMatching(/^DigestsTable/),
    ]);
    expect(joinedSuffixes(stateless, 'change-log-writer', 's3:PutObject')).toEqual([
      `/${CHANGE_LOG_PREFIX}*`,
      `/${SNAPSHOT_KEY}`,
    ]);
    expect(joinedSuffixes(stateless, 'change-log-writer', 's3:GetObject')).toEqual([`/${SNAPSHOT_KEY}`]);
  });

  it('uses "*" only for actions that AWS offers no resource for, and no wildcard actions', () => {
    const { stateless } = synthesize();
    const allowedOnStar: Record<string, readonly string[]> = {
      matcher: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      notifier: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments', 'sns:Publish'],
      'snapshot-builder': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      'change-log-writer': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments', 'dynamodb:ListStreams'],
    };
    for (const [service, allowed] of Object.entries(allowedOnStar)) {
      const onStar = statementsOf(stateless, service)
        .filter((statement) => resourcesOf(statement).includes('*'))
        .flatMap(actionsOf);
      expect(new Set(onStar), service).toEqual(new Set(allowed));
      for (const action of allowedActions(stateless, service)) expect(action, service).not.toContain('*');
    }
  });
});
