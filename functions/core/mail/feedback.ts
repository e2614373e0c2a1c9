/**
 * What an SES sending event (configuration-set event publishing: bounce, complaint, delivery, reject) means
 * for Wirewatch: which recipients must never be mailed again. A permanent (hard) bounce and a complaint
 * suppress the address; a transient (soft) or undetermined bounce does not, since the mailbox may accept the
 * next alert and SES itself retries. Pure: the handler records the result in the suppression list.
 */

export type MailEventKind = 'bounce' | 'complaint' | 'delivery' | 'reject' | 'other';

export interface MailFeedback {
  readonly kind: MailEventKind;
  /** SES's message id, for the log. */
  readonly messageId: string | undefined;
  /** `Permanent`, `Transient` or `Undetermined` for a bounce. */
  readonly bounceType?: string | undefined;
  /** Addresses to suppress, each with the reason recorded next to it. */
  readonly suppress: readonly { readonly address: string; readonly reason: string }[];
  /** Recipients the event is about (for metrics: a rate is events per recipient). */
  readonly recipients: number;
}

/** Raised for a payload that is not an SES sending event; the message says what is missing. */
export class MailEventError extends Error {
  override readonly name = 'MailEventError';
}

const KINDS: Readonly<Record<string, MailEventKind>> = {
  Bounce: 'bounce',
  Complaint: 'complaint',
  Delivery: 'delivery',
  Reject: 'reject',
};

/** Longest address kept (RFC 5321 path limit); anything longer is not an address SES delivered to. */
const MAX_ADDRESS_CHARS = 254;

/**
 * Reads one SES event record (the `detail` of an EventBridge event, or the JSON an SNS destination carries).
 * Identity notifications name the type `notificationType` instead of `eventType`; both are accepted.
 */
export function interpretMailEvent(record: unknown): MailFeedback {
  if (!isObject(record)) throw new MailEventError('The SES event is not a JSON object.');
  const type = record.eventType ?? record.notificationType;
  if (typeof type !== 'string') {
    throw new MailEventError('The SES event has no eventType (nor notificationType): is it an SES event?');
  }
  const mail = isObject(record.mail) ? record.mail : {};
  const messageId = typeof mail.messageId === 'string' ? mail.messageId : undefined;
  const kind = KINDS[type] ?? 'other';
  const recipientsOf = (list: unknown): string[] =>
    (Array.isArray(list) ? list : [])
      .map((entry) => (isObject(entry) ? entry.emailAddress : undefined))
      .filter(
        (address): address is string =>
          typeof address === 'string' && address.includes('@') && address.length <= MAX_ADDRESS_CHARS,
      );

  if (kind === 'bounce') {
    const bounce = isObject(record.bounce) ? record.bounce : {};
    const bounceType = typeof bounce.bounceType === 'string' ? bounce.bounceType : undefined;
    const subType = typeof bounce.bounceSubType === 'string' ? bounce.bounceSubType : 'unspecified';
    const recipients = recipientsOf(bounce.bouncedRecipients);
    const suppress =
      bounceType === 'Permanent'
        ? recipients.map((address) => ({ address, reason: `ses-bounce: Permanent/${subType}` }))
        : [];
    return { kind, messageId, bounceType, suppress, recipients: recipients.length };
  }
  if (kind === 'complaint') {
    const complaint = isObject(record.complaint) ? record.complaint : {};
    const feedbackType =
      typeof complaint.complaintFeedbackType === 'string' ? complaint.complaintFeedbackType : 'unspecified';
    const recipients = recipientsOf(complaint.complainedRecipients);
    return {
      kind,
      messageId,
      suppress: recipients.map((address) => ({ address, reason: `ses-complaint: ${feedbackType}` })),
      recipients: recipients.length,
    };
  }
  const destination = Array.isArray(mail.destination) ? mail.destination.length : 0;
  return { kind, messageId, suppress: [], recipients: destination };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
