import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RECENT_STORIES_PREFIX } from '../../infra/definitions.ts';
import { S3RecentStories } from '../adapters/s3-recent-stories.ts';
import { SesEmailSender } from '../adapters/ses-email-sender.ts';
import { loadSigningSecret } from '../adapters/signing-secret.ts';
import { SnsSmsSender } from '../adapters/sns-senders.ts';
import { DynamoConfirmationLedger } from '../adapters/subscription-ledger.ts';
import { DynamoSubscriptionRepository } from '../adapters/subscription-repository.ts';
import type { QueryValidator } from '../core/subscriptions/input.ts';
import type { CompileQueries } from '../core/subscriptions/preview.ts';
import { SubscriptionService } from '../core/subscriptions/service.ts';
import { webAssets } from '../web/assets.ts';
import { type ApiEvent, type ApiLogger, createApi } from './app.ts';
import { readApiConfig } from './config.ts';

export interface QueryLanguage {
  readonly validateQuery: QueryValidator;
  readonly compileSubscriptions: CompileQueries;
}

export interface ComposedApi {
  readonly api: ReturnType<typeof createApi>;
  readonly service: SubscriptionService;
  readonly destroy: () => void;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the API from an environment: the Lambda handler passes process.env, the local API server the local
 * stack's environment (with AWS_ENDPOINT_URL_* pointing at the stand-ins). Clients are created here once.
 */
export async function composeApi(
  env: Env,
  options: {
    readonly queries: QueryLanguage;
    readonly logger: ApiLogger;
    readonly allowLocalRoutes?: boolean;
  },
): Promise<ComposedApi> {
  const config = readApiConfig(env);
  const signingSecret = await loadSigningSecret(env);
  const dynamodb = new DynamoDBClient(clientConfig(env, 'DYNAMODB'));
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const ses = new SESv2Client(clientConfig(env, 'SESV2'));
  const sns = new SNSClient(clientConfig(env, 'SNS'));
  const s3 = new S3Client({
    ...clientConfig(env, 'S3'),
    forcePathStyle: env.AWS_ENDPOINT_URL_S3 !== undefined,
  });

  const service = new SubscriptionService({
    repository: new DynamoSubscriptionRepository(documents, config.subscriptionsTable),
    ledger: new DynamoConfirmationLedger(documents, config.ledgerTable),
    email: new SesEmailSender(ses, {
      from: config.senderAddress,
      configurationSet: config.sesConfigurationSet,
    }),
    sms: new SnsSmsSender(sns, { originationNumber: config.smsOriginationNumber }),
    signingSecret,
    publicBaseUrl: config.publicBaseUrl,
    rules: { allowedSmsCountries: config.allowedSmsCountries, validateQuery: options.queries.validateQuery },
    limits:
      config.maxSubscriptionsPerUser === undefined
        ? {}
        : { maxSubscriptionsPerUser: config.maxSubscriptionsPerUser },
  });
  const api = createApi({
    service,
    queries: {
      validate: options.queries.validateQuery,
      compile: options.queries.compileSubscriptions,
      recentStories:
        config.snapshotBucket === undefined
          ? undefined
          : new S3RecentStories(s3, config.snapshotBucket, RECENT_STORIES_PREFIX),
    },
    web: webAssets({ signIn: config.webSignIn }),
    allowLocalRoutes: options.allowLocalRoutes ?? false,
    logger: options.logger,
  });
  return {
    api,
    service,
    destroy: () => {
      for (const client of [dynamodb, ses, sns, s3]) client.destroy();
    },
  };
}

export type { ApiEvent };

/** Region, and for the local stand-ins their endpoint and dummy credentials (in Lambda: the defaults). */
function clientConfig(env: Env, service: 'DYNAMODB' | 'SESV2' | 'SNS' | 'S3') {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`];
  const { AWS_REGION: region, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return {
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(endpoint !== undefined && accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
  };
}
