/**
 * Notifier: a batch of delivery jobs from the deliveries queue -> one e-mail (SES), SMS (SNS) or alerts-topic
 * message each, at most once per subscriber, channel and story (the ledger). A transient failure makes its
 * message visible again after an exponential backoff and reports it failed; after maxReceiveCount receives
 * it reaches the deliveries dead-letter queue. A malformed job fails at once and goes the same way.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS } from '../../infra/definitions.ts';
import { DynamoDbDeliveryClaims, DynamoDbSuppressionList } from '../adapters/dynamodb-ledger.ts';
import { SesEmailSender } from '../adapters/ses-email-sender.ts';
import { SnsAlertPublisher, SnsSmsSender } from '../adapters/sns-senders.ts';
import { decodeDeliveryJob } from '../core/alerts/decode-job.ts';
import type { DeliveryJob } from '../core/alerts/delivery.ts';
import { retryDelaySeconds } from '../core/pipeline/backoff.ts';
import {
  DEFAULT_CLAIM_LEASE_SECONDS,
  DeliveryInFlightError,
  type DeliveryPorts,
  deliver,
} from '../core/pipeline/deliver.ts';
import { sqsClientOptions } from './shared/clients.ts';
import { loadNotifierConfig } from './shared/config.ts';
import { createObservability, describeError, withObservability } from './shared/observability.ts';
import { queueUrlFromArn } from './shared/queue-url.ts';

const config = await loadNotifierConfig();
const observability = createObservability('notifier');
const { logger, metrics, tracer } = observability;
const documents = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
const sns = tracer.captureAWSv3Client(new SNSClient({}));
const sqs = tracer.captureAWSv3Client(new SQSClient(sqsClientOptions()));

const ports: DeliveryPorts = {
  claims: new DynamoDbDeliveryClaims(documents, config.ledgerTable),
  suppressions: new DynamoDbSuppressionList(documents, config.ledgerTable),
  email: new SesEmailSender(tracer.captureAWSv3Client(new SESv2Client({})), {
    from: config.senderAddress,
    configurationSet: config.sesConfigurationSet,
  }),
  sms: new SnsSmsSender(sns),
  topic: new SnsAlertPublisher(sns, config.alertsTopicArn),
};

function jobFields(job: DeliveryJob): Record<string, unknown> {
  return {
    subscriptionId: job.subscription.id,
    storyId: job.story.id,
    version: job.story.version,
    channel: job.channel,
  };
}

async function processRecord(record: SQSRecord): Promise<void> {
  let job: DeliveryJob;
  try {
    job = decodeDeliveryJob(record.body);
  } catch (error) {
    metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, 1);
    logger.error('Malformed delivery job', { messageId: record.messageId, reason: describeError(error) });
    throw error;
  }
  try {
    const outcome = await deliver(job, ports, config);
    const fields = { messageId: record.messageId, ...jobFields(job) };
    switch (outcome.status) {
      case 'sent': {
        const sent = metrics.singleMetric();
        sent.addDimension('channel', job.channel);
        sent.addMetric(METRICS.alertsSent, MetricUnit.Count, 1);
        if (outcome.warning === undefined) logger.info('Alert sent', fields);
        else logger.warn('Alert sent; its claim was not settled', { ...fields, warning: outcome.warning });
        return;
      }
      case 'rejected':
        metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, 1);
        logger.warn('Alert refused for good', {
          ...fields,
          reason: outcome.reason,
          suppressed: outcome.suppressed,
        });
        return;
      default:
        logger.info(outcome.status === 'duplicate' ? 'Alert already sent' : 'Destination suppressed', fields);
        return;
    }
  } catch (error) {
    metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, 1);
    await retryLater(record, job, error);
    throw error;
  }
}

/** Hides the message for a growing, jittered delay, so that its retry does not hit the same throttle at once. */
async function retryLater(record: SQSRecord, job: DeliveryJob, error: unknown): Promise<void> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  // A copy in flight elsewhere settles within seconds, or its lease (60 s) runs out: retry soon, within the lease.
  const delaySeconds =
    error instanceof DeliveryInFlightError
      ? retryDelaySeconds(receiveCount, { baseSeconds: 5, maxSeconds: DEFAULT_CLAIM_LEASE_SECONDS })
      : retryDelaySeconds(receiveCount);
  const fields = {
    messageId: record.messageId,
    ...jobFields(job),
    receiveCount,
    retryInSeconds: delaySeconds,
  };
  try {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: config.deliveriesQueueUrl ?? queueUrlFromArn(record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: delaySeconds,
      }),
    );
    logger.warn('Alert not sent; will retry', { ...fields, error: describeError(error) });
  } catch (visibilityError) {
    // The queue's own visibility timeout still brings the message back.
    logger.warn('Alert not sent; could not set its retry delay', {
      ...fields,
      error: describeError(error),
      visibilityError: describeError(visibilityError),
    });
  }
}

async function notify(event: SQSEvent, context: Context) {
  const processor = new BatchProcessor(EventType.SQS, { logger });
  // Every batch records at least this, so the EMF output is never empty (and Powertools never warns so).
  metrics.addMetric(METRICS.deliveryJobs, MetricUnit.Count, event.Records.length);
  // One job after another: two copies of a job in one batch then dedupe at once (the second finds the first
  // settled), and SES and SNS see a steady rate rather than bursts of ten.
  return processPartialResponse(event, processRecord, processor, {
    context,
    throwOnFullBatchFailure: false,
    processInParallel: false,
  });
}

export const handler = withObservability(notify, observability);
