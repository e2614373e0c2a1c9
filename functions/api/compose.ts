import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { RECENT_STORIES_PREFIX } from '../../definitions/resources.ts';
import { type ClientSetup, createAwsClient } from '../adapters/aws-clients.ts';
import { createDocumentClient } from '../adapters/dynamodb-documents.ts';
import { S3RecentStories } from '../adapters/s3-recent-stories.ts';
import { SesEmailSender } from '../adapters/ses-email-sender.ts';
import { loadSigningSecret } from '../adapters/signing-secret.ts';
import { SnsSmsSender } from '../adapters/sns-senders.ts';
import { DynamoConfirmationLedger } from '../adapters/subscription-ledger.ts';
import { DynamoSubscriptionRepository } from '../adapters/subscription-repository.ts';
import type { ApiConfig } from '../config/functions.ts';
import { SubscriptionService } from '../core/subscriptions/service.ts';
import { webAssets } from '../web/assets.ts';
import { type ApiEvent, type ApiLogger, createApi } from './app.ts';

export interface ComposedApi {
  readonly api: ReturnType<typeof createApi>;
  readonly service: SubscriptionService;
  readonly destroy: () => void;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the API from its configuration (read once, by the caller) and environment: the Lambda handler passes
 * process.env, the local API server the local stack's environment (with AWS_ENDPOINT_URL_* pointing at the
 * stand-ins). Clients are created here once, by the shared client factory.
 */
export async function composeApi(
  config: ApiConfig,
  env: Env,
  options: {
    readonly logger: ApiLogger;
    readonly allowLocalRoutes?: boolean;
    readonly tracer?: ClientSetup['tracer'];
  },
): Promise<ComposedApi> {
  const signingSecret = await loadSigningSecret(env);
  const setup: ClientSetup = { env, tracer: options.tracer };
  const documents = createDocumentClient(setup);
  const ses = createAwsClient(SESv2Client, 'SESV2', setup);
  const sns = createAwsClient(SNSClient, 'SNS', setup);
  const s3 = createAwsClient(S3Client, 'S3', setup);

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
    rules: { allowedSmsCountries: config.allowedSmsCountries },
    limits:
      config.maxSubscriptionsPerUser === undefined
        ? {}
        : { maxSubscriptionsPerUser: config.maxSubscriptionsPerUser },
  });
  const api = createApi({
    service,
    queries: {
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
      for (const client of [documents, ses, sns, s3]) client.destroy();
    },
  };
}

export type { ApiEvent };
