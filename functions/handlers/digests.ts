/**
 * Digest sender: a schedule (every DIGEST_SCHEDULE_MINUTES) -> every digest due by now, each sent once (a
 * ledger claim per window; see core/digests/send-digests.ts). A digest that fails stays pending for the next
 * run; the run never throws for one digest. The local stack runs `sendDueDigests` on a timer, and
 * `wirewatch digest --now` fires it at once.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { DIGEST_CLAIM_LEASE_SECONDS, METRICS } from '../../definitions/resources.ts';
import { createAwsClient } from '../adapters/aws-clients.ts';
import { DynamoDbDeliveryMemory } from '../adapters/dynamodb-delivery-memory.ts';
import { DynamoDbPendingDigests } from '../adapters/dynamodb-digests.ts';
import { createDocumentClient } from '../adapters/dynamodb-documents.ts';
import { DynamoDbDeliveryClaims, DynamoDbSuppressionList } from '../adapters/dynamodb-ledger.ts';
import { SesEmailSender } from '../adapters/ses-email-sender.ts';
import { SnsSmsSender } from '../adapters/sns-senders.ts';
import { DynamoSubscriptionRepository } from '../adapters/subscription-repository.ts';
import { loadDigestConfig } from '../config/functions.ts';
import { DEFAULT_CLAIM_TTL_SECONDS } from '../core/deliveries/deliver.ts';
import { describeError } from '../core/describe-error.ts';
import { type DigestPorts, type DigestRun, sendDueDigests } from '../core/digests/send-digests.ts';
import { createObservability, withObservability } from './shared/observability.ts';

const config = await loadDigestConfig();
const observability = createObservability('digests');
const { logger, metrics, tracer } = observability;
const documents = createDocumentClient({ tracer });

const ports: DigestPorts = {
  pending: new DynamoDbPendingDigests(documents, config.digestsTable),
  claims: new DynamoDbDeliveryClaims(documents, config.ledgerTable),
  suppressions: new DynamoDbSuppressionList(documents, config.ledgerTable),
  email: new SesEmailSender(createAwsClient(SESv2Client, 'SESV2', { tracer }), {
    from: config.senderAddress,
    configurationSet: config.sesConfigurationSet,
  }),
  sms: new SnsSmsSender(createAwsClient(SNSClient, 'SNS', { tracer }), {
    originationNumber: config.smsOriginationNumber,
  }),
  subscriptions: new DynamoSubscriptionRepository(documents, config.subscriptionsTable),
  recipients: new DynamoDbDeliveryMemory(documents, config.ledgerTable),
};

/**
 * The schedule's event (anything) sends what is due now; a direct invoke with `{"all": true}` sends every
 * pending digest at once (`wirewatch digest --now --all`).
 */
async function sendDigests(
  event: unknown,
  _context: Context,
): Promise<Omit<DigestRun, 'errors' | 'warnings'>> {
  const all = typeof event === 'object' && event !== null && (event as { all?: unknown }).all === true;
  const run = await sendDueDigests(
    ports,
    { ...config, leaseSeconds: DIGEST_CLAIM_LEASE_SECONDS, ttlSeconds: DEFAULT_CLAIM_TTL_SECONDS },
    all ? Number.POSITIVE_INFINITY : Date.now(),
  );
  metrics.addMetric(METRICS.digestsSent, MetricUnit.Count, run.outcomes.sent);
  metrics.addMetric(METRICS.digestAlerts, MetricUnit.Count, run.alerts);
  metrics.addMetric(METRICS.digestFailures, MetricUnit.Count, run.outcomes.failed);
  for (const { window, error } of run.warnings.slice(0, 5)) {
    logger.warn('Digest sent; its recipients were not recorded (a kill sends them no withdrawal notice)', {
      window,
      error: describeError(error),
    });
  }
  for (const { window, error } of run.errors.slice(0, 5)) {
    logger.warn('Digest not sent; it stays pending for the next run', {
      window,
      error: describeError(error),
    });
  }
  logger.info('Digests run', { windows: run.windows, ...run.outcomes, alerts: run.alerts });
  const { errors: _, warnings: __, ...summary } = run;
  return summary;
}

export const handler = withObservability(sendDigests, observability);
