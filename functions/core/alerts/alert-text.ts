import type { DeliveryJob } from '../deliveries/types.ts';
import { safeHttpUrl, toSingleLine, truncateChars } from './text.ts';

/**
 * The pieces every alert shows, cleaned once: third-party text reduced to safe single lines, the story link
 * kept only when it is http(s). Renderers still escape for their own medium (HTML, JSON).
 */
export interface AlertFacts {
  readonly subscriptionName: string;
  /** The headline, or the start of the snippet when the story had none. Never empty. */
  readonly headline: string;
  readonly url?: string | undefined;
  readonly source?: string | undefined;
  /** `2026-01-02 03:04 UTC`, when the story carried a usable time. */
  readonly published?: string | undefined;
  /** `Update` or `Correction` for later versions of a story. */
  readonly statusLabel?: string | undefined;
  /** `FLASH` (urgency 1) or `URGENT` (2), the wire's own priority. */
  readonly urgencyLabel?: string | undefined;
  /** `By Ana Lima` when the story has a byline. */
  readonly byline?: string | undefined;
  readonly dateline?: string | undefined;
  /** The distinct matched terms, at most MAX_TERMS_SHOWN, each one line. */
  readonly terms: readonly string[];
  /** How many more terms matched than are shown. */
  readonly moreTerms: number;
  /** `the body`, `the headline and body`: where they matched; empty when not known. */
  readonly where: string;
}

export const MAX_TERMS_SHOWN = 12;
const MAX_NAME_CHARS = 80;
const MAX_HEADLINE_CHARS = 300;
const MAX_TERM_CHARS = 80;
const MAX_BYLINE_CHARS = 120;

export function alertFacts(job: DeliveryJob): AlertFacts {
  const terms = [...new Set(job.matchedTerms.map(toSingleLine).filter((term) => term !== ''))];
  const source = toSingleLine(job.story.source ?? '');
  return {
    subscriptionName:
      truncateChars(toSingleLine(job.subscription.name), MAX_NAME_CHARS) || 'Your subscription',
    headline: truncateChars(headlineOf(job), MAX_HEADLINE_CHARS),
    url: safeHttpUrl(job.story.url),
    source: source === '' ? undefined : truncateChars(source, MAX_NAME_CHARS),
    published: formatPublished(job.story.publishedAt),
    statusLabel: STATUS_LABELS[job.story.status],
    urgencyLabel: job.story.urgency === 1 ? 'FLASH' : job.story.urgency === 2 ? 'URGENT' : undefined,
    byline: optionalLine(job.story.byline, (text) => `By ${text}`),
    dateline: optionalLine(job.story.dateline, (text) => text),
    terms: terms.slice(0, MAX_TERMS_SHOWN).map((term) => truncateChars(term, MAX_TERM_CHARS)),
    moreTerms: Math.max(0, terms.length - MAX_TERMS_SHOWN),
    where: whereMatched(job.matchedFields),
  };
}

const STATUS_LABELS: Readonly<Partial<Record<DeliveryJob['story']['status'], string>>> = {
  update: 'Update',
  correction: 'Correction',
};

function headlineOf(job: DeliveryJob): string {
  const headline = toSingleLine(job.story.headline);
  if (headline !== '') return headline;
  // Dow Jones text often has no headline: the snippet's opening is the next best thing.
  const opening = toSingleLine(job.snippet.text);
  if (opening !== '') return truncateChars(opening, 100);
  return `Story ${toSingleLine(job.story.id)}`;
}

function optionalLine(text: string | undefined, shape: (clean: string) => string): string | undefined {
  const clean = toSingleLine(text ?? '');
  return clean === '' ? undefined : shape(truncateChars(clean, MAX_BYLINE_CHARS));
}

const FIELD_ORDER = ['headline', 'summary', 'body', 'byline', 'dateline', 'slugline'];

function whereMatched(fields: readonly string[] | undefined): string {
  const known = FIELD_ORDER.filter((field) => fields?.includes(field));
  if (known.length === 0) return '';
  const listed = known.length === 1 ? known[0] : `${known.slice(0, -1).join(', ')} and ${known.at(-1)}`;
  return `the ${listed}`;
}

function formatPublished(publishedAt: string | undefined): string | undefined {
  if (publishedAt === undefined) return undefined;
  const time = Date.parse(publishedAt);
  if (Number.isNaN(time)) return undefined;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
