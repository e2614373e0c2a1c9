/**
 * Mail feedback: SES sending events of the configuration set the notifier sends with (bounce, complaint,
 * delivery, reject), delivered by EventBridge. A hard bounce or a complaint puts the address in the
 * suppression list the notifier and the subscribe API consult, so no alert goes there again; every event is
 * counted (metric `MailEvents` by `event`). Recording a suppression is an idempotent put, so a redelivered
 * event changes nothing. A failure throws: EventBridge retries, then the rule's dead-letter queue keeps it.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { METRICS } from '../../definitions/resources.ts';
import { createDocumentClient } from '../adapters/dynamodb-documents.ts';
import { DynamoDbSuppressionList } from '../adapters/dynamodb-ledger.ts';
import { readMailFeedbackConfig } from '../config/functions.ts';
import { describeError } from '../core/describe-error.ts';
import { interpretMailEvent, type MailFeedback } from '../core/mail/feedback.ts';
import { createObservability, withObservability } from './shared/observability.ts';

const config = readMailFeedbackConfig();
const observability = createObservability('mail-feedback');
const { logger, metrics, tracer } = observability;
const documents = createDocumentClient({ tracer });
const suppressions = new DynamoDbSuppressionList(documents, config.ledgerTable);

async function recordFeedback(
  event: EventBridgeEvent<string, unknown>,
  _context: Context,
): Promise<{ readonly kind: string; readonly suppressed: number }> {
  let feedback: MailFeedback;
  try {
    feedback = interpretMailEvent(event.detail);
  } catch (error) {
    // Not an SES event: retrying cannot help, so it is logged and dropped rather than thrown.
    logger.error('Not an SES sending event; ignored', { id: event.id, reason: describeError(error) });
    metrics.addMetric(METRICS.addressesSuppressed, MetricUnit.Count, 0);
    return { kind: 'invalid', suppressed: 0 };
  }
  for (const { address, reason } of feedback.suppress) {
    await suppressions.suppress(address, reason);
  }
  const counted = metrics.singleMetric();
  counted.addDimension('event', feedback.kind);
  counted.addMetric(METRICS.mailEvents, MetricUnit.Count, feedback.recipients);
  metrics.addMetric(METRICS.addressesSuppressed, MetricUnit.Count, feedback.suppress.length);
  const fields = {
    kind: feedback.kind,
    messageId: feedback.messageId,
    bounceType: feedback.bounceType,
    suppressed: feedback.suppress.length,
  };
  if (feedback.suppress.length > 0) logger.info('Addresses suppressed', fields);
  else logger.info('Mail event recorded', fields);
  return { kind: feedback.kind, suppressed: feedback.suppress.length };
}

export const handler = withObservability(recordFeedback, observability);
