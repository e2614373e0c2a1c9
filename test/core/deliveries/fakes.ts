import type {
  ClaimResult,
  DeliveryClaims,
  DeliveryQueue,
  PriorDeliveries,
} from '../../../functions/core/deliveries/ports.ts';
import { type DeliveryJob, jobsOf, type StoryAlerts } from '../../../functions/core/deliveries/types.ts';
import type {
  AlertPublisher,
  EmailMessage,
  EmailSender,
  RecentStories,
  SmsSender,
  SuppressionList,
} from '../../../functions/core/ports.ts';
import type { Story } from '../../../functions/core/stories/story.ts';

/** In-memory delivery claims with the same lease rules as the DynamoDB adapter. */
export class MemoryClaims implements DeliveryClaims {
  readonly items = new Map<
    string,
    { state: 'sending' | 'done'; claimedAt: number; expiresAt: number; token?: string }
  >();
  readonly withdrawn = new Set<string>();
  nowSeconds = 1_000_000;

  async claim(
    key: string,
    options: { ttlSeconds: number; leaseSeconds: number; token: string },
  ): Promise<ClaimResult> {
    const item = this.items.get(key);
    const free =
      item === undefined ||
      item.expiresAt < this.nowSeconds ||
      (item.state === 'sending' && item.claimedAt < this.nowSeconds - options.leaseSeconds);
    if (!free) return item.state === 'done' ? 'done' : 'in-flight';
    this.items.set(key, {
      state: 'sending',
      claimedAt: this.nowSeconds,
      expiresAt: this.nowSeconds + options.ttlSeconds,
      token: options.token,
    });
    return 'claimed';
  }

  /** Calls made, to check that lookups and settling go in batches. */
  readonly calls: string[] = [];

  async lookUp(keys: readonly string[], storyIds: readonly string[]): Promise<PriorDeliveries> {
    this.calls.push(`lookUp ${keys.length}`);
    const settled = keys.filter((key) => {
      const item = this.items.get(key);
      return item?.state === 'done' && item.expiresAt >= this.nowSeconds;
    });
    return { settled: new Set(settled), withdrawn: new Set(storyIds.filter((id) => this.withdrawn.has(id))) };
  }

  async settle(keys: readonly string[], options: { ttlSeconds: number }): Promise<void> {
    this.calls.push(`settle ${keys.length}`);
    // A write takes time, as DynamoDB's does: settles that finish meanwhile are grouped into the next one.
    await new Promise((resolve) => setTimeout(resolve, 1));
    for (const key of keys) {
      this.items.set(key, {
        state: 'done',
        claimedAt: this.nowSeconds,
        expiresAt: this.nowSeconds + options.ttlSeconds,
      });
    }
  }

  async release(keys: readonly string[], token: string): Promise<void> {
    this.calls.push(`release ${keys.length}`);
    for (const key of keys) {
      const item = this.items.get(key);
      if (item?.state === 'sending' && item.token === token) this.items.delete(key);
    }
  }

  async withdraw(storyId: string): Promise<void> {
    this.withdrawn.add(storyId);
  }
}

export class MemorySuppressions implements SuppressionList {
  readonly suppressed = new Map<string, string>();
  lookups = 0;
  async suppressedAmong(destinations: readonly string[]): Promise<ReadonlySet<string>> {
    this.lookups++;
    return new Set(destinations.filter((destination) => this.suppressed.has(destination)));
  }
  async suppress(destination: string, reason: string): Promise<void> {
    this.suppressed.set(destination, reason);
  }
}

/** A sender that records what it sent, or throws the next queued error instead. */
class Recorder<T> {
  readonly sent: T[] = [];
  readonly failures: Error[] = [];
  protected record(item: T): void {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.sent.push(item);
  }
}

export class RecordingEmail extends Recorder<EmailMessage> implements EmailSender {
  async send(message: EmailMessage): Promise<void> {
    this.record(message);
  }
}

export class RecordingSms extends Recorder<{ phone: string; text: string }> implements SmsSender {
  async send(phone: string, text: string): Promise<void> {
    this.record({ phone, text });
  }
}

export class RecordingTopic
  extends Recorder<{ message: string; attributes: Readonly<Record<string, string>> }>
  implements AlertPublisher
{
  /** Messages per publish call. */
  readonly calls: number[] = [];
  async publish(
    messages: readonly { message: string; attributes: Readonly<Record<string, string>> }[],
  ): Promise<readonly (Error | undefined)[]> {
    this.calls.push(messages.length);
    return messages.map((message) => {
      try {
        this.record(message);
        return undefined;
      } catch (error) {
        return error as Error;
      }
    });
  }
}

export class MemoryDeliveryQueue implements DeliveryQueue {
  readonly jobs: DeliveryJob[] = [];
  failure: Error | undefined;
  async send(alerts: StoryAlerts): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.jobs.push(...jobsOf(alerts));
  }
}

export class MemoryRecentStories implements RecentStories {
  readonly stories: Story[] = [];
  failure: Error | undefined;
  readonly puts: number[] = [];
  async put(stories: readonly Story[]): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.puts.push(stories.length);
    this.stories.unshift(...[...stories].reverse());
  }
  async list(limit: number): Promise<readonly Story[]> {
    return this.stories.slice(0, limit);
  }
}
