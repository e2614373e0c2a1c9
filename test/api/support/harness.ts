import { createApi } from '../../../functions/api/app.ts';
import type { Story } from '../../../functions/core/stories/story.ts';
import type { SubscriptionLimits } from '../../../functions/core/subscriptions/context.ts';
import { SubscriptionService } from '../../../functions/core/subscriptions/service.ts';
import { apiEvent, type CallOptions } from '../../support/lambda-events.ts';
import {
  FixedRecentStories,
  MemoryLedger,
  MemoryRepository,
  RecordingEmailSender,
  RecordingSmsSender,
} from './memory.ts';

export const TEST_SECRET = 'test-signing-secret-0123456789abcdef0123456789';
export const BASE_URL = 'https://wirewatch.test';

export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
  readonly json: any;
}

/** The API over in-memory ports, with a settable clock. */
export function apiHarness(
  options: {
    limits?: Partial<SubscriptionLimits>;
    stories?: readonly Story[];
    allowLocalRoutes?: boolean;
  } = {},
) {
  const repository = new MemoryRepository();
  const ledger = new MemoryLedger();
  const email = new RecordingEmailSender();
  const sms = new RecordingSmsSender();
  const clock = { now: new Date('2026-03-01T12:00:00Z') };
  const errors: unknown[] = [];
  const recentStories = new FixedRecentStories(options.stories ?? []);
  const service = new SubscriptionService({
    repository,
    ledger,
    email,
    sms,
    signingSecret: TEST_SECRET,
    publicBaseUrl: BASE_URL,
    rules: { allowedSmsCountries: ['US', 'CA', 'GB'] },
    limits: options.limits,
    now: () => clock.now,
  });
  const handler = createApi({
    service,
    queries: { recentStories },
    web: {
      load: async () => ({ html: '<!doctype html><title>page</title>', script: 'void 0;', style: 'body{}' }),
    },
    allowLocalRoutes: options.allowLocalRoutes ?? true,
    logger: { error: (message, details) => errors.push({ message, details }) },
  });
  const call = async (method: string, path: string, callOptions: CallOptions = {}): Promise<CallResult> => {
    const result = await handler(apiEvent(method, path, callOptions));
    const text = result.body ?? '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: result.statusCode ?? 0,
      headers: (result.headers ?? {}) as Record<string, string>,
      text,
      json,
    };
  };
  return { call, handler, service, repository, ledger, email, sms, clock, errors, recentStories };
}

export type ApiHarness = ReturnType<typeof apiHarness>;
