import type { APIGatewayProxyStructuredResultV2, Context, SNSEvent } from 'aws-lambda';
import type { ApiEvent } from '../api/app.ts';
import { composeApi } from '../api/compose.ts';
import { readApiConfig } from '../config/functions.ts';
import { SubscriptionError } from '../core/subscriptions/errors.ts';
import { parseInboundSms } from '../core/subscriptions/sms-replies.ts';
import { createObservability, withObservability } from './shared/observability.ts';

/**
 * The subscription API function: HTTP API (payload v2) requests, and inbound SMS (STOP, REVOKE, ...) from the
 * SNS topic that two-way SMS publishes to. Both go to the same SubscriptionService.
 */
// Fail the cold start with a clear message when the environment is incomplete.
const config = readApiConfig();
const observability = createObservability('api');
const { logger, tracer } = observability;

const composed = composeApi(config, process.env, {
  logger: { error: (message, details) => logger.error(message, details) },
  tracer,
});
// Reported by the first invocation (with the cause), not as an unhandled rejection at init.
composed.catch(() => undefined);

export interface InboundSmsResult {
  readonly processed: number;
  readonly ignored: number;
}

async function handleApiOrSms(
  event: ApiEvent | SNSEvent,
  _context: Context,
): Promise<APIGatewayProxyStructuredResultV2 | InboundSmsResult> {
  const { api, service } = await composed;
  if (!isSnsEvent(event)) return api(event);
  let processed = 0;
  let ignored = 0;
  for (const record of event.Records) {
    const sms = parseInboundSms(parseJson(record.Sns.Message));
    if (sms === undefined) {
      logger.warn('Inbound SMS topic message is not a two-way SMS message; ignored', {
        messageId: record.Sns.MessageId,
      });
      ignored++;
      continue;
    }
    try {
      const result = await service.handleSmsReply(sms.from, sms.text);
      logger.info('Inbound SMS handled', {
        intent: result.intent,
        subscriptionsChanged: result.subscriptionsChanged,
      });
      processed++;
    } catch (error) {
      // A malformed sender will not improve on retry: log it and go on. Anything else is retried by SNS.
      if (!(error instanceof SubscriptionError)) throw error;
      logger.warn('Inbound SMS refused', { messageId: record.Sns.MessageId, reason: error.message });
      ignored++;
    }
  }
  return { processed, ignored };
}

export const handler = withObservability(handleApiOrSms, observability);

function isSnsEvent(event: ApiEvent | SNSEvent): event is SNSEvent {
  return Array.isArray((event as Partial<SNSEvent>).Records);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
