/**
 * The subscribe HTTP API: API Gateway HTTP API (payload v2) -> one Lambda function with the router in
 * functions/api. Routes come from functions/api/route-table.ts: `user` routes get the Cognito JWT authorizer,
 * `public` routes (signed links in e-mails, the page) none, `local` routes are not exposed. The function also
 * takes inbound SMS (STOP, REVOKE, ...) from a two-way SMS topic when one is given.
 */
import { fileURLToPath } from 'node:url';
import { RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ENV, FUNCTION_TIMEOUTS } from '../../definitions/resources.ts';
import { ROUTES } from '../../functions/api/route-table.ts';
import { isSmsCountry } from '../../functions/core/subscriptions/phone.ts';
import {
  bindEmailSending,
  bindLedger,
  bindRecentStoriesReading,
  bindSigningSecret,
  bindSmsSending,
  bindSubscriptionsTable,
  type EmailSending,
} from '../bindings.ts';
import { DEFAULT_LOG_RETENTION_DAYS } from '../settings.ts';
import { WirewatchFunction } from './wirewatch-function.ts';

export interface SubscriptionApiThrottle {
  /** Steady requests per second for the whole stage. Default 20. */
  readonly rateLimit?: number;
  /** Requests allowed in a burst. Default 40. */
  readonly burstLimit?: number;
}

