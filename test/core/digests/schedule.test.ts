import { describe, expect, it } from 'vitest';
import {
  inQuietHours,
  localMinuteOfDay,
  nextDigestTime,
  quietHoursEnd,
  resolveWallTime,
} from '../../../functions/core/digests/schedule.ts';
import { parseCadence } from '../../../functions/core/subscriptions/preferences.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const cadence = (text: string) => parseCadence(text, 'delivery.email');

/** Every due time from `from` on, `count` of them. */
function schedule(text: string, timeZone: string, from: string, count: number): string[] {
  const times: string[] = [];
  let after = at(from);
  for (let n = 0; n < count; n++) {
    const next = nextDigestTime(cadence(text), after, timeZone);
    if (next === undefined) throw new Error('no next time');
    times.push(new Date(next).toISOString());
    after = next;
  }
  return times;
}

describe('daily digests across daylight-saving changes', () => {
  it('America/New_York spring forward (2026-03-08): 08:00 local moves from 13:00Z to 12:00Z', () => {
    expect(schedule('daily 08:00', 'America/New_York', '2026-03-06T20:00:00Z', 3)).toEqual([
      '2026-03-07T13:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
    ]);
  });

  it('a skipped local time (02:30 on 2026-03-08 in New York) goes when the clocks jump, 03:00 EDT, once', () => {
    expect(schedule('daily 02:30', 'America/New_York', '2026-03-07T12:00:00Z', 3)).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT, the first valid local time after 02:30
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('a repeated local time (01:30 on 2026-11-01 in New York) is sent once, at its first occurrence', () => {
    expect(schedule('daily 01:30', 'America/New_York', '2026-10-31T12:00:00Z', 3)).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; 01:30 EST (06:30Z) sends nothing
      '2026-11-02T06:30:00.000Z',
      '2026-11-03T06:30:00.000Z',
    ]);
  });

  it('Europe/Berlin spring forward (2026-03-29) and fall back (2026-10-25)', () => {
    expect(schedule('daily 02:30', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:00-03:00 does not exist that night
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(schedule('daily 02:30', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z', // the first 02:30, CEST
      '2026-10-26T01:30:00.000Z',
    ]);
  });
});

describe('hourly digests', () => {
  it('go at every local top of the hour: 25 real hours on a fall-back day', () => {
    const times = schedule('hourly', 'America/New_York', '2026-11-01T04:00:00Z', 25);
    expect(times[0]).toBe('2026-11-01T05:00:00.000Z');
    expect(times.at(-1)).toBe('2026-11-02T05:00:00.000Z');
    expect(new Set(times).size).toBe(25);
  });

  it('follow local hours in a half-hour zone (Asia/Kolkata: at :30 UTC) and skip nothing in spring', () => {
    expect(schedule('hourly', 'Asia/Kolkata', '2026-06-01T10:10:00Z', 2)).toEqual([
      '2026-06-01T10:30:00.000Z',
      '2026-06-01T11:30:00.000Z',
    ]);
    const spring = schedule('hourly', 'America/New_York', '2026-03-08T05:00:00Z', 3);
    expect(spring).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
    ]);
  });
});

describe('weekly digests', () => {
  it('go on the chosen weekday at the local time, across the change (Monday 07:00, New York, November)', () => {
    expect(schedule('weekly monday 07:00', 'America/New_York', '2026-10-27T00:00:00Z', 2)).toEqual([
      '2026-11-02T12:00:00.000Z', // Monday after the change: EST
      '2026-11-09T12:00:00.000Z',
    ]);
  });

  it('on a Sunday spring-forward day at a skipped time (Sunday 02:15, Berlin, 2026-03-29)', () => {
    expect(schedule('weekly sun 02:15', 'Europe/Berlin', '2026-03-23T00:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-04-05T00:15:00.000Z',
    ]);
  });
});

describe('immediate', () => {
  it('has no digest time', () => {
    expect(iso(nextDigestTime(cadence('immediate'), at('2026-03-08T12:00:00Z'), 'UTC'))).toBeUndefined();
  });
});

describe('quiet hours', () => {
  const night = { start: 22 * 60, end: 7 * 60 };

  it('span midnight in local time and end at the next local 07:00', () => {
    expect(inQuietHours(at('2026-07-01T03:00:00Z'), 'America/New_York', night)).toBe(true); // 23:00 EDT
    expect(inQuietHours(at('2026-07-01T11:00:00Z'), 'America/New_York', night)).toBe(false); // 07:00 EDT
    expect(inQuietHours(at('2026-07-01T01:59:00Z'), 'America/New_York', night)).toBe(false); // 21:59 EDT
    expect(iso(quietHoursEnd(at('2026-07-01T03:00:00Z'), 'America/New_York', night))).toBe(
      '2026-07-01T11:00:00.000Z',
    );
  });

  it('end at 07:00 local on the night the clocks go back (New York, 2026-11-01)', () => {
    expect(iso(quietHoursEnd(at('2026-11-01T03:00:00Z'), 'America/New_York', night))).toBe(
      '2026-11-01T12:00:00.000Z',
    );
  });

  it('within a day (12:00-14:00)', () => {
    const lunch = { start: 12 * 60, end: 14 * 60 };
    expect(inQuietHours(at('2026-07-01T12:30:00Z'), 'UTC', lunch)).toBe(true);
    expect(inQuietHours(at('2026-07-01T14:00:00Z'), 'UTC', lunch)).toBe(false);
  });
});

describe('wall-clock resolution', () => {
  it('round-trips ordinary times and reports local minutes', () => {
    const instant = resolveWallTime(Date.UTC(2026, 0, 15, 9, 45), 'Europe/Berlin');
    expect(iso(instant)).toBe('2026-01-15T08:45:00.000Z');
    expect(localMinuteOfDay(instant, 'Europe/Berlin')).toBe(9 * 60 + 45);
  });
});
