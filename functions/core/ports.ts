/**
 * The small interfaces the pure core needs from the outside world.
 * Adapters in functions/adapters implement them over AWS SDK v3 clients.
 */
import type { Story } from './stories/story.ts';

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). Values must hold no CR or LF. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

export interface SmsSender {
  /** `phone` is E.164; `text` fits one 140-byte segment. */
  send(phone: string, text: string): Promise<void>;
}

/** Topic messages in one publish, at most (SNS PublishBatch takes 10). */
export const MAX_TOPIC_BATCH = 10;

export interface AlertPublisher {
  /**
   * Publishes up to MAX_TOPIC_BATCH messages in one request (SNS PublishBatch). Returns, in order, each message's failure
   * (a TransientSendError or PermanentSendError) or undefined when it was published; throws only when nothing
   * was published.
   */
  publish(
    messages: readonly { readonly message: string; readonly attributes: Readonly<Record<string, string>> }[],
  ): Promise<readonly (Error | undefined)[]>;
}

/**
 * Destinations that must not be sent to (an SMS opt-out, an address that hard-bounced). Keys are shared with
 * the subscription service (`suppressionKey` in core/subscriptions/ledger-keys.ts): a STOP reply recorded there
 * stops the notifier too.
 */
export interface SuppressionList {
  /**
   * Of `destinations` (distinct E.164 numbers or e-mail addresses; the implementation folds the domain),
   * those suppressed. One lookup for a whole message of alerts.
   */
  suppressedAmong(destinations: readonly string[]): Promise<ReadonlySet<string>>;
  suppress(destination: string, reason: string): Promise<void>;
}

/**
 * The newest parsed stories (the matcher writes each batch's usable stories best-effort; the subscribe API lists
 * them to preview a query against recent news).
 */
export interface RecentStories {
  /** Keeps these stories, later ones counting as newer. */
  put(stories: readonly Story[]): Promise<void>;
  /** Up to `limit` distinct stories, newest first. */
  list(limit: number): Promise<readonly Story[]>;
}

/** Delivery failures the notifier must classify. Adapters map SDK errors onto these. */
export class TransientSendError extends Error {
  override readonly name = 'TransientSendError';
}
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
}
