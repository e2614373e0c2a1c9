/**
 * Notifier: a batch of deliveries-queue messages, each alerts of one story -> one e-mail (SES), SMS (SNS) or
 * alerts-topic message per delivery, at most once per subscriber, channel and story (the ledger). A
 * transient failure of any job makes its message visible again after an exponential backoff and reports it
 * failed (its jobs already sent are duplicates on the retry and send nothing); after maxReceiveCount receives
 * it reaches the deliveries dead-letter queue. A malformed message fails at once and goes the same way.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS } from '../../definitions/resources.ts';
import { createAwsClient } from '../adapters/aws-clients.ts';
import { DynamoDbCadenceSwitch } from '../adapters/dynamodb-cadence-switch.ts';
import { DynamoDbDeliveryMemory } from '../adapters/dynamodb-delivery-memory.ts';
import { DynamoDbAlertCounters, DynamoDbPendingDigests } from '../adapters/dynamodb-digests.ts';
import { createDocumentClient } from '../adapters/dynamodb-documents.ts';
import { DynamoDbDeliveryClaims, DynamoDbSuppressionList } from '../adapters/dynamodb-ledger.ts';
import { SesEmailSender } from '../adapters/ses-email-sender.ts';
import { SnsAlertPublisher, SnsSmsSender } from '../adapters/sns-senders.ts';
import { loadNotifierConfig } from '../config/functions.ts';
import {
  decodeDeliveryMessage,
  decodeSettleNotice,
  encodeDeliveryMessages,
  encodeSettleNotice,
  REFUSAL_ATTRIBUTE,
} from '../core/deliveries/codec.ts';
import { DEFAULT_CLAIM_TTL_SECONDS, type DeliveryPorts, deliverAll } from '../core/deliveries/deliver.ts';
import { DeliveryInFlightError } from '../core/deliveries/errors.ts';
import { controlJobs, recordDelivered } from '../core/deliveries/same-news.ts';
import { type DeliveryJob, deliveryKey, type StoryAlerts, storyAlertsOf } from '../core/deliveries/types.ts';
import { sendWithdrawalNotices } from '../core/deliveries/withdrawals.ts';
import { describeError } from '../core/describe-error.ts';
import { type RoutingPorts, routeJobs } from '../core/digests/route-jobs.ts';
import { retryDelaySeconds } from '../core/pipeline/backoff.ts';
import { createObservability, withObservability } from './shared/observability.ts';
import { queueUrlFromArn } from './shared/queue-url.ts';

const config = await loadNotifierConfig();
const observability = createObservability('notifier');
const { logger, metrics, tracer } = observability;
const documents = createDocumentClient({ tracer });
const sns = createAwsClient(SNSClient, 'SNS', { tracer });
const sqs = createAwsClient(SQSClient, 'SQS', { tracer });

const ports: DeliveryPorts = {
  claims: new DynamoDbDeliveryClaims(documents, config.ledgerTable),
  suppressions: new DynamoDbSuppressionList(documents, config.ledgerTable),
  email: new SesEmailSender(createAwsClient(SESv2Client, 'SESV2', { tracer }), {
    from: config.senderAddress,
    configurationSet: config.sesConfigurationSet,
  }),
  sms: new SnsSmsSender(sns, { originationNumber: config.smsOriginationNumber }),
  topic: new SnsAlertPublisher(sns, config.alertsTopicArn),
};
/** Update policies, near-duplicate groups and recipients (for kill notices): core/deliveries/same-news.ts. */
const memory = new DynamoDbDeliveryMemory(documents, config.ledgerTable);

/** Delivery control (digests, quiet hours, throttle): on wherever the digests table is configured. */
const routing: RoutingPorts | undefined =
  config.digestsTable === undefined || config.subscriptionsTable === undefined
    ? undefined
    : {
        pending: new DynamoDbPendingDigests(documents, config.digestsTable),
        counters: new DynamoDbAlertCounters(documents, config.ledgerTable),
        claims: ports.claims,
        email: ports.email,
        cadence: new DynamoDbCadenceSwitch(documents, config.subscriptionsTable),
      };

function jobFields(job: DeliveryJob): Record<string, unknown> {
  return {
    subscriptionId: job.subscription.id,
    storyId: job.story.id,
    version: job.story.version,
    channel: job.channel,
  };
}

/** A message with jobs that must be tried again; carries the first cause. */
class JobsNotDeliveredError extends Error {
  override readonly name = 'JobsNotDeliveredError';
}

