import { alertFacts } from '../alerts/alert-text.ts';
import type { AlertLinkSettings } from '../alerts/render-email.ts';
import { renderSms } from '../alerts/render-sms.ts';
import { cleanInline, escapeHtml, toPlainText, toSingleLine, truncateChars } from '../alerts/text.ts';
import type { DeliveryJob } from '../deliveries/types.ts';
import type { EmailMessage } from '../ports.ts';
import { decodeFingerprint, sameNews, type TextFingerprint } from '../stories/near-duplicates.ts';
import { listUnsubscribeHeaders, unsubscribeToken, unsubscribeUrl } from '../subscriptions/links.ts';
import {
  type Cadence,
  DEFAULT_DAILY_DIGEST_AT,
  type DeliveryPreferences,
  formatCadence,
  formatTime,
} from '../subscriptions/preferences.ts';
import type { PendingAlert } from './ports.ts';

/** Whether two held alerts are the same news (one item in a digest, "also from ..."). */
export type SameNews = (a: PendingAlert, b: PendingAlert) => boolean;
export const sameStory: SameNews = (a, b) => a.job.story.id === b.job.story.id;

/**
 * The default: the same story, the same near-duplicate group (the notifier's, same-news.ts), or texts whose
 * fingerprints are near-duplicates (core/stories/near-duplicates.ts): copies from other sources, and takes and
 * write-throughs under other ids, become one item.
 */
export function sameNewsByText(): SameNews {
  const decoded = new Map<string, TextFingerprint | undefined>();
  const fingerprintOf = (alert: PendingAlert): TextFingerprint | undefined => {
    const text = alert.job.story.fingerprint;
    if (text === undefined) return undefined;
    if (!decoded.has(text)) decoded.set(text, decodeFingerprint(text));
    return decoded.get(text);
  };
  return (a, b) => {
    if (sameStory(a, b)) return true;
    const groupA = a.job.group ?? a.job.story.id;
    const groupB = b.job.group ?? b.job.story.id;
    if (groupA === groupB) return true;
    const fingerprintA = fingerprintOf(a);
    const fingerprintB = fingerprintOf(b);
    return fingerprintA !== undefined && fingerprintB !== undefined && sameNews(fingerprintA, fingerprintB);
  };
}

/** One item of a digest: the newest alert of a piece of news and the others that are the same news. */
export interface DigestItem {
  readonly lead: PendingAlert;
  readonly also: readonly PendingAlert[];
}

/** A digest's sections: one per subscription, its items newest first. */
export interface DigestSection {
  readonly subscriptionId: string;
  readonly name: string;
  readonly items: readonly DigestItem[];
  /** Alerts that waited for this digest because of the hourly limit or the daily cap. */
  readonly heldBack: number;
}

/** Newest first: by publication time, then by when they were held. */
function newestFirst(a: PendingAlert, b: PendingAlert): number {
  const published = (b.job.story.publishedAt ?? '').localeCompare(a.job.story.publishedAt ?? '');
  return published !== 0 ? published : b.heldAt - a.heldAt;
}

/** Groups alerts by subscription, then the same news together, newest first. */
export function digestSections(
  alerts: readonly PendingAlert[],
  isSameNews: SameNews = sameNewsByText(),
): DigestSection[] {
  const bySubscription = new Map<string, PendingAlert[]>();
  for (const alert of alerts) {
    const list = bySubscription.get(alert.job.subscription.id);
    if (list === undefined) bySubscription.set(alert.job.subscription.id, [alert]);
    else list.push(alert);
  }
  return [...bySubscription.values()].map((list) => {
    const sorted = [...list].sort(newestFirst);
    const items: { lead: PendingAlert; also: PendingAlert[] }[] = [];
    for (const alert of sorted) {
      const item = items.find((candidate) => isSameNews(candidate.lead, alert));
      if (item === undefined) items.push({ lead: alert, also: [] });
      else item.also.push(alert);
    }
    const first = sorted[0]!;
    return {
      subscriptionId: first.job.subscription.id,
      name: first.job.subscription.name,
      items,
      heldBack: list.filter((alert) => alert.reason === 'throttled' || alert.reason === 'daily-cap').length,
    };
  });
}

