import {
  PublishBatchCommand,
  type PublishBatchCommandOutput,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { DestinationRejectedError } from '../core/deliveries/errors.ts';
import {
  type AlertPublisher,
  MAX_TOPIC_BATCH,
  PermanentSendError,
  type SmsSender,
  TransientSendError,
} from '../core/ports.ts';
import { describeAwsError, errorName, isRetryableAwsError } from './aws-errors.ts';

const OPTED_OUT = new Set(['OptedOutException', 'OptedOut']);
const INVALID_PARAMETER = new Set(['InvalidParameterException', 'InvalidParameter']);

/** The number opted out (STOP), or SNS says the number itself is invalid: suppress it. */
function isDestinationRejected(error: unknown): boolean {
  const name = errorName(error);
  if (OPTED_OUT.has(name)) return true;
  return INVALID_PARAMETER.has(name) && /PhoneNumber/i.test(error instanceof Error ? error.message : '');
}

export interface SnsSmsSenderOptions {
  /** `AWS.SNS.SMS.SenderID`, where the destination country supports alphanumeric sender ids. */
  readonly senderId?: string | undefined;
  /**
   * `AWS.MM.SMS.OriginationNumber`: the registered number (E.164) or short code to send from; US carriers
   * deliver application-to-person SMS only from a registered toll-free, 10DLC or short code number.
   */
  readonly originationNumber?: string | undefined;
}

/**
 * Sends alert SMS with SNS Publish to a phone number, as Transactional messages (higher delivery priority;
 * alerts are time-sensitive). Opted-out or invalid numbers are rejected for good and get suppressed; throttling
 * and server errors are transient.
 */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly options: SnsSmsSenderOptions = {},
  ) {}

  async send(phone: string, text: string): Promise<void> {
    const attributes: Record<string, { DataType: string; StringValue: string }> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.options.senderId !== undefined) {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.options.senderId };
    }
    if (this.options.originationNumber !== undefined) {
      attributes['AWS.MM.SMS.OriginationNumber'] = {
        DataType: 'String',
        StringValue: this.options.originationNumber,
      };
    }
    try {
      await this.sns.send(
        new PublishCommand({ PhoneNumber: phone, Message: text, MessageAttributes: attributes }),
      );
    } catch (error) {
      const description = `SNS SMS publish failed: ${describeAwsError(error)}`;
      if (isRetryableAwsError(error)) throw new TransientSendError(description, { cause: error });
      if (isDestinationRejected(error)) {
        throw new DestinationRejectedError(description, { cause: error });
      }
      throw new PermanentSendError(description, { cause: error });
    }
  }
}

/**
 * Publishes alerts to the SNS alerts topic with String message attributes (for subscription filter policies),
 * up to 10 in one PublishBatch. Throttling, KMS throttling and server errors are transient; anything else
 * (missing topic, no permission, an entry SNS refuses as the sender's fault) is permanent and left to the
 * DeliveryFailures alarm.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(
    messages: readonly { readonly message: string; readonly attributes: Readonly<Record<string, string>> }[],
  ): Promise<readonly (Error | undefined)[]> {
    if (messages.length > MAX_TOPIC_BATCH) {
      throw new RangeError(`At most ${MAX_TOPIC_BATCH} topic messages a call, got ${messages.length}`);
    }
    if (messages.length === 0) return [];
    let response: PublishBatchCommandOutput;
    try {
      response = await this.sns.send(
        new PublishBatchCommand({
          TopicArn: this.topicArn,
          PublishBatchRequestEntries: messages.map(({ message, attributes }, index) => ({
            Id: String(index),
            Message: message,
            MessageAttributes: Object.fromEntries(
              Object.entries(attributes).map(([name, value]) => [
                name,
                { DataType: 'String', StringValue: value },
              ]),
            ),
          })),
        }),
      );
    } catch (error) {
      const description = `SNS topic publish failed: ${describeAwsError(error)}`;
      if (isRetryableAwsError(error)) throw new TransientSendError(description, { cause: error });
      throw new PermanentSendError(description, { cause: error });
    }
    const failures = new Map((response.Failed ?? []).map((failure) => [failure.Id, failure]));
    return messages.map((_, index) => {
      const failure = failures.get(String(index));
      if (failure === undefined) return undefined;
      const description = `SNS topic publish failed: ${failure.Code ?? 'error'}: ${failure.Message ?? ''}`;
      return failure.SenderFault === true
        ? new PermanentSendError(description)
        : new TransientSendError(description);
    });
  }
}