async function processRecord(record: SQSRecord): Promise<void> {
  let alerts: StoryAlerts;
  let settleKeys: readonly string[] | undefined;
  try {
    settleKeys = decodeSettleNotice(record.body);
    alerts = settleKeys === undefined ? decodeDeliveryMessage(record.body) : { story: NO_STORY, matches: [] };
  } catch (error) {
    metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, 1);
    logger.error('Malformed delivery message', { messageId: record.messageId, reason: describeError(error) });
    throw error;
  }
  if (settleKeys !== undefined) {
    // Alerts sent earlier whose settle failed: record them now (a failure throws: the queue retries it).
    await ports.claims.settle(settleKeys, { ttlSeconds: DEFAULT_CLAIM_TTL_SECONDS });
    logger.info('Sent alerts settled late', { messageId: record.messageId, alerts: settleKeys.length });
    return;
  }
  if (alerts.story.status === 'killed') {
    await ports.claims.withdraw(alerts.story.id, { ttlSeconds: DEFAULT_CLAIM_TTL_SECONDS });
    logger.info('Story killed: its alerts not yet sent will not go out', {
      messageId: record.messageId,
      storyId: alerts.story.id,
    });
    const notices = await sendWithdrawalNotices(
      alerts.story,
      ports,
      memory,
      config,
      config.deliveryConcurrency,
    );
    if (notices.sent + notices.skipped > 0) {
      logger.info('Withdrawal notices sent', {
        messageId: record.messageId,
        storyId: alerts.story.id,
        ...notices,
      });
    }
    return;
  }
  const jobs = await controlJobs(alerts, memory);
  metrics.addMetric(METRICS.deliveryJobs, MetricUnit.Count, jobs.length);
  // Before any claim: alerts for a digest, in quiet hours or over the throttle are held (a failure here retries
  // the whole message, which holds nothing twice).
  const routed = routing === undefined ? undefined : await routeJobs(jobs, routing, config, Date.now());
  if (routed !== undefined && routed.held.length > 0) {
    logger.info('Alerts held for a digest', {
      messageId: record.messageId,
      storyId: alerts.story.id,
      held: routed.held.length,
      capNotices: routed.capNotices,
    });
  }
  const results = await deliverAll(routed?.sendNow ?? jobs, ports, config, config.deliveryConcurrency);
  const sentByChannel = new Map<string, number>();
  const failures: { job: DeliveryJob; error: unknown }[] = [];
  const unsettled: string[] = [];
  const refusedBySender: { job: DeliveryJob; reason: string }[] = [];
  for (const result of results) {
    const fields = { messageId: record.messageId, ...jobFields(result.job) };
    if ('error' in result) {
      failures.push(result);
      continue;
    }
    const { outcome } = result;
    switch (outcome.status) {
      case 'sent':
        sentByChannel.set(result.job.channel, (sentByChannel.get(result.job.channel) ?? 0) + 1);
        if (outcome.warning === undefined) logger.info('Alert sent', fields);
        else {
          unsettled.push(deliveryKey(result.job));
          logger.warn('Alert sent; its claim was not settled (queued to settle later)', {
            ...fields,
            warning: outcome.warning,
          });
        }
        break;
      case 'rejected':
        metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, 1);
        logger.warn('Alert refused for good', {
          ...fields,
          reason: outcome.reason,
          suppressed: outcome.suppressed,
        });
        break;
      case 'sender-refused':
        refusedBySender.push({ job: result.job, reason: outcome.reason });
        logger.error('Alert refused by SES for good; recorded in the deliveries dead-letter queue', {
          ...fields,
          reason: outcome.reason,
        });
        break;
      default:
        logger.info(OUTCOME_MESSAGES[outcome.status], fields);
    }
  }
  if (unsettled.length > 0) await settleLater(record, unsettled);
  if (refusedBySender.length > 0) {
    metrics.addMetric(METRICS.emailRejected, MetricUnit.Count, refusedBySender.length);
    try {
      await recordRefused(alerts.story, refusedBySender);
    } catch (error) {
      // Not recorded: retry the message (SES refuses again, and the record is tried again).
      for (const { job } of refusedBySender) failures.push({ job, error });
    }
  }
  // Throws if the ledger fails: the retry finds the alerts sent and records them then.
  await recordDelivered(alerts.story, results, memory, { ttlSeconds: DEFAULT_CLAIM_TTL_SECONDS });
  for (const [channel, count] of sentByChannel) {
    const sent = metrics.singleMetric();
    sent.addDimension('channel', channel);
    sent.addMetric(METRICS.alertsSent, MetricUnit.Count, count);
  }
  if (failures.length === 0) return;
  metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, failures.length);
  await retryLater(record, failures);
  const first = failures[0]!;
  throw new JobsNotDeliveredError(
    `${failures.length} of ${jobs.length} alerts not sent, to be retried (first: ${describeError(first.error)})`,
    { cause: first.error },
  );
}

