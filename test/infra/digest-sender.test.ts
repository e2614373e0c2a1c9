import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DIGEST_SCHEDULE_MINUTES, ENV, FUNCTION_TIMEOUTS } from '../../definitions/resources.ts';
import {
  allowedActions,
  functionId,
  functionProperties,
  onlyId,
  referencedId,
  resourcesOf,
  statementsOf,
  synthesize,
} from './support.ts';

describe('DigestSender', () => {
  const synthesized = synthesize();
  const { stateful, stateless } = synthesized;

  it('keeps pending digests in their own table, with TTL and the due-time index', () => {
    // GIVEN the stateful stack WHEN synthesized THEN the digests table has pk/sk, TTL and byDue
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'byDue',
          KeySchema: [
            { AttributeName: 'dueShard', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
        }),
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
    });
  });

  it(`runs the digest function every ${DIGEST_SCHEDULE_MINUTES} minutes, without overlapping retries`, () => {
    // GIVEN the stateless stack WHEN synthesized THEN a schedule rule targets the digest function
    const digestsId = functionId(stateless, 'digests');
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${DIGEST_SCHEDULE_MINUTES} minutes)`,
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [digestsId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    // AND the function runs long enough to send a busy hour's digests, with the tables and links it needs
    expect(functionProperties(stateless, 'digests')).toMatchObject({
      Timeout: FUNCTION_TIMEOUTS.digests,
      Environment: {
        Variables: {
          [ENV.digestsTable]: expect.anything(),
          [ENV.ledgerTable]: expect.anything(),
          [ENV.publicBaseUrl]: expect.anything(),
          [ENV.signingSecretArn]: expect.anything(),
        },
      },
    });
  });

  it('grants the digest function only what sending digests needs', () => {
    // GIVEN the digest function's policies WHEN listed THEN they are the digests table, its index, the ledger,
    // mail, SMS and the signing secret
    const dynamodb = allowedActions(stateless, 'digests').filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamodb)).toEqual(
      new Set([
        'dynamodb:Query',
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchGetItem',
      ]),
    );
    const queried = statementsOf(stateless, 'digests')
      .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:Query'))
      .flatMap(resourcesOf)
      .map((resource) => JSON.stringify(resource));
    expect(queried.some((resource) => resource.includes('/index/byDue'))).toBe(true);
    expect(allowedActions(stateless, 'digests')).toEqual(
      expect.arrayContaining(['ses:SendEmail', 'sns:Publish']),
    );
    expect(allowedActions(stateless, 'digests').some((action) => action.startsWith('sqs:'))).toBe(false);
  });

  it('tells the notifier where to hold alerts', () => {
    // GIVEN the notifier WHEN synthesized THEN it names the digests table of the stateful stack
    const variables = (
      functionProperties(stateless, 'notifier').Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(referencedId(variables[ENV.digestsTable], stateful)).toBe(
      onlyId(stateful, 'AWS::DynamoDB::Table', 'DigestsTable'),
    );
  });

  it('lets the notifier switch a capped subscription to a daily digest, and nothing else on the subscriptions table', () => {
    // GIVEN the notifier's policies WHEN synthesized THEN one conditional UpdateItem, limited to the key,
    // `delivery` and `updatedAt`, returning nothing
    stateless.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:UpdateItem',
            Condition: {
              'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'delivery', 'updatedAt'] },
              StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
            },
          }),
        ]),
      },
    });
    const subscriptionsTable = onlyId(stateful, 'AWS::DynamoDB::Table', 'SubscriptionsTable');
    const onSubscriptions = statementsOf(stateless, 'notifier').filter((statement) =>
      resourcesOf(statement).some((resource) => {
        try {
          return referencedId(resource, stateful) === subscriptionsTable;
        } catch {
          return false;
        }
      }),
    );
    expect(onSubscriptions.map((statement) => [statement.Action, statement.Condition !== undefined])).toEqual(
      [['dynamodb:UpdateItem', true]],
    );
    const variables = (
      functionProperties(stateless, 'notifier').Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(referencedId(variables[ENV.subscriptionsTable], stateful)).toBe(subscriptionsTable);
  });
});
