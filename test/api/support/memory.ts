import type { EmailMessage, EmailSender, SmsSender } from '../../../functions/core/ports.ts';
import type { Story } from '../../../functions/core/stories/story.ts';
import type {
  ConfirmationLedger,
  PendingSmsCode,
  RecentStories,
  SubscriptionRepository,
} from '../../../functions/core/subscriptions/ports.ts';
import type { Subscription } from '../../../functions/core/subscriptions/subscription.ts';

/** In-memory fakes of the subscription ports, for unit tests of the service and the router. */

export class MemoryRepository implements SubscriptionRepository {
  readonly items = new Map<string, Subscription>();

  async get(id: string) {
    return this.items.get(id);
  }
  async listByOwner(owner: string) {
    return [...this.items.values()]
      .filter((s) => s.owner === owner)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  async create(subscription: Subscription) {
    if (this.items.has(subscription.id)) throw new Error(`duplicate id ${subscription.id}`);
    this.items.set(subscription.id, subscription);
  }
  async replace(subscription: Subscription, expectedUpdatedAt: string) {
    const current = this.items.get(subscription.id);
    if (current === undefined || current.updatedAt !== expectedUpdatedAt) return false;
    this.items.set(subscription.id, subscription);
    return true;
  }
  async delete(id: string) {
    this.items.delete(id);
  }
  async findByPhone(phone: string) {
    return [...this.items.values()].filter((s) =>
      s.channels.some((c) => c.type === 'sms' && c.phone === phone),
    );
  }
}

export class MemoryLedger implements ConfirmationLedger {
  readonly codes = new Map<string, PendingSmsCode>();
  readonly counters = new Map<string, number>();
  readonly suppressed = new Map<string, string>();

  async putSmsCode(code: PendingSmsCode) {
    this.codes.set(code.subscriptionId, code);
  }
  async getSmsCode(subscriptionId: string) {
    return this.codes.get(subscriptionId);
  }
  async addSmsCodeAttempt(subscriptionId: string) {
    const code = this.codes.get(subscriptionId);
    if (code === undefined) return Number.POSITIVE_INFINITY;
    const next = { ...code, attempts: code.attempts + 1 };
    this.codes.set(subscriptionId, next);
    return next.attempts;
  }
  async deleteSmsCode(subscriptionId: string) {
    this.codes.delete(subscriptionId);
  }
  async consume(key: string, limit: number, windowSeconds: number, nowSeconds: number) {
    const counter = `${key}#${nowSeconds - (nowSeconds % windowSeconds)}`;
    const count = this.counters.get(counter) ?? 0;
    if (count >= limit) return false;
    this.counters.set(counter, count + 1);
    return true;
  }
  async isSuppressed(destination: string) {
    return this.suppressed.has(destination);
  }
  async suppress(destination: string, reason: string) {
    this.suppressed.set(destination, reason);
  }
  async unsuppress(destination: string) {
    this.suppressed.delete(destination);
  }
}

export class RecordingEmailSender implements EmailSender {
  readonly sent: EmailMessage[] = [];
  failWith: Error | undefined;
  async send(message: EmailMessage) {
    if (this.failWith !== undefined) throw this.failWith;
    this.sent.push(message);
  }
  /** The confirmation link of the last mail to `to`. */
  lastLink(to: string): string {
    const mail = this.sent.filter((m) => m.to === to).at(-1);
    const link = mail?.text.split('\n').find((line) => line.includes('/confirm?token='));
    if (link === undefined) throw new Error(`no confirmation link was mailed to ${to}`);
    return link.trim();
  }
}

export class RecordingSmsSender implements SmsSender {
  readonly sent: { phone: string; text: string }[] = [];
  async send(phone: string, text: string) {
    this.sent.push({ phone, text });
  }
  lastCode(phone: string): string {
    const text = this.sent.filter((m) => m.phone === phone).at(-1)?.text ?? '';
    const code = text.match(/\b[0-9]{6}\b/)?.[0];
    if (code === undefined) throw new Error(`no code was texted to ${phone}`);
    return code;
  }
}

export class FixedRecentStories implements RecentStories {
  calls = 0;
  constructor(private readonly stories: readonly Story[]) {}
  async list(limit: number) {
    this.calls++;
    return this.stories.slice(0, limit);
  }
}
