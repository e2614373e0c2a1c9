import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../definitions/resources.ts';
import { ROUTES } from '../../functions/api/route-table.ts';
import { SubscriptionApi, type SubscriptionApiProps } from '../../infra/constructs/subscription-api.ts';

type Overrides = Partial<SubscriptionApiProps> & { withInboundTopic?: boolean };

function build(overrides: Overrides = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'ApiTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const userPool = new cognito.UserPool(stack, 'Pool');
  const client = userPool.addClient('Client');
  const table = (name: string, key: string) =>
    new dynamodb.Table(stack, name, { partitionKey: { name: key, type: dynamodb.AttributeType.STRING } });
  const { withInboundTopic, ...props } = overrides;
  const api = new SubscriptionApi(stack, 'SubscriptionApi', {
    userPool,
    userPoolClients: [client],
    subscriptionsTable: table('Subscriptions', 'id'),
    ledgerTable: table('Ledger', 'pk'),
    signingSecret: new secretsmanager.Secret(stack, 'Secret'),
    snapshotsBucket: new s3.Bucket(stack, 'Snapshots'),
    email: { senderAddress: 'alerts@example.com', sesIdentity: 'example.com' },
    allowedSmsCountries: ['US', 'CA', 'GB'],
    ...(withInboundTopic ? { inboundSmsTopic: new sns.Topic(stack, 'InboundSms') } : {}),
    ...props,
  });
  return { app, stack, api, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties: Record<string, unknown> };
const ofType = (template: Template, type: string): Resource[] =>
  Object.values((template.toJSON() as { Resources: Record<string, Resource> }).Resources).filter(
    (r) => r.Type === type,
  );

describe('SubscriptionApi construct', () => {
  const { template, stack, api } = build({ withInboundTopic: true });

  it('puts the Cognito JWT authorizer on every user route and none on public routes', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
    const routes = ofType(template, 'AWS::ApiGatewayV2::Route');
    const byKey = new Map(routes.map((route) => [route.Properties.RouteKey as string, route.Properties]));
    for (const route of ROUTES) {
      const properties = byKey.get(`${route.method} ${route.path}`);
      if (route.access === 'local') {
        expect(properties, `${route.path} must not be exposed`).toBeUndefined();
        continue;
      }
      expect(properties, `${route.method} ${route.path}`).toBeDefined();
      expect(properties?.AuthorizationType, `${route.method} ${route.path}`).toBe(
        route.access === 'user' ? 'JWT' : 'NONE',
      );
    }
    expect(routes).toHaveLength(ROUTES.filter((route) => route.access !== 'local').length);
    expect([...byKey.keys()]).not.toContain('$default');
  });

  it('throttles the default stage and writes JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
    const custom = build({ throttle: { rateLimit: 5, burstLimit: 10 } }).template;
    custom.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  it('gives the function its configuration, with the API URL as the default link base', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          [ENV.subscriptionsTable]: Match.anyValue(),
          [ENV.ledgerTable]: Match.anyValue(),
          [ENV.signingSecretArn]: Match.anyValue(),
          [ENV.senderAddress]: 'alerts@example.com',
          [ENV.allowedSmsCountries]: 'US,CA,GB',
          [ENV.publicBaseUrl]: Match.anyValue(),
          POWERTOOLS_SERVICE_NAME: 'subscription-api',
        }),
      },
    });
    const fixed = build({ publicBaseUrl: 'https://alerts.example.com' }).template;
    fixed.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.publicBaseUrl]: 'https://alerts.example.com' }) },
    });
    expect(stack.resolve(api.url)).toBeDefined();
  });

  it('grants least privilege: named tables, bucket prefix, identity and secret, no wildcard actions', () => {
    const statements = ofType(template, 'AWS::IAM::Policy').flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );
    const actions = statements.flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
    expect(actions.filter((action) => action.includes('*') && !action.startsWith('xray:'))).toEqual([]);
    expect(new Set(actions.filter((action) => action.startsWith('dynamodb:')))).toEqual(
      new Set([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:ConditionCheckItem',
      ]),
    );
    expect(actions).toContain('ses:SendEmail');
    expect(actions).toContain('sns:Publish');
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions).not.toContain('s3:PutObject');
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    const starResources = statements
      .filter((statement) => statement.Resource === '*')
      .flatMap((s) => s.Action);
    // Only actions that have no resource ARN: SMS publish to a number, X-Ray.
    expect(new Set(starResources.flat())).toEqual(
      new Set(['sns:Publish', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
  });

  it('subscribes the function to the inbound SMS topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    expect(ofType(build().template, 'AWS::SNS::Subscription')).toHaveLength(0);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    const checks = new AwsSolutionsChecks();
    const findings = checks
      .validateScope(api)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((r) => `${violation.ruleName} at ${r.constructPath}`),
      );
    expect(findings).toEqual([]);
  });

  it('acknowledges exactly the public routes, where cdk-nag really reports a missing authorizer', () => {
    class RawChecks extends AwsSolutionsChecks {}
    Object.defineProperty(RawChecks.prototype, 'isAcknowledged', { value: () => false });
    const raw = new RawChecks()
      .validateScope(api)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((r) => `${violation.ruleName} at ${r.constructPath}`),
      );
    const publicRoutes = ROUTES.filter((route) => route.access === 'public').length;
    expect(raw.filter((finding) => finding.startsWith('AwsSolutions-APIG4'))).toHaveLength(publicRoutes);
    expect(
      raw.filter(
        (finding) => !finding.startsWith('AwsSolutions-APIG4') && !finding.startsWith('AwsSolutions-IAM5'),
      ),
    ).toEqual([]);
  });

  it.each<[string, Overrides, RegExp]>([
    ['zero rate', { throttle: { rateLimit: 0 } }, /rateLimit must be a positive number/],
    ['fractional burst', { throttle: { burstLimit: 2.5 } }, /burstLimit must be a whole number/],
    [
      'burst below rate',
      { throttle: { rateLimit: 100, burstLimit: 10 } },
      /burstLimit \(10\) must be at least rateLimit \(100\)/,
    ],
    ['no client', { userPoolClients: [] }, /at least one user pool client/],
    ['bad country', { allowedSmsCountries: ['44'] }, /'44' in allowedSmsCountries/],
    ['bad max', { maxSubscriptionsPerUser: 0 }, /maxSubscriptionsPerUser must be a positive whole number/],
    ['http base', { publicBaseUrl: 'http://alerts.example.com' }, /publicBaseUrl must be an https URL/],
    [
      'trailing slash',
      { publicBaseUrl: 'https://alerts.example.com/' },
      /no query, fragment or trailing slash/,
    ],
    [
      'bad sign-in',
      { signIn: { authUrl: 'javascript:alert(1)', clientId: 'abc' } },
      /signIn.authUrl must be an https URL/,
    ],
    [
      'bad retention',
      { logRetentionDays: 31 },
      /logRetentionDays 31 is not a CloudWatch Logs retention period/,
    ],
  ])('refuses %s', (_label, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
