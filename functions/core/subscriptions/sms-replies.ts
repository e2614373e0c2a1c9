/**
 * Keywords in SMS replies. SNS opts numbers out on its own keywords, but not on REVOKE (FCC 2024 rule), and
 * Wirewatch must stop sending in either case: every opt-out keyword removes the number from all
 * subscriptions. START/UNSTOP lift Wirewatch's own suppression (the number must then be confirmed again).
 */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP'] as const;

export type SmsReplyIntent = 'opt-out' | 'opt-in' | 'other';

/**
 * The intent of a reply. Opting out is read generously (any of the first words, case and punctuation aside:
 * "Stop.", "please stop", "opt out"), since a missed opt-out is the costly mistake; opting in only from a
 * reply that starts with START or UNSTOP and has no opt-out word.
 */
export function smsReplyIntent(text: string): SmsReplyIntent {
  const words = text
    .slice(0, 200)
    .split(/\s+/)
    .slice(0, 10)
    .map((word) => word.replace(/[^A-Za-z]/g, '').toUpperCase())
    .filter((word) => word.length > 0);
  const optOut = (OPT_OUT_KEYWORDS as readonly string[]).includes.bind(OPT_OUT_KEYWORDS);
  if (words.some((word, i) => optOut(word) || (word === 'OPT' && words[i + 1] === 'OUT'))) return 'opt-out';
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(words[0] ?? '')) return 'opt-in';
  return 'other';
}

/** An inbound SMS: the number it came from and its text. */
export interface InboundSms {
  readonly from: string;
  readonly text: string;
}

/**
 * Reads the message of AWS End User Messaging / SNS two-way SMS (`originationNumber`, `messageBody`), the
 * format both the SNS inbound topic and the local `/sms/inbound` route carry. Undefined when it is not one.
 */
export function parseInboundSms(value: unknown): InboundSms | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { originationNumber, messageBody } = value as Record<string, unknown>;
  if (typeof originationNumber !== 'string' || typeof messageBody !== 'string') return undefined;
  return { from: originationNumber.trim(), text: messageBody.slice(0, 1600) };
}
