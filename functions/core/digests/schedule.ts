import type { Cadence, MinuteOfDay, QuietHours, Weekday } from '../subscriptions/preferences.ts';
import { WEEKDAYS } from '../subscriptions/preferences.ts';

/**
 * Local wall-clock arithmetic in IANA time zones, with nothing but Intl (no AWS, no time zone library).
 *
 * Daylight-saving rules, both tested in test/core/digests/schedule.test.ts:
 * - A local time the clocks skip (02:30 on a spring-forward day) resolves to the moment they jump (03:00 local):
 *   the first valid time after it. The digest goes out then, once.
 * - A local time that happens twice (01:30 on a fall-back day) resolves to its first occurrence; the next digest
 *   is computed from that instant onwards on the following day, so the second 01:30 sends nothing.
 * Hourly digests go at each local top of the hour (a real hour each: 25 on a fall-back day, 23 in spring).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The local wall time of `instant` as if it were UTC milliseconds (whole seconds). */
export function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** Local minus UTC at `instant`, in milliseconds. */
function offset(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClock(whole, timeZone) - whole;
}

/**
 * The instant a local wall time (given as UTC milliseconds) happens: the first of two in a fall-back hour, the
 * moment the clocks jump for a time they skip. Assumes at most one transition within a day, as every zone has.
 */
export function resolveWallTime(wall: number, timeZone: string): number {
  const before = offset(wall - DAY_MS, timeZone);
  const after = offset(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((candidate) => wallClock(candidate, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // A skipped time: find the jump, the first minute whose offset is already the later one.
  let low = wall - before - DAY_MS;
  let high = wall - after + DAY_MS;
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offset(middle, timeZone) === after) high = middle;
    else low = middle;
  }
  return high;
}

/** Minutes after local midnight at `instant`. */
export function localMinuteOfDay(instant: number, timeZone: string): MinuteOfDay {
  const wall = wallClock(instant, timeZone);
  return Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** Local calendar date of `instant`, `YYYY-MM-DD`. */
export function localDate(instant: number, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 10);
}

/** The first instant strictly after `after` at local time `at` (on `day`, if given). */
export function nextLocalTime(after: number, timeZone: string, at: MinuteOfDay, day?: Weekday): number {
  const today = Math.floor(wallClock(after, timeZone) / DAY_MS) * DAY_MS;
  for (let days = 0; days <= 8; days++) {
    const date = today + days * DAY_MS;
    if (day !== undefined && WEEKDAYS[new Date(date).getUTCDay()] !== day) continue;
    const instant = resolveWallTime(date + at * MINUTE_MS, timeZone);
    if (instant > after) return instant;
  }
  throw new Error(`No local time ${at} after ${new Date(after).toISOString()} in ${timeZone}`);
}

/** The next local top of the hour strictly after `after`. */
export function nextLocalHour(after: number, timeZone: string): number {
  const minute = Math.floor(after / MINUTE_MS) * MINUTE_MS;
  return minute + (60 - (localMinuteOfDay(minute, timeZone) % 60)) * MINUTE_MS;
}

/** When the digest of a cadence that is due after `after` goes out; undefined for `immediate`. */
export function nextDigestTime(cadence: Cadence, after: number, timeZone: string): number | undefined {
  switch (cadence.kind) {
    case 'immediate':
      return undefined;
    case 'hourly':
      return nextLocalHour(after, timeZone);
    case 'daily':
      return nextLocalTime(after, timeZone, cadence.at);
    case 'weekly':
      return nextLocalTime(after, timeZone, cadence.at, cadence.day);
  }
}

/** True when `instant` falls in the quiet window (which may span midnight: 22:00-07:00). */
export function inQuietHours(
  instant: number,
  timeZone: string,
  quiet: Pick<QuietHours, 'start' | 'end'>,
): boolean {
  const minute = localMinuteOfDay(instant, timeZone);
  return quiet.start < quiet.end
    ? minute >= quiet.start && minute < quiet.end
    : minute >= quiet.start || minute < quiet.end;
}

/** The end of the quiet window `instant` is in. */
export function quietHoursEnd(instant: number, timeZone: string, quiet: Pick<QuietHours, 'end'>): number {
  return nextLocalTime(instant, timeZone, quiet.end);
}
