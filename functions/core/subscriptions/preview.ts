import { compileSubscriptions, validateQuery } from '../matching/index.ts';
import type { Snippet } from '../matching/types.ts';
import type { Story } from '../stories/story.ts';
import { DEFAULT_MAX_PER_HOUR } from './preferences.ts';

/**
 * Which recent stories a query would have matched (the "try before you subscribe" of the query editor), and
 * about how many alerts a day it would send. The cost is bounded however large the stories are: each story is
 * searched in its first PREVIEW_STORY_CHARS characters (headline, summary and body together), and a preview
 * searches at most PREVIEW_TOTAL_CHARS in all; the stories left over are not searched (`searched` says how
 * many were).
 */

export interface PreviewMatch {
  readonly storyId: string;
  readonly headline: string;
  readonly publishedAt?: string | undefined;
  readonly source?: string | undefined;
  readonly snippet: Snippet;
  readonly matchedTerms: readonly string[];
}

/** "About 14 alerts a day over the last 3 days of stories", and whether the throttle would hold some back. */
export interface VolumeEstimate {
  /** Stories of the searched ones that matched (not only the matches shown). */
  readonly matched: number;
  /** Hours from the oldest to the newest searched story (at least 1). */
  readonly overHours: number;
  /** Matches a day at the rate seen, rounded. */
  readonly alertsPerDay: number;
  /** The most matches in one clock hour (UTC) of the sample. */
  readonly busiestHour: number;
  /** Present when the busiest hour exceeds the throttle: alerts beyond it would wait for a digest. */
  readonly warning?: string | undefined;
  /** The sentence the page shows. */
  readonly summary: string;
}

export interface PreviewResult {
  /** Stories searched. */
  readonly searched: number;
  /** Characters of story text searched in all (at most PREVIEW_TOTAL_CHARS). */
  readonly scannedChars: number;
  readonly matches: readonly PreviewMatch[];
  /** Absent when no searched story carried a time. */
  readonly volume?: VolumeEstimate | undefined;
}

export type QueryCheck =
  | { readonly valid: true; readonly preview: PreviewResult }
  | { readonly valid: false; readonly error: { readonly message: string; readonly position: number } };

/** Characters of one story searched, at most: a long story's news is in its first pages. */
export const PREVIEW_STORY_CHARS = 20_000;
/** Characters searched by one preview, at most (200 stories of 5,000 characters fit). */
export const PREVIEW_TOTAL_CHARS = 1_000_000;

const PREVIEW_ID = 'preview';
const HOUR_MS = 60 * 60 * 1000;

export function checkAndPreview(query: string, stories: readonly Story[], maxMatches: number): QueryCheck {
  const problem = validateQuery(query);
  if (problem !== undefined)
    return { valid: false, error: { message: problem.message, position: problem.position } };
  const { index, errors } = compileSubscriptions([{ id: PREVIEW_ID, query }]);
  const [compileError] = errors;
  if (compileError !== undefined) {
    return {
      valid: false,
      error: { message: compileError.error.message, position: compileError.error.position },
    };
  }
  const matches: PreviewMatch[] = [];
  const matchedTimes: (number | undefined)[] = [];
  const times: number[] = [];
  let scannedChars = 0;
  let searched = 0;
  for (const story of stories) {
    const budget = Math.min(PREVIEW_STORY_CHARS, PREVIEW_TOTAL_CHARS - scannedChars);
    if (budget <= 0) break;
    const { story: capped, chars } = capStory(story, budget);
    scannedChars += chars;
    searched++;
    const time = publishedTime(story);
    if (time !== undefined) times.push(time);
    const match = index.match(capped).find((m) => m.subscriptionId === PREVIEW_ID);
    if (match === undefined) continue;
    matchedTimes.push(time);
    if (matches.length >= maxMatches) continue;
    matches.push({
      storyId: story.id,
      headline: story.headline,
      publishedAt: story.publishedAt,
      source: story.source,
      snippet: match.snippet,
      matchedTerms: [...new Set(match.hits.map((hit) => hit.term))],
    });
  }
  return {
    valid: true,
    preview: { searched, scannedChars, matches, volume: estimateVolume(matchedTimes, times) },
  };
}

/**
 * The volume estimate from the times of the searched stories and of those that matched: matches per day over
 * the span the sample covers, and the busiest clock hour against the hourly limit (by default the delivery preference's, DEFAULT_MAX_PER_HOUR).
 */
export function estimateVolume(
  matchedTimes: readonly (number | undefined)[],
  allTimes: readonly number[],
  throttlePerHour: number = DEFAULT_MAX_PER_HOUR,
): VolumeEstimate | undefined {
  if (allTimes.length === 0) return undefined;
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const time of allTimes) {
    oldest = Math.min(oldest, time);
    newest = Math.max(newest, time);
  }
  const overHours = Math.max(1, Math.ceil((newest - oldest) / HOUR_MS));
  const matched = matchedTimes.length;
  const alertsPerDay = Math.round((matched * 24) / overHours);
  const perHour = new Map<number, number>();
  for (const time of matchedTimes) {
    if (time === undefined) continue;
    const hour = Math.floor(time / HOUR_MS);
    perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
  }
  const busiestHour = Math.max(0, ...perHour.values());
  const span =
    overHours >= 48
      ? `${Math.round(overHours / 24)} days`
      : `${overHours} ${overHours === 1 ? 'hour' : 'hours'}`;
  const rate =
    matched === 0 ? 'no alerts' : `about ${alertsPerDay} ${alertsPerDay === 1 ? 'alert' : 'alerts'} a day`;
  const warning =
    busiestHour > throttlePerHour
      ? `In its busiest hour this query matched ${busiestHour} stories, more than the ${throttlePerHour} immediate alerts an hour a subscription sends: the rest would wait for the next digest. Narrow the query, or choose a digest.`
      : undefined;
  return {
    matched,
    overHours,
    alertsPerDay,
    busiestHour,
    warning,
    summary: `${rate[0]!.toUpperCase()}${rate.slice(1)} over the last ${span} of stories.`,
  };
}

/** The story with its text cut to `budget` characters in all (headline, then summary, then body). */
function capStory(story: Story, budget: number): { story: Story; chars: number } {
  let left = budget;
  const take = (text: string): string => {
    const kept = text.length <= left ? text : text.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  };
  const headline = take(story.headline);
  const summary: string[] = [];
  for (const paragraph of story.summary) {
    if (left <= 0) break;
    summary.push(take(paragraph));
  }
  const body = take(story.body);
  const chars = budget - left;
  if (headline === story.headline && body === story.body && summary.length === story.summary.length) {
    return { story, chars };
  }
  return { story: { ...story, headline, summary, body }, chars };
}

function publishedTime(story: Story): number | undefined {
  if (story.publishedAt === undefined) return undefined;
  const time = Date.parse(story.publishedAt);
  return Number.isFinite(time) ? time : undefined;
}
