import { escapeHtml } from '../core/alerts/text.ts';
import type { ChannelType } from '../core/subscriptions/subscription.ts';
import { htmlDocument } from '../web/document.ts';
import { type ApiResponse, html } from './http.ts';

/**
 * The small server-rendered pages behind links in e-mails. Every piece of user or third-party text goes
 * through escapeHtml; there is no script on them (CSP allows only the page's own files anyway).
 */

function layout(title: string, body: string): string {
  return htmlDocument({
    title: `${title} · Wirewatch`,
    body: `<main class="narrow">
<h1>${escapeHtml(title)}</h1>
${body}
</main>`,
  });
}

export function messagePage(statusCode: number, title: string, message: string): ApiResponse {
  return html(statusCode, layout(title, `<p>${escapeHtml(message)}</p>`));
}

/** A form that POSTs back to the same path with the token (relative action: works under any stage path). */
function actionForm(token: string, button: string, hidden: Readonly<Record<string, string>> = {}): string {
  const inputs = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}">${inputs}<button type="submit">${escapeHtml(button)}</button></form>`;
}

export function confirmAskPage(token: string, subscriptionName: string, address: string): ApiResponse {
  return html(
    200,
    layout(
      'Confirm your alerts',
      `<p>Send Wirewatch alerts for <strong>${escapeHtml(subscriptionName)}</strong> to <strong>${escapeHtml(address)}</strong>?</p>
${actionForm(token, 'Confirm')}
<p class="muted">If you did not ask for these alerts, close this page: nothing will be sent.</p>`,
    ),
  );
}

export function confirmedPage(
  subscriptionName: string,
  address: string,
  alreadyConfirmed: boolean,
): ApiResponse {
  const sentence = alreadyConfirmed ? 'was already confirmed' : 'is confirmed';
  return html(
    200,
    layout(
      'Alerts confirmed',
      `<p>${escapeHtml(address)} ${sentence}: alerts for <strong>${escapeHtml(subscriptionName)}</strong> will be sent there.</p>`,
    ),
  );
}

const CHANNEL_WORDS: Readonly<Record<ChannelType, string>> = {
  email: 'e-mail',
  sms: 'text message',
  sns: 'SNS topic',
};

export function unsubscribeAskPage(
  token: string,
  subscriptionName: string,
  channel: ChannelType,
): ApiResponse {
  return html(
    200,
    layout(
      'Unsubscribe',
      `<p>Stop ${CHANNEL_WORDS[channel]} alerts for <strong>${escapeHtml(subscriptionName)}</strong>?</p>
${actionForm(token, 'Unsubscribe', { 'List-Unsubscribe': 'One-Click' })}`,
    ),
  );
}

export function unsubscribedPage(
  subscriptionName: string | undefined,
  channel: ChannelType,
  changed: boolean,
): ApiResponse {
  const what = subscriptionName === undefined ? 'these alerts' : `alerts for “${subscriptionName}”`;
  const message = changed
    ? `You are unsubscribed: no more ${CHANNEL_WORDS[channel]} ${what}.`
    : `You were already unsubscribed from ${CHANNEL_WORDS[channel]} ${what}.`;
  return messagePage(200, 'Unsubscribed', message);
}
