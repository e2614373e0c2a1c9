import type { DeliveryJob } from '../deliveries/types.ts';
import { alertFacts } from './alert-text.ts';
import { fitsOneSegment, toGsmFriendly } from './sms-encoding.ts';
import { truncateBytes, utf8Bytes } from './text.ts';

export { SMS_SEGMENT_BYTES } from './sms-encoding.ts';

/** Links longer than this are left out: they would crowd out the headline. */
const MAX_LINK_BYTES = 60;
const MAX_NAME_BYTES = 40;
const MAX_TERM_BYTES = 30;
const MAX_SOURCE_BYTES = 24;
const ELLIPSIS = '...';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `Wirewatch: <name> "<term>", <source> <HH:MM UTC>: <title> <link>` in one SMS segment: at most 140 bytes of
 * UTF-8 and within the segment of its encoding (160 GSM-7 septets or 70 UCS-2 units), cut on a character
 * boundary. It names the subscription, the first matched term, the source and the time; typographic quotes and
 * dashes become their ASCII look-alikes first. The title gives way; the link stays only if short.
 */
export function renderSms(job: DeliveryJob): string {
  const facts = alertFacts(job);
  const name = toGsmFriendly(truncateBytes(facts.subscriptionName, MAX_NAME_BYTES));
  const term =
    facts.terms[0] === undefined
      ? ''
      : ` "${toGsmFriendly(truncateBytes(facts.terms[0].replaceAll('"', ''), MAX_TERM_BYTES))}"`;
  const source =
    facts.source === undefined ? '' : toGsmFriendly(truncateBytes(facts.source, MAX_SOURCE_BYTES));
  // `2026-01-02 03:04 UTC` -> `03:04 UTC`: the day is the day it arrives.
  const time = facts.published?.slice(11) ?? '';
  const context = [source, time].filter((part) => part !== '').join(' ');
  const prefix = `Wirewatch: ${name}${term}${context === '' ? '' : `, ${context}`}: `;
  const link = facts.url !== undefined && utf8Bytes(facts.url) <= MAX_LINK_BYTES ? ` ${facts.url}` : '';
  // No segment holds more than 160 characters: what lies beyond can never be sent (and would cost time).
  const headline = toGsmFriendly(facts.headline).slice(0, 170);

  const whole = `${prefix}${headline}${link}`;
  if (fitsOneSegment(whole)) return whole;
  // Cut the headline; when the link leaves it no room at all, drop the link.
  const beforeLink = longestFitting(headline, (kept) => `${prefix}${kept}${ELLIPSIS}${link}`);
  if (beforeLink !== '') return `${prefix}${beforeLink}${ELLIPSIS}${link}`;
  const alone = longestFitting(headline, (kept) => `${prefix}${kept}${ELLIPSIS}`);
  if (alone !== '') return `${prefix}${alone}${ELLIPSIS}`;
  return `${longestFitting(prefix, (kept) => `${kept}${ELLIPSIS}`)}${ELLIPSIS}`;
}

/** The longest grapheme-aligned prefix of `text` whose framed message fits one segment (may be empty). */
function longestFitting(text: string, frame: (kept: string) => string): string {
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (!fitsOneSegment(frame(kept + segment))) break;
    kept += segment;
  }
  return kept.trimEnd();
}
