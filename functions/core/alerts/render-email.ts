import type { DeliveryJob } from '../deliveries/types.ts';
import type { EmailMessage } from '../ports.ts';
import { listUnsubscribeHeaders, unsubscribeToken, unsubscribeUrl } from '../subscriptions/links.ts';
import { type AlertFacts, alertFacts } from './alert-text.ts';
import { snippetSegments } from './snippet.ts';
import { cleanInline, escapeHtml, toPlainText, toSingleLine, truncateChars } from './text.ts';

/** What links in alerts need: where the subscription API lives and the key that signs unsubscribe tokens. */
export interface AlertLinkSettings {
  /** Public https base URL of the subscription API, e.g. `https://alerts.example.com`. */
  readonly publicBaseUrl: string;
  readonly signingSecret: string;
}

const HIGHLIGHT_STYLE = 'background-color:#fde293;color:#1f1f1f;font-weight:bold;padding:0 1px';

/** `deportation`, `deportation and person:"Peña Nieto"`, `a, b and c`, `a, b and 3 more`, each term formatted. */
function naturalTerms(facts: AlertFacts, format: (term: string) => string): string {
  const shown = facts.terms.map(format);
  if (facts.moreTerms > 0) return `${shown.join(', ')} and ${facts.moreTerms} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** Longest subject, in characters (mail clients show about 60-80; SES folds long headers itself). */
export const MAX_SUBJECT_CHARS = 150;

/**
 * `[Wirewatch] <subscription name>: <headline>`, with `FLASH` or `URGENT` before the name when the wire said so;
 * one line, no control characters, at most MAX_SUBJECT_CHARS.
 */
export function emailSubject(facts: AlertFacts): string {
  const marker = facts.urgencyLabel === undefined ? '' : `${facts.urgencyLabel} `;
  return truncateChars(
    toSingleLine(`[Wirewatch] ${marker}${facts.subscriptionName}: ${facts.headline}`),
    MAX_SUBJECT_CHARS,
  );
}

/**
 * The alert e-mail for one delivery job: subject, HTML and text bodies, and the RFC 8058 one-click
 * unsubscribe headers. Every piece of story text is escaped; highlights become inline-styled `<mark>` after
 * escaping.
 */
export function renderEmail(job: DeliveryJob, links: AlertLinkSettings): EmailMessage {
  if (job.destination === undefined) {
    throw new Error(`Delivery job for subscription ${job.subscription.id} has no e-mail address.`);
  }
  const facts = alertFacts(job);
  const unsubscribe = unsubscribeUrl(
    links.publicBaseUrl,
    unsubscribeToken(job.subscription.id, 'email', links.signingSecret),
  );
  const subject = emailSubject(facts);
  return {
    to: job.destination,
    subject,
    html: renderHtml(job, facts, subject, unsubscribe),
    text: renderText(job, facts, unsubscribe),
    headers: listUnsubscribeHeaders(links.publicBaseUrl, job.subscription.id, 'email', links.signingSecret),
  };
}

function renderHtml(job: DeliveryJob, facts: AlertFacts, subject: string, unsubscribe: string): string {
  const headline = escapeHtml(facts.headline);
  const title = facts.url
    ? `<a href="${escapeHtml(facts.url)}" style="color:#0b57d0">${headline}</a>`
    : headline;
  const meta = metaLine(facts);
  const snippet = snippetSegments(job.snippet)
    .map(({ text, highlighted }) => {
      const escaped = escapeHtml(cleanInline(text));
      // Inline style: many mail clients drop <mark>'s default look (and <style> blocks).
      return highlighted ? `<mark style="${HIGHLIGHT_STYLE}">${escaped}</mark>` : escaped;
    })
    .join('')
    .trim();
  const name = escapeHtml(facts.subscriptionName);
  const lines = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Helvetica,Arial,sans-serif;color:#1f1f1f;line-height:1.5">',
    `<p style="margin:0 0 8px;font-size:13px;color:#5f6368">Wirewatch alert: <strong>${name}</strong></p>`,
    facts.urgencyLabel === undefined
      ? ''
      : `<p style="margin:0 0 6px"><span style="display:inline-block;padding:1px 6px;border-radius:3px;background-color:#b3261e;color:#ffffff;font-size:12px;font-weight:bold;letter-spacing:.05em">${facts.urgencyLabel}</span></p>`,
    `<h1 style="margin:0 0 8px;font-size:20px;line-height:1.3">${title}</h1>`,
    meta === '' ? '' : `<p style="margin:0 0 12px;font-size:13px;color:#5f6368">${escapeHtml(meta)}</p>`,
    snippet === ''
      ? ''
      : `<blockquote style="margin:0 0 12px;padding:8px 12px;border-left:3px solid #dadce0">${snippet}</blockquote>`,
    facts.terms.length === 0
      ? ''
      : `<p style="margin:0 0 12px">Why you got this: your alert <strong>${name}</strong> matched ${naturalTerms(facts, (term) => `<em>${escapeHtml(term)}</em>`)}${facts.where === '' ? '' : ` in ${facts.where}`}.</p>`,
    facts.url ? `<p style="margin:0 0 12px"><a href="${escapeHtml(facts.url)}">Read the story</a></p>` : '',
    '<hr style="border:none;border-top:1px solid #dadce0;margin:16px 0">',
    '<p style="margin:0;font-size:12px;color:#5f6368">You get this e-mail because you subscribed to ',
    `Wirewatch alerts for ${name}. `,
    `<a href="${escapeHtml(unsubscribe)}">Unsubscribe from these e-mail alerts</a>.</p>`,
    '</body></html>',
  ];
  return lines.filter((line) => line !== '').join('\n');
}

function renderText(job: DeliveryJob, facts: AlertFacts, unsubscribe: string): string {
  const meta = metaLine(facts);
  const snippet = toPlainText(job.snippet.text);
  const parts = [
    `Wirewatch alert: ${facts.subscriptionName}`,
    '',
    facts.urgencyLabel === undefined ? facts.headline : `${facts.urgencyLabel}: ${facts.headline}`,
    meta,
    '',
    snippet,
    '',
    facts.terms.length === 0
      ? ''
      : `Why you got this: your alert "${facts.subscriptionName}" matched ${naturalTerms(facts, (term) => term)}${facts.where === '' ? '' : ` in ${facts.where}`}.`,
    facts.url ? `Read the story: ${facts.url}` : '',
    '',
    '--',
    `Unsubscribe from these e-mail alerts: ${unsubscribe}`,
  ];
  return parts
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `Correction · By Ana Lima · LISBON · Test Wire · 2026-01-02 03:04 UTC`. */
function metaLine(facts: AlertFacts): string {
  return [facts.statusLabel, facts.byline, facts.dateline, facts.source, facts.published]
    .filter((part) => part !== undefined)
    .join(' · ');
}
