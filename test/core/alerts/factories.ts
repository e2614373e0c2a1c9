import type { DeliveryJob, PlannedMatch, StoryAlerts } from '../../../functions/core/deliveries/types.ts';
import type { Subscription } from '../../../functions/core/subscriptions/subscription.ts';

/** A delivery job for unit tests (invented text); override what the test is about. */
export function aDeliveryJob(overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  return {
    story: {
      id: 'story-42',
      version: 1,
      status: 'usable',
      headline: 'Harbour strike ends after three days',
      url: 'https://news.example.com/stories/42',
      publishedAt: '2026-01-02T03:04:05Z',
      source: 'Test Wire',
    },
    subscription: { id: 'sub-1', name: 'Ports', owner: 'user-1', query: 'harbour OR port' },
    channel: 'email',
    destination: 'reader@example.com',
    snippet: { text: 'The harbour strike ended on Friday.', highlights: [[4, 11]] },
    matchedTerms: ['harbour'],
    ...overrides,
  };
}

/** An active subscription with a confirmed e-mail channel; override what the test is about. */
export function aSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub-1',
    owner: 'user-1',
    name: 'Ports',
    query: 'harbour',
    channels: [{ type: 'email', address: 'reader@example.com', confirmed: true }],
    status: 'active',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export const SECRET = 'test-signing-secret-that-is-at-least-32-bytes-long';

/** True when the string has no lone surrogates (String#isWellFormed is ES2024, beyond this project's lib). */
export function isWellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

/** True when the text holds a C0 control character (CR, LF, NUL...) or a Unicode line separator. */
export function hasLineBreakOrControl(text: string): boolean {
  return [...text].some((character) => character.charCodeAt(0) < 0x20 || character === '\u2028');
}

/**
 * Jobs of one story as the deliveries queue carries them (the story of the first job): consecutive jobs of
 * one subscription share a match entry.
 */
export function storyAlerts(jobs: readonly DeliveryJob[]): StoryAlerts {
  const matches: PlannedMatch[] = [];
  for (const { story: _story, channel, destination, ...match } of jobs) {
    const last = matches.at(-1);
    const delivery = destination === undefined ? { channel } : { channel, destination };
    if (last !== undefined && last.subscription.id === match.subscription.id) {
      matches[matches.length - 1] = { ...last, deliveries: [...last.deliveries, delivery] };
    } else matches.push({ ...match, deliveries: [delivery] });
  }
  return { story: jobs[0]?.story ?? aDeliveryJob().story, matches };
}
