import { describe, expect, it } from 'vitest';
import { SubscriptionError } from '../../../functions/core/subscriptions/errors.ts';
import {
  DEFAULT_DELIVERY,
  deliveryInput,
  effectiveDelivery,
  parseDeliveryPreferences,
  readStoredDelivery,
} from '../../../functions/core/subscriptions/preferences.ts';

function problem(value: unknown): { field?: string; message: string } {
  try {
    parseDeliveryPreferences(value);
  } catch (error) {
    if (error instanceof SubscriptionError) return { field: error.details.field, message: error.message };
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('delivery preferences', () => {
  it('parses every field and round-trips through the stored form', () => {
    const preferences = parseDeliveryPreferences({
      timeZone: 'europe/berlin',
      email: 'Weekly Mon 07:30',
      quietHours: { start: '22:00', end: '7:00', channels: ['sms'], urgentBypass: false },
      maxPerHour: 5,
      dailyCap: 40,
      sendEmpty: true,
    });
    expect(preferences).toEqual({
      timeZone: 'Europe/Berlin',
      email: { kind: 'weekly', day: 'monday', at: 450 },
      quietHours: { start: 1320, end: 420, channels: ['sms'], urgentBypass: false },
      maxPerHour: 5,
      dailyCap: 40,
      sendEmpty: true,
    });
    expect(deliveryInput(preferences)).toEqual({
      timeZone: 'Europe/Berlin',
      email: 'weekly monday 07:30',
      quietHours: { start: '22:00', end: '07:00', channels: ['sms'], urgentBypass: false },
      maxPerHour: 5,
      dailyCap: 40,
      sendEmpty: true,
    });
    expect(parseDeliveryPreferences(deliveryInput(preferences))).toEqual(preferences);
  });

  it('defaults: UTC, immediate, 10 an hour, no cap, quiet hours let urgent stories through', () => {
    expect(parseDeliveryPreferences({})).toEqual(DEFAULT_DELIVERY);
    expect(effectiveDelivery(undefined)).toEqual(DEFAULT_DELIVERY);
    expect(parseDeliveryPreferences({ quietHours: { start: '22:00', end: '07:00' } }).quietHours).toEqual({
      start: 1320,
      end: 420,
      channels: ['email', 'sms'],
      urgentBypass: true,
    });
  });

  it('names the field and the fix for bad input', () => {
    expect(problem({ timeZone: 'Mars/Olympus' })).toEqual({
      field: 'delivery.timeZone',
      message:
        'Unknown time zone "Mars/Olympus": use an IANA name such as Europe/Berlin or America/New_York.',
    });
    expect(problem({ email: 'daily 25:00' })).toEqual({
      field: 'delivery.email',
      message: '"25:00" is not a time of day: use HH:MM on a 24-hour clock, 00:00 to 23:59.',
    });
    expect(problem({ email: 'fortnightly' }).message).toMatch(
      /^Unknown cadence "fortnightly": use immediate/,
    );
    expect(problem({ email: 'weekly funday 08:00' }).message).toMatch(/^Unknown day "funday"/);
    expect(problem({ quietHours: { start: '22:00', end: '22:00' } }).field).toBe('delivery.quietHours');
    expect(problem({ quietHours: { start: '22:00', end: '07:00', channels: ['sns'] } }).field).toBe(
      'delivery.quietHours.channels',
    );
    expect(problem({ maxPerHour: 0 }).message).toBe(
      'delivery.maxPerHour must be a whole number from 1 to 1000.',
    );
    expect(problem({ dailyCap: 2.5 }).field).toBe('delivery.dailyCap');
    expect(problem({ cadence: 'daily' }).field).toBe('delivery.cadence');
    expect(problem('daily').field).toBe('delivery');
  });

  it('reads stored preferences leniently: a record no longer valid gets the defaults', () => {
    expect(readStoredDelivery(undefined)).toBeUndefined();
    expect(readStoredDelivery({ timeZone: 'No/Such_Zone' })).toBeUndefined();
    expect(readStoredDelivery({ email: 'hourly' })?.email).toEqual({ kind: 'hourly' });
  });
});
