import { describe, expect, it } from 'vitest';
import {
  cadenceAfterDailyCap,
  isUrgent,
  scheduledRoute,
  throttledRoute,
  throttleVerdict,
} from '../../../functions/core/digests/routing.ts';
import { parseDeliveryPreferences } from '../../../functions/core/subscriptions/preferences.ts';

const at = (iso: string) => Date.parse(iso);
const due = (iso: string) => Date.parse(iso);

describe('routing one alert', () => {
  const nightOwl = parseDeliveryPreferences({
    timeZone: 'America/New_York',
    quietHours: { start: '22:00', end: '07:00', channels: ['sms'] },
  });
  const strict = parseDeliveryPreferences({
    timeZone: 'America/New_York',
    quietHours: { start: '22:00', end: '07:00', urgentBypass: false },
  });
  const night = at('2026-07-01T03:00:00Z'); // 23:00 EDT

  it('e-mail on a daily digest is held for it while SMS stays immediate', () => {
    const daily = parseDeliveryPreferences({ timeZone: 'Europe/Berlin', email: 'daily 08:00' });
    expect(scheduledRoute('email', 5, daily, at('2026-07-01T12:00:00Z'))).toEqual({
      action: 'hold',
      reason: 'digest',
      dueAt: due('2026-07-02T06:00:00Z'),
    });
    expect(scheduledRoute('sms', 5, daily, at('2026-07-01T12:00:00Z'))).toEqual({ action: 'send' });
    expect(scheduledRoute('sns', 5, daily, at('2026-07-01T12:00:00Z'))).toEqual({ action: 'send' });
  });

  it('quiet hours hold SMS until they end, for the channels chosen only', () => {
    expect(scheduledRoute('sms', 5, nightOwl, night)).toEqual({
      action: 'hold',
      reason: 'quiet-hours',
      dueAt: due('2026-07-01T11:00:00Z'),
    });
    expect(scheduledRoute('email', 5, nightOwl, night)).toEqual({ action: 'send' });
    expect(scheduledRoute('sms', 5, nightOwl, at('2026-07-01T15:00:00Z'))).toEqual({ action: 'send' });
  });

  it('urgent stories (1-2) pass quiet hours when the bypass is on, and wait when it is off', () => {
    expect(isUrgent(1) && isUrgent(2) && !isUrgent(3) && !isUrgent(undefined)).toBe(true);
    expect(scheduledRoute('sms', 1, nightOwl, night)).toEqual({ action: 'send' });
    expect(scheduledRoute('sms', 1, strict, night)).toMatchObject({ action: 'hold', reason: 'quiet-hours' });
    expect(scheduledRoute('email', 2, strict, night)).toMatchObject({
      action: 'hold',
      reason: 'quiet-hours',
    });
  });
});

describe('throttle and daily cap', () => {
  const capped = parseDeliveryPreferences({ timeZone: 'Europe/Berlin', maxPerHour: 3, dailyCap: 5 });

  it('lets the first N an hour through and holds the rest for the next local hour', () => {
    expect(throttleVerdict({ hour: 3, day: 3 }, capped)).toBe('within');
    expect(throttleVerdict({ hour: 4, day: 4 }, capped)).toBe('over-hour');
    expect(throttledRoute('over-hour', capped, at('2026-07-01T12:20:00Z'))).toEqual({
      action: 'hold',
      reason: 'throttled',
      dueAt: due('2026-07-01T13:00:00Z'),
    });
  });

  it('past the daily cap, the rest of the day goes into the next daily digest (08:00 local by default)', () => {
    expect(throttleVerdict({ hour: 1, day: 6 }, capped)).toBe('over-day');
    expect(throttledRoute('over-day', capped, at('2026-07-01T12:20:00Z'))).toEqual({
      action: 'hold',
      reason: 'daily-cap',
      dueAt: due('2026-07-02T06:00:00Z'),
    });
  });

  it('past the daily cap, an immediate e-mail cadence becomes daily at 08:00; a digest cadence stays', () => {
    expect(cadenceAfterDailyCap(capped)).toEqual({ kind: 'daily', at: 8 * 60 });
    for (const email of ['hourly', 'daily 18:30', 'weekly friday 07:00']) {
      expect(cadenceAfterDailyCap(parseDeliveryPreferences({ email, dailyCap: 5 }))).toBeUndefined();
    }
  });

  it('without a cap, the day count never holds anything back', () => {
    const uncapped = parseDeliveryPreferences({});
    expect(throttleVerdict({ hour: 10, day: 5000 }, uncapped)).toBe('within');
    expect(throttleVerdict({ hour: 11, day: 11 }, uncapped)).toBe('over-hour');
  });
});
