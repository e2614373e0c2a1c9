import type { DeliveryJob } from '../deliveries/types.ts';
import type { Snippet } from '../matching/types.ts';
import { capSnippet } from './snippet.ts';
import { safeHttpUrl, toSingleLine, truncateBytes } from './text.ts';

/** The JSON body of an alert on the SNS alerts topic (`type` and `schemaVersion` let consumers evolve). */
export interface TopicAlert {
  readonly type: 'wirewatch.alert';
  readonly schemaVersion: 1;
  readonly story: {
    readonly id: string;
    readonly version: number;
    readonly status: string;
    readonly headline: string;
    readonly url?: string | undefined;
    readonly publishedAt?: string | undefined;
    readonly source?: string | undefined;
  };
  readonly subscription: { readonly id: string; readonly name: string };
  readonly snippet: Snippet;
  readonly matchedTerms: readonly string[];
}

export interface TopicMessage {
  /** JSON of a TopicAlert. */
  readonly message: string;
  /** String attributes for subscription filter policies; each one line, non-empty and bounded. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Bound on each attribute value in bytes: far below the 256 KiB message limit, ample for filter policies. */
export const MAX_ATTRIBUTE_BYTES = 1024;
const MAX_HEADLINE_BYTES = 1000;
const MAX_SNIPPET_CHARS = 2000;
const MAX_TERMS = 100;

/**
 * The alerts-topic message for a job: a JSON body, and String attributes `subscriptionId`, `storyId`,
 * `channel` and `matchedTerms` (comma-joined) for filter policies. SNS refuses empty attribute values, so an
 * attribute with nothing to say is left out.
 */
export function renderTopicMessage(job: DeliveryJob): TopicMessage {
  const terms = [...new Set(job.matchedTerms)].slice(0, MAX_TERMS);
  const alert: TopicAlert = {
    type: 'wirewatch.alert',
    schemaVersion: 1,
    story: {
      id: job.story.id,
      version: job.story.version,
      status: job.story.status,
      headline: truncateBytes(toSingleLine(job.story.headline), MAX_HEADLINE_BYTES),
      url: safeHttpUrl(job.story.url),
      publishedAt: job.story.publishedAt,
      source: job.story.source,
    },
    subscription: { id: job.subscription.id, name: job.subscription.name },
    snippet: capSnippet(job.snippet, MAX_SNIPPET_CHARS),
    matchedTerms: terms,
  };
  const attributes: Record<string, string> = {};
  const candidates: Record<string, string> = {
    subscriptionId: job.subscription.id,
    storyId: job.story.id,
    channel: job.channel,
    matchedTerms: terms.map(toSingleLine).join(','),
  };
  for (const [name, value] of Object.entries(candidates)) {
    const clean = truncateBytes(toSingleLine(value), MAX_ATTRIBUTE_BYTES);
    if (clean !== '') attributes[name] = clean;
  }
  // JSON.stringify escapes control characters and lone surrogates, so the body is valid for SNS as is.
  return { message: JSON.stringify(alert), attributes };
}
