import { escapeHtml, toSingleLine as headerSafe } from '../alerts/text.ts';
import type { EmailMessage } from '../ports.ts';

/** The double opt-in messages. Everything the user typed is escaped in HTML and made header-safe. */

const QUERY_PREVIEW_CHARS = 300;

export function confirmationEmail(options: {
  readonly to: string;
  readonly subscriptionName: string;
  readonly query: string;
  readonly confirmLink: string;
  readonly ttlHours: number;
}): EmailMessage {
  const name = headerSafe(options.subscriptionName);
  const query =
    options.query.length > QUERY_PREVIEW_CHARS
      ? `${options.query.slice(0, QUERY_PREVIEW_CHARS)}…`
      : options.query;
  const text = [
    `Someone (we hope you) asked Wirewatch to send news alerts for "${name}" to this address.`,
    '',
    `Query: ${query}`,
    '',
    `To start receiving alerts, open this link within ${options.ttlHours} hours and press "Confirm":`,
    options.confirmLink,
    '',
    'If you did not ask for this, ignore this message: nothing more will be sent to you.',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en"><body>
<p>Someone (we hope you) asked Wirewatch to send news alerts for <strong>${escapeHtml(name)}</strong> to this address.</p>
<p>Query: <code>${escapeHtml(query)}</code></p>
<p>To start receiving alerts, open this link within ${options.ttlHours} hours and press &ldquo;Confirm&rdquo;:</p>
<p><a href="${escapeHtml(options.confirmLink)}">Confirm alerts for ${escapeHtml(name)}</a></p>
<p>If you did not ask for this, ignore this message: nothing more will be sent to you.</p>
</body></html>`;
  return {
    to: options.to,
    subject: headerSafe(`Confirm Wirewatch alerts: ${name}`).slice(0, 200),
    html,
    text,
    headers: {},
  };
}

/** One SMS segment (ASCII, well under 140 bytes). */
export function smsCodeText(code: string, ttlMinutes: number): string {
  return `Wirewatch code: ${code}. It confirms news alerts to this number and expires in ${ttlMinutes} min. Reply STOP to opt out.`;
}
