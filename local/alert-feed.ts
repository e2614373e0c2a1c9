/**
 * Shows every alert the local stack sends as it happens: e-mail from the SES stand-in's store, SMS from the
 * outbox, and topic alerts from a private queue subscribed to the alerts topic (raw delivery).
 */
import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TopicAlert } from '../functions/core/alerts/render-sns.ts';
import { type Poller, startPoller } from './poller.ts';
import type { SmsRecord, Standins } from './standins.ts';

export interface AlertLine {
  readonly channel: 'email' | 'sms' | 'sns';
  /** Subscription name (topic) or destination (e-mail address, phone). */
  readonly to: string;
  /** Headline (topic), subject (e-mail) or text (SMS). */
  readonly text: string;
}

export interface AlertFeed {
  stop(): Promise<void>;
}

export const ALERTS_TAP_QUEUE = 'local-alerts-tap';

export async function startAlertFeed(options: {
  readonly standins: Standins;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly alertsTopicArn: string;
  readonly onAlert: (line: AlertLine) => void;
  /** Milliseconds between looks at the mail store. Default 200. */
  readonly mailIntervalMs?: number;
}): Promise<AlertFeed> {
  const { standins, onAlert } = options;

  const onSms = (record: SmsRecord) =>
    onAlert({ channel: 'sms', to: record.phoneNumber, text: record.message });
  standins.smsOutbox.on('sms', onSms);

  // Mail is read from the SES stand-in's store in process; `mailSeen` counts what was shown already.
  let mailSeen = standins.sentEmails().length;
  const mailTimer = setInterval(() => {
    const emails = standins.sentEmails();
    if (emails.length < mailSeen) mailSeen = 0; // the store was cleared
    for (const mail of emails.slice(mailSeen)) {
      onAlert({ channel: 'email', to: mail.destination.to.join(', '), text: mail.subject });
    }
    mailSeen = emails.length;
  }, options.mailIntervalMs ?? 200);

  const tap = await tapTopic(options.sqs, options.sns, options.alertsTopicArn);
  const poller: Poller = startPoller({
    sqs: options.sqs,
    queueUrl: tap.url,
    queueArn: tap.arn,
    functionName: 'local-alert-feed',
    handler: async (event) => {
      for (const record of event.Records) onAlert(topicLine(record.body));
      return { batchItemFailures: [] };
    },
  });

  return {
    async stop() {
      clearInterval(mailTimer);
      standins.smsOutbox.off('sms', onSms);
      await poller.stop();
    },
  };
}

function topicLine(body: string): AlertLine {
  try {
    const alert = JSON.parse(body) as Partial<TopicAlert>;
    // A story without a headline (some wire formats) is shown by its snippet, as the e-mail and SMS do.
    const text = alert.story?.headline || alert.snippet?.text || alert.story?.id || '';
    return { channel: 'sns', to: alert.subscription?.name ?? '?', text };
  } catch {
    return { channel: 'sns', to: '?', text: body.slice(0, 120) };
  }
}

async function tapTopic(
  sqs: SQSClient,
  sns: SNSClient,
  topicArn: string,
): Promise<{ url: string; arn: string }> {
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: ALERTS_TAP_QUEUE }));
  if (url === undefined) throw new Error(`CreateQueue ${ALERTS_TAP_QUEUE} returned no URL`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`Queue ${ALERTS_TAP_QUEUE} has no ARN`);
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: arn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { url, arn };
}