export interface SubscriptionApiProps {
  /** Subscribers sign in here; the authorizer accepts its tokens for `userPoolClients`. */
  readonly userPool: cognito.IUserPool;
  readonly userPoolClients: readonly cognito.IUserPoolClient[];
  readonly subscriptionsTable: dynamodb.ITable;
  readonly ledgerTable: dynamodb.ITable;
  readonly signingSecret: secretsmanager.ISecret;
  /** For query previews: the API reads recent stories under RECENT_STORIES_PREFIX. */
  readonly snapshotsBucket: s3.IBucket;
  /** Confirmation mails: sender and SES identity (the same as the notifier's). */
  readonly email: EmailSending;
  /** ISO 3166 countries SMS may go to, e.g. `['US', 'CA']`. Empty: SMS channels are refused. */
  readonly allowedSmsCountries: readonly string[];
  /** Base of confirmation links (https, no trailing slash). Default: this API's own URL. */
  readonly publicBaseUrl?: string;
  /** Two-way SMS replies (End User Messaging publishes them to an SNS topic). Default: none. */
  readonly inboundSmsTopic?: sns.ITopic;
  /** Stage throttling. Defaults: 20 requests/s, bursts of 40. */
  readonly throttle?: SubscriptionApiThrottle;
  /** Subscriptions per user. Default 50 (the handler's default). */
  readonly maxSubscriptionsPerUser?: number;
  /**
   * The page's sign-in (OAuth 2.0 code flow with PKCE): the managed login domain's base URL and the page's
   * app client id. Default: token paste only.
   */
  readonly signIn?: { readonly authUrl: string; readonly clientId: string };
  /** Origination number (E.164) or short code confirmation SMS are sent from. Default: SNS picks. */
  readonly smsOriginationNumber?: string;
  /** Days the function and access logs are kept. Default 30. */
  readonly logRetentionDays?: number;
  /** Default RETAIN. */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export const DEFAULT_API_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;

const handlerEntry = fileURLToPath(new URL('../../functions/handlers/api.ts', import.meta.url));

export class SubscriptionApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly function: WirewatchFunction;
  readonly accessLogs: logs.LogGroup;
  /** `https://{id}.execute-api.{region}.amazonaws.com` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SubscriptionApiProps) {
    super(scope, id);
    const throttle = { ...DEFAULT_API_THROTTLE, ...props.throttle };
    validateProps(props, throttle);
    const retentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.function = new WirewatchFunction(this, 'Function', {
      entry: handlerEntry,
      serviceName: 'subscription-api',
      description:
        'Subscribe API: subscriptions, double opt-in, one-click unsubscribe, SMS opt-out, the page',
      timeoutSeconds: FUNCTION_TIMEOUTS.api,
      logRetentionDays: retentionDays,
      logRemovalPolicy,
      environment: {
        ...(props.maxSubscriptionsPerUser === undefined
          ? {}
          : { [ENV.maxSubscriptionsPerUser]: String(props.maxSubscriptionsPerUser) }),
        ...(props.signIn === undefined
          ? {}
          : { [ENV.webAuthUrl]: props.signIn.authUrl, [ENV.webClientId]: props.signIn.clientId }),
      },
    });
    const fn = this.function;
    bindSubscriptionsTable(fn, props.subscriptionsTable, 'readWrite');
    // SMS opt-outs find every subscription of a number: a scan (rare; no index on phone numbers).
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [props.subscriptionsTable.tableArn] }),
    );
    bindLedger(fn, props.ledgerTable);
    bindRecentStoriesReading(fn, props.snapshotsBucket);
    bindEmailSending(fn, props.email);
    bindSmsSending(fn, props.allowedSmsCountries, props.smsOriginationNumber);
    bindSigningSecret(fn, props.signingSecret);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Wirewatch subscribe API',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: retentionDays as logs.RetentionDays,
      removalPolicy: logRemovalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
    this.url = this.httpApi.apiEndpoint;
    fn.addEnvironment(ENV.publicBaseUrl, props.publicBaseUrl ?? this.url);

    const integration = new HttpLambdaIntegration('Integration', fn);
    const authorizer = new HttpUserPoolAuthorizer('Authorizer', props.userPool, {
      userPoolClients: [...props.userPoolClients],
    });
    for (const route of ROUTES) {
      if (route.access === 'local') continue;
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
        ...(route.access === 'user' ? { authorizer } : {}),
      });
      if (route.access === 'public' && created !== undefined) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${route.method} ${route.path} is public by design: it serves the page, or acts on a signed, ` +
            'single-purpose link token from an e-mail (HMAC, checked by the function), as RFC 8058 one-click requires.',
        });
      }
    }

    if (props.inboundSmsTopic !== undefined) {
      props.inboundSmsTopic.addSubscription(new subscriptions.LambdaSubscription(fn));
    }
  }
}

function validateProps(props: SubscriptionApiProps, throttle: Required<SubscriptionApiThrottle>): void {
  const where = 'SubscriptionApi';
  if (!(throttle.rateLimit > 0 && Number.isFinite(throttle.rateLimit))) {
    throw new Error(
      `${where}: throttle.rateLimit must be a positive number of requests per second, not ${throttle.rateLimit}.`,
    );
  }
  if (!(Number.isInteger(throttle.burstLimit) && throttle.burstLimit >= 1)) {
    throw new Error(
      `${where}: throttle.burstLimit must be a whole number of at least 1, not ${throttle.burstLimit}.`,
    );
  }
  if (throttle.burstLimit < throttle.rateLimit) {
    throw new Error(
      `${where}: throttle.burstLimit (${throttle.burstLimit}) must be at least rateLimit (${throttle.rateLimit}).`,
    );
  }
  if (props.userPoolClients.length === 0) {
    throw new Error(
      `${where}: give at least one user pool client: the authorizer accepts tokens issued to those clients only.`,
    );
  }
  const bad = props.allowedSmsCountries.find((code) => !isSmsCountry(code));
  if (bad !== undefined) {
    throw new Error(
      `${where}: '${bad}' in allowedSmsCountries is not an ISO 3166 country code: use two capital letters, e.g. GB.`,
    );
  }
  if (
    props.maxSubscriptionsPerUser !== undefined &&
    !(Number.isInteger(props.maxSubscriptionsPerUser) && props.maxSubscriptionsPerUser > 0)
  ) {
    throw new Error(
      `${where}: maxSubscriptionsPerUser must be a positive whole number, not ${props.maxSubscriptionsPerUser}.`,
    );
  }
  for (const [name, value] of [
    ['publicBaseUrl', props.publicBaseUrl],
    ['signIn.authUrl', props.signIn?.authUrl],
  ] as const) {
    if (value === undefined || Token.isUnresolved(value)) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:')
      throw new Error(`${where}: ${name} must be an https URL, not '${value}'.`);
    if (name === 'publicBaseUrl' && (url.search !== '' || url.hash !== '' || value.endsWith('/'))) {
      throw new Error(`${where}: publicBaseUrl must have no query, fragment or trailing slash: '${value}'.`);
    }
  }
  const retention = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  if (!(Object.values(logs.RetentionDays) as unknown[]).includes(retention)) {
    throw new Error(
      `${where}: logRetentionDays ${retention} is not a CloudWatch Logs retention period (e.g. 30, 90, 365).`,
    );
  }
}
