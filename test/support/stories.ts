import type { Story } from '../../functions/core/stories/story.ts';

/** A normalized story for unit tests; override what the test is about. */
export function aStory(overrides: Partial<Story> = {}): Story {
  return {
    id: 'test-story-1',
    format: 'envelope',
    headline: 'Ministers meet in Lisbon',
    authors: ['Ana Reporter'],
    dateline: 'LISBON',
    body: 'Ministers met on Tuesday to discuss fishing quotas.\n\nNo agreement was reached.',
    summary: [],
    publishedAt: '2026-01-02T03:04:05Z',
    language: 'en',
    status: 'usable',
    version: 1,
    keywords: [],
    subjects: [],
    people: [],
    organisations: [],
    source: 'Test Wire',
    ...overrides,
  };
}