/** Where a subscriber changes the cadence: the subscribe page, at the subscription. */
export function preferencesUrl(links: AlertLinkSettings, subscriptionId: string): string {
  const base = links.publicBaseUrl.endsWith('/') ? links.publicBaseUrl.slice(0, -1) : links.publicBaseUrl;
  return `${base}/#subscription=${encodeURIComponent(subscriptionId)}`;
}

const MAX_ITEMS_SHOWN = 100;

/**
 * The digest e-mail of one subscription's window: a subject with the count, each item's title (linked), source,
 * time and snippet, newest first; escaped HTML and a plain-text part; one-click unsubscribe headers and a link to
 * change the cadence. An empty digest says "no new stories".
 */
export function renderDigestEmail(
  to: string,
  subscription: { readonly id: string; readonly name: string },
  sections: readonly DigestSection[],
  links: AlertLinkSettings,
): EmailMessage {
  const count = sections.reduce((total, section) => total + section.items.length, 0);
  const subject = truncateChars(
    toSingleLine(
      `[Wirewatch] ${subscription.name}: ${count === 0 ? 'no new stories' : `${count} ${count === 1 ? 'story' : 'stories'}`}`,
    ),
    150,
  );
  const unsubscribe = unsubscribeUrl(
    links.publicBaseUrl,
    unsubscribeToken(subscription.id, 'email', links.signingSecret),
  );
  const change = preferencesUrl(links, subscription.id);
  const html: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Helvetica,Arial,sans-serif;color:#1f1f1f;line-height:1.5">',
  ];
  const text: string[] = [];
  if (count === 0) {
    html.push(
      `<p>No new stories for <strong>${escapeHtml(subscription.name)}</strong> since the last digest.</p>`,
    );
    text.push(`No new stories for ${subscription.name} since the last digest.`, '');
  }
  for (const section of sections) {
    const name = escapeHtml(section.name);
    html.push(`<h1 style="margin:16px 0 8px;font-size:18px">${name}</h1>`);
    text.push(section.name, '='.repeat(Math.min(section.name.length, 60)), '');
    if (section.heldBack > 0) {
      const line = `${section.heldBack} ${section.heldBack === 1 ? 'alert was' : 'alerts were'} held back by your hourly limit or daily cap and ${section.heldBack === 1 ? 'is' : 'are'} in this digest.`;
      html.push(`<p style="margin:0 0 8px;font-size:13px;color:#5f6368">${escapeHtml(line)}</p>`);
      text.push(line, '');
    }
    for (const item of section.items.slice(0, MAX_ITEMS_SHOWN)) {
      const facts = alertFacts(item.lead.job);
      const headline = escapeHtml(facts.headline);
      const meta = [facts.source, facts.published].filter((part) => part !== undefined).join(' · ');
      const also = [
        ...new Set(item.also.map((alert) => alert.job.story.source).filter((s) => s !== undefined)),
      ];
      const alsoLine = also.length === 0 ? '' : `also from ${also.join(', ')}`;
      const snippet = cleanInline(item.lead.job.snippet.text);
      html.push(
        `<h2 style="margin:12px 0 4px;font-size:16px">${facts.url ? `<a href="${escapeHtml(facts.url)}" style="color:#0b57d0">${headline}</a>` : headline}</h2>`,
        meta === '' ? '' : `<p style="margin:0;font-size:13px;color:#5f6368">${escapeHtml(meta)}</p>`,
        alsoLine === '' ? '' : `<p style="margin:0;font-size:13px;color:#5f6368">${escapeHtml(alsoLine)}</p>`,
        snippet === '' ? '' : `<p style="margin:4px 0 0">${escapeHtml(snippet)}</p>`,
      );
      text.push(
        `* ${facts.headline}`,
        ...(meta === '' ? [] : [`  ${meta}`]),
        ...(alsoLine === '' ? [] : [`  ${alsoLine}`]),
        ...(snippet === '' ? [] : [`  ${toPlainText(item.lead.job.snippet.text)}`]),
        ...(facts.url ? [`  ${facts.url}`] : []),
        '',
      );
    }
    if (section.items.length > MAX_ITEMS_SHOWN) {
      const more = `and ${section.items.length - MAX_ITEMS_SHOWN} more`;
      html.push(`<p>${more}</p>`);
      text.push(more, '');
    }
  }
  html.push(
    '<hr style="border:none;border-top:1px solid #dadce0;margin:16px 0">',
    `<p style="margin:0;font-size:12px;color:#5f6368">A Wirewatch digest for ${escapeHtml(subscription.name)}. `,
    `<a href="${escapeHtml(change)}">Change how often it comes</a> · `,
    `<a href="${escapeHtml(unsubscribe)}">Unsubscribe from these e-mails</a>.</p>`,
    '</body></html>',
  );
  text.push('--', `Change how often it comes: ${change}`, `Unsubscribe from these e-mails: ${unsubscribe}`);
  return {
    to,
    subject,
    html: html.filter((line) => line !== '').join('\n'),
    text: text
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    headers: listUnsubscribeHeaders(links.publicBaseUrl, subscription.id, 'email', links.signingSecret),
  };
}