const OUTCOME_MESSAGES = {
  duplicate: 'Alert already sent',
  suppressed: 'Destination suppressed',
  withdrawn: 'Alert not sent: its story was killed',
} as const;

/**
 * Alerts SES refused for good (their claims released) go to the deliveries dead-letter queue as a delivery
 * message of their own, with the reason: the DLQ alarm fires, `wirewatch dlq --queue deliveries` lists them and
 * `--redrive` sends them once the operator fixed the sender.
 */
async function recordRefused(
  story: StoryAlerts['story'],
  refused: readonly { job: DeliveryJob; reason: string }[],
): Promise<void> {
  const jobs = refused.map(({ job }) => job);
  const reason = refused[0]?.reason ?? 'refused by SES';
  if (config.deliveriesDeadLetterQueueUrl === undefined) {
    logger.error('No deliveries dead-letter queue configured: refused alerts are only logged', {
      storyId: story.id,
      alerts: jobs.length,
    });
    return;
  }
  for (const body of encodeDeliveryMessages(storyAlertsOf(story, jobs))) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: config.deliveriesDeadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: {
          [REFUSAL_ATTRIBUTE]: { DataType: 'String', StringValue: reason.slice(0, 500) },
        },
      }),
    );
  }
}

/** Stands for the story of a settle notice, which has none. */
const NO_STORY: StoryAlerts['story'] = { id: '', version: 0, status: 'usable', headline: '' };

/**
 * Sent alerts whose claims could not be settled (the ledger failing after retries) are queued as a settle
 * notice, so that a later run settles them instead of a retry sending them again. If even that fails, the
 * message fails: its retry finds the claims in flight and waits for their lease, and may send them again.
 */
async function settleLater(record: SQSRecord, keys: readonly string[]): Promise<void> {
  metrics.addMetric(METRICS.unsettledAlerts, MetricUnit.Count, keys.length);
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: config.deliveriesQueueUrl ?? queueUrlFromArn(record.eventSourceARN),
      MessageBody: encodeSettleNotice(keys),
    }),
  );
}

/**
 * Hides the message for a growing, jittered delay, so that its retry does not hit the same throttle at once.
 * When every failure is a copy in flight elsewhere, that copy settles within seconds or its lease runs out:
 * the retry comes soon, within the lease.
 */
async function retryLater(record: SQSRecord, failures: readonly { job: DeliveryJob; error: unknown }[]) {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  const delaySeconds = failures.every(({ error }) => error instanceof DeliveryInFlightError)
    ? retryDelaySeconds(receiveCount, { baseSeconds: 5, maxSeconds: config.claimLeaseSeconds })
    : retryDelaySeconds(receiveCount);
  for (const { job, error } of failures.slice(0, MAX_FAILURES_LOGGED)) {
    logger.warn('Alert not sent; will retry', {
      messageId: record.messageId,
      ...jobFields(job),
      receiveCount,
      retryInSeconds: delaySeconds,
      error: describeError(error),
    });
  }
  try {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: config.deliveriesQueueUrl ?? queueUrlFromArn(record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: delaySeconds,
      }),
    );
  } catch (visibilityError) {
    // The queue's own visibility timeout still brings the message back.
    logger.warn('Could not set the retry delay of a delivery message', {
      messageId: record.messageId,
      visibilityError: describeError(visibilityError),
    });
  }
}

/** A throttled message may fail all its jobs; the first few say enough. */
const MAX_FAILURES_LOGGED = 5;

async function notify(event: SQSEvent, context: Context) {
  const processor = new BatchProcessor(EventType.SQS, { logger });
  // Every batch records at least this, so the EMF output is never empty (and Powertools never warns so).
  metrics.addMetric(METRICS.deliveryMessages, MetricUnit.Count, event.Records.length);
  // One message after another (the jobs within one go several at a time): two copies of a story's alerts in
  // one batch then dedupe at once, the second finding the first settled.
  return processPartialResponse(event, processRecord, processor, {
    context,
    throwOnFullBatchFailure: false,
    processInParallel: false,
  });
}

export const handler = withObservability(notify, observability);
