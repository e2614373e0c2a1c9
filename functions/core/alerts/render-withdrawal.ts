/**
 * The withdrawal notice (the wire's kill convention): a short message, on the channel the alert went by,
 * saying that a story alerted earlier was withdrawn and must not be used. Same safety rules as alerts: story
 * text escaped in HTML, one line in headers, one SMS segment.
 */
import type { EmailMessage } from '../ports.ts';
import { listUnsubscribeHeaders, unsubscribeToken, unsubscribeUrl } from '../subscriptions/links.ts';
import type { ChannelType } from '../subscriptions/subscription.ts';
import type { AlertLinkSettings } from './render-email.ts';
import { MAX_SUBJECT_CHARS } from './render-email.ts';
import type { TopicMessage } from './render-sns.ts';
import { fitsOneSegment, toGsmFriendly } from './sms-encoding.ts';
import { escapeHtml, toSingleLine, truncateBytes, truncateChars } from './text.ts';

/** One notice: the story as its alert named it, and the subscription and channel it went through. */
export interface WithdrawalNotice {
  readonly storyId: string;
  /** The headline the subscriber was alerted with (may be empty). */
  readonly headline: string;
  readonly source?: string | undefined;
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly channel: ChannelType;
  readonly destination?: string | undefined;
}

const MAX_HEADLINE_CHARS = 300;

function cleanHeadline(notice: WithdrawalNotice): string {
  const headline = truncateChars(toSingleLine(notice.headline), MAX_HEADLINE_CHARS);
  return headline === '' ? `story ${truncateChars(toSingleLine(notice.storyId), 80)}` : headline;
}

function cleanName(notice: WithdrawalNotice): string {
  return truncateChars(toSingleLine(notice.subscriptionName), 80) || 'Your subscription';
}

/** `[Wirewatch] WITHDRAWN <name>: <headline>`, one line. */
export function withdrawalSubject(notice: WithdrawalNotice): string {
  return truncateChars(
    toSingleLine(`[Wirewatch] WITHDRAWN ${cleanName(notice)}: ${cleanHeadline(notice)}`),
    MAX_SUBJECT_CHARS,
  );
}

export function renderWithdrawalEmail(notice: WithdrawalNotice, links: AlertLinkSettings): EmailMessage {
  if (notice.destination === undefined) {
    throw new Error(`Withdrawal notice for subscription ${notice.subscriptionId} has no e-mail address.`);
  }
  const subject = withdrawalSubject(notice);
  const headline = cleanHeadline(notice);
  const name = cleanName(notice);
  const source = notice.source === undefined ? '' : toSingleLine(notice.source);
  const from = source === '' ? '' : ` (${source})`;
  const unsubscribe = unsubscribeUrl(
    links.publicBaseUrl,
    unsubscribeToken(notice.subscriptionId, 'email', links.signingSecret),
  );
  const sentence = `The story below, sent to you earlier by your alert ${name}, has been withdrawn${from}. Do not use it.`;
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Helvetica,Arial,sans-serif;color:#1f1f1f;line-height:1.5">',
    '<p style="margin:0 0 8px"><span style="display:inline-block;padding:1px 6px;border-radius:3px;background-color:#b3261e;color:#ffffff;font-size:12px;font-weight:bold">WITHDRAWN</span></p>',
    `<p style="margin:0 0 8px">${escapeHtml(sentence)}</p>`,
    `<h1 style="margin:0 0 12px;font-size:18px;text-decoration:line-through">${escapeHtml(headline)}</h1>`,
    '<hr style="border:none;border-top:1px solid #dadce0;margin:16px 0">',
    `<p style="margin:0;font-size:12px;color:#5f6368"><a href="${escapeHtml(unsubscribe)}">Unsubscribe from these e-mail alerts</a>.</p>`,
    '</body></html>',
  ].join('\n');
  const text = [
    'WITHDRAWN',
    '',
    sentence,
    '',
    headline,
    '',
    '--',
    `Unsubscribe from these e-mail alerts: ${unsubscribe}`,
  ].join('\n');
  return {
    to: notice.destination,
    subject,
    html,
    text,
    headers: listUnsubscribeHeaders(links.publicBaseUrl, notice.subscriptionId, 'email', links.signingSecret),
  };
}

/** `Wirewatch WITHDRAWN: <headline> - disregard the earlier alert.`, in one segment (the headline gives way). */
export function renderWithdrawalSms(notice: WithdrawalNotice): string {
  const prefix = 'Wirewatch WITHDRAWN: ';
  const suffix = ' - disregard the earlier alert.';
  const headline = toGsmFriendly(cleanHeadline(notice)).slice(0, 160);
  for (let kept = headline.length; kept > 0; kept--) {
    const cut = kept === headline.length ? headline : `${headline.slice(0, kept).trimEnd()}...`;
    const message = `${prefix}${cut}${suffix}`;
    if (fitsOneSegment(message)) return message;
  }
  return `${prefix.trimEnd()}${suffix}`;
}

/** The JSON body on the alerts topic: `type: "wirewatch.withdrawal"`, with the same filter attributes. */
export function renderWithdrawalTopicMessage(notice: WithdrawalNotice): TopicMessage {
  const body = {
    type: 'wirewatch.withdrawal',
    schemaVersion: 1,
    story: { id: notice.storyId, headline: truncateBytes(toSingleLine(notice.headline), 1000) },
    subscription: { id: notice.subscriptionId, name: notice.subscriptionName },
  };
  const attributes: Record<string, string> = { type: 'withdrawal', channel: 'sns' };
  for (const [name, value] of Object.entries({
    subscriptionId: notice.subscriptionId,
    storyId: notice.storyId,
  })) {
    const clean = truncateBytes(toSingleLine(value), 1024);
    if (clean !== '') attributes[name] = clean;
  }
  return { message: JSON.stringify(body), attributes };
}
