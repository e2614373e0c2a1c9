import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SenderRejectedError } from '../core/deliveries/errors.ts';
import {
  type EmailMessage,
  type EmailSender,
  PermanentSendError,
  TransientSendError,
} from '../core/ports.ts';
import { describeAwsError, errorName, isRetryableAwsError } from './aws-errors.ts';

export interface SesEmailSenderOptions {
  /** Verified SES identity to send from, e.g. `alerts@example.com`. */
  readonly from: string;
  /** SES configuration set (event destinations for bounces and complaints), if any. */
  readonly configurationSet?: string | undefined;
}

/**
 * Sends alert e-mails with SES v2 SendEmail (Simple content: subject, HTML and text, plus the
 * List-Unsubscribe headers). Throttling, sending paused and server errors are transient; the rest permanent.
 */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: SesEmailSenderOptions,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    const headers = Object.entries(message.headers).map(([Name, Value]) => {
      if (/[\r\n]/.test(Name) || /[\r\n]/.test(Value)) {
        throw new PermanentSendError(`Header ${JSON.stringify(Name)} holds a line break; refusing to send.`);
      }
      return { Name, Value };
    });
    try {
      await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [message.to] },
          ConfigurationSetName: this.options.configurationSet,
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: message.html, Charset: 'UTF-8' },
                Text: { Data: message.text, Charset: 'UTF-8' },
              },
              Headers: headers,
            },
          },
        }),
      );
    } catch (error) {
      throw classifySesError(error);
    }
  }
}

/**
 * SES answers at send time only about the account and the request: throttling, paused sending and the daily
 * quota pass with time (transient); AccountSuspended, MailFromDomainNotVerified, MessageRejected (e.g. an
 * unverified identity in the sandbox) and bad requests do not (permanent; the first three are the sender's
 * refusal, SenderRejectedError, recorded for the operator). None of them is the recipient's
 * fault, so none suppresses the address: bounces and complaints arrive later, through the configuration set.
 */
/** SES refusing to send for good until an operator acts (verify an identity, leave the sandbox, ...). */
const SENDER_REFUSALS: ReadonlySet<string | undefined> = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
]);

export function classifySesError(error: unknown): Error {
  const name = errorName(error);
  const description = `SES SendEmail failed: ${describeAwsError(error)}`;
  if (isRetryableAwsError(error) || name === 'SendingPausedException' || name === 'LimitExceededException') {
    return new TransientSendError(description, { cause: error });
  }
  if (SENDER_REFUSALS.has(name)) return new SenderRejectedError(description, { cause: error });
  return new PermanentSendError(description, { cause: error });
}