/**
 * Held SMS alerts go as one message: the newest alert, its subscription name marked with how many more there
 * were, so that the end of quiet hours does not bring a burst of texts.
 */
export function renderDigestSms(sections: readonly DigestSection[]): string | undefined {
  const items = sections.flatMap((section) => section.items);
  const newest = items.map((item) => item.lead).sort(newestFirst)[0];
  if (newest === undefined) return undefined;
  const more = items.length - 1;
  const job: DeliveryJob =
    more === 0
      ? newest.job
      : {
          ...newest.job,
          subscription: {
            ...newest.job.subscription,
            name: `${newest.job.subscription.name} (+${more} more)`,
          },
        };
  return renderSms(job);
}

/** The one notice when a subscription passes its daily cap. */
export function renderCapNotice(
  job: DeliveryJob,
  preferences: DeliveryPreferences,
  links: AlertLinkSettings,
  /** The daily cadence the subscription was switched to; absent: its cadence stays, only today is held. */
  switchedTo?: Extract<Cadence, { kind: 'daily' }>,
): EmailMessage {
  const name = job.subscription.name;
  const at = formatTime(
    switchedTo?.at ?? (preferences.email.kind === 'daily' ? preferences.email.at : DEFAULT_DAILY_DIGEST_AT),
  );
  const change = preferencesUrl(links, job.subscription.id);
  const cap = `Your alert "${name}" reached its daily cap of ${preferences.dailyCap} alerts.`;
  const subject = truncateChars(
    toSingleLine(`[Wirewatch] ${name} is now a daily digest${switchedTo === undefined ? ' for today' : ''}`),
    150,
  );
  const lines =
    switchedTo === undefined
      ? [
          cap,
          `For the rest of the day it is a daily digest: the next alerts come together at ${at} (${preferences.timeZone}).`,
          `Your alerts come as usual (${formatCadence(preferences.email)}) from then on.`,
          `To raise the cap or change how often alerts come: ${change}`,
        ]
      : [
          cap,
          `It is now a daily digest: its alerts, the rest of today's first, come together once a day at ${at} (${preferences.timeZone}).`,
          'Nothing else changed: the query, the channels and the other settings are as they were.',
          `To get alerts as they happen again, or to raise the cap: ${change}`,
        ];
  const unsubscribe = unsubscribeUrl(
    links.publicBaseUrl,
    unsubscribeToken(job.subscription.id, 'email', links.signingSecret),
  );
  return {
    to: job.destination ?? '',
    subject,
    text: [...lines, '', '--', `Unsubscribe from these e-mails: ${unsubscribe}`].join('\n'),
    html: [
      '<!doctype html>',
      `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
      ...lines.slice(0, 3).map((line) => `<p>${escapeHtml(line)}</p>`),
      `<p><a href="${escapeHtml(change)}">${switchedTo === undefined ? 'Raise the cap or change how often alerts come' : 'Get alerts as they happen again, or raise the cap'}</a>.</p>`,
      `<p style="font-size:12px;color:#5f6368"><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`,
      '</body></html>',
    ].join('\n'),
    headers: listUnsubscribeHeaders(links.publicBaseUrl, job.subscription.id, 'email', links.signingSecret),
  };
}
