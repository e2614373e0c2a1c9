import { describe, expect, it } from 'vitest';
import type { Story } from '../../../functions/core/stories/story.ts';
import { DEFAULT_MAX_PER_HOUR } from '../../../functions/core/subscriptions/preferences.ts';
import {
  checkAndPreview,
  estimateVolume,
  PREVIEW_STORY_CHARS,
  PREVIEW_TOTAL_CHARS,
} from '../../../functions/core/subscriptions/preview.ts';
import { aStory } from '../../support/stories.ts';

const MB = 1024 * 1024;

/** A story whose body is read through a getter, so that the test sees what the preview takes of it. */
function hugeStory(n: number, reads: number[]): Story {
  const body = `The harbour strike began on Monday. ${'filler words about the port '.repeat(MB / 28)} lighthouse`;
  const story = aStory({ id: `big-${n}`, headline: `Story ${n}` });
  return Object.defineProperty({ ...story }, 'body', {
    get() {
      reads.push(n);
      return body;
    },
  }) as Story;
}

function result(query: string, stories: readonly Story[], maxMatches = 10) {
  const check = checkAndPreview(query, stories, maxMatches);
  if (!check.valid) throw new Error(check.error.message);
  return check.preview;
}

describe('preview cost', () => {
  it('twenty 1 MB stories: each searched in its first PREVIEW_STORY_CHARS characters only', () => {
    const reads: number[] = [];
    const stories = Array.from({ length: 20 }, (_, n) => hugeStory(n, reads));
    const preview = result('harbour', stories);
    expect(preview.searched).toBe(20);
    expect(preview.matches).toHaveLength(10);
    expect(preview.volume?.matched).toBe(20);
    expect(preview.scannedChars).toBeLessThanOrEqual(20 * PREVIEW_STORY_CHARS);
    expect(preview.scannedChars).toBeGreaterThan(20 * (PREVIEW_STORY_CHARS - 100));
    // A word past the cut is not searched: the rest of each megabyte is never scanned.
    expect(result('lighthouse', stories).volume?.matched).toBe(0);
  });

  it('stops at PREVIEW_TOTAL_CHARS in all, saying how many stories it searched', () => {
    const reads: number[] = [];
    const stories = Array.from({ length: 200 }, (_, n) => hugeStory(n, reads));
    const preview = result('harbour', stories);
    expect(preview.scannedChars).toBeLessThanOrEqual(PREVIEW_TOTAL_CHARS);
    expect(preview.searched).toBe(Math.ceil(PREVIEW_TOTAL_CHARS / PREVIEW_STORY_CHARS));
    expect(Math.max(...reads)).toBeLessThan(preview.searched);
  });

  it('leaves short stories whole', () => {
    const preview = result('fishing', [aStory()]);
    expect(preview.scannedChars).toBe(aStory().headline.length + aStory().body.length);
    expect(preview.matches).toHaveLength(1);
  });
});

describe('volume estimate', () => {
  const at = (hours: number) =>
    `2026-03-0${1 + Math.floor(hours / 24)}T${String(hours % 24).padStart(2, '0')}:10:00Z`;

  it('counts every match of the sample per day, not only those shown', () => {
    // 72 hours of stories, one an hour; every fourth about the harbour.
    const stories = Array.from({ length: 73 }, (_, hour) =>
      aStory({
        id: `s${hour}`,
        publishedAt: at(hour),
        body: hour % 4 === 0 ? 'The harbour reopened.' : 'Markets rose.',
      }),
    );
    const preview = result('harbour', stories, 3);
    expect(preview.matches).toHaveLength(3);
    expect(preview.volume).toMatchObject({ matched: 19, overHours: 72, alertsPerDay: 6, busiestHour: 1 });
    expect(preview.volume?.summary).toBe('About 6 alerts a day over the last 3 days of stories.');
    expect(preview.volume?.warning).toBeUndefined();
  });

  it('warns when the busiest hour would exceed the throttle', () => {
    const burst = Array.from({ length: DEFAULT_MAX_PER_HOUR + 2 }, (_, n) =>
      aStory({
        id: `b${n}`,
        publishedAt: `2026-03-01T10:${String(n).padStart(2, '0')}:00Z`,
        body: 'The harbour strike.',
      }),
    );
    const quiet = aStory({ id: 'q', publishedAt: '2026-03-01T00:00:00Z', body: 'Markets rose.' });
    const volume = result('harbour', [...burst, quiet]).volume;
    expect(volume?.busiestHour).toBe(12);
    expect(volume?.warning).toContain('matched 12 stories, more than the 10 immediate alerts an hour');
    expect(volume?.summary).toBe('About 26 alerts a day over the last 11 hours of stories.');
  });

  it('says nothing without times, and "no alerts" when nothing matched', () => {
    expect(estimateVolume([], [])).toBeUndefined();
    expect(estimateVolume([], [0, 3_600_000])?.summary).toBe('No alerts over the last 1 hour of stories.');
  });
});
