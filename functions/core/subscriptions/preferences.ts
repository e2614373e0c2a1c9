import { invalidInput } from './errors.ts';
import type { ChannelType } from './subscription.ts';

/**
 * When a subscription's alerts go out: the one home of the `delivery` preferences' type, parsing and defaults.
 * The API, CLI and subscribe page send the input form (`parseDeliveryPreferences`); subscription items, the
 * snapshot and delivery messages store the same form (`deliveryInput`), so one parser checks them all.
 *
 * Digests are e-mail only: SMS and the alerts topic stay immediate (an SMS digest would not fit a message, and
 * topic consumers are machines that want every alert). Quiet hours and the throttle apply to e-mail and SMS.
 */

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A local wall-clock time, minutes after midnight (0-1439). */
export type MinuteOfDay = number;

export type Cadence =
  | { readonly kind: 'immediate' }
  | { readonly kind: 'hourly' }
  | { readonly kind: 'daily'; readonly at: MinuteOfDay }
  | { readonly kind: 'weekly'; readonly day: Weekday; readonly at: MinuteOfDay };

export interface QuietHours {
  readonly start: MinuteOfDay;
  readonly end: MinuteOfDay;
  readonly channels: readonly QuietChannel[];
  /** Urgent stories (urgency 1-2: flash, bulletin) go out during quiet hours. */
  readonly urgentBypass: boolean;
}

export type QuietChannel = Exclude<ChannelType, 'sns'>;

export interface DeliveryPreferences {
  /** IANA time zone the times are in, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** E-mail cadence; SMS and topic are always immediate. */
  readonly email: Cadence;
  readonly quietHours?: QuietHours | undefined;
  /** Immediate alerts per subscription per hour; the rest wait for the next digest. */
  readonly maxPerHour: number;
  /** Immediate alerts per subscription per local day; past it, the rest of the day goes into a daily digest. */
  readonly dailyCap?: number | undefined;
  /** Send a "no new stories" digest when a due digest has nothing left to say. */
  readonly sendEmpty: boolean;
}

/** The input (and stored) form: times as `HH:MM`, cadences as text (`immediate`, `daily 08:00`, ...). */
export interface DeliveryInput {
  readonly timeZone?: string;
  readonly email?: string;
  readonly quietHours?: {
    readonly start: string;
    readonly end: string;
    readonly channels?: readonly string[];
    readonly urgentBypass?: boolean;
  };
  readonly maxPerHour?: number;
  readonly dailyCap?: number;
  readonly sendEmpty?: boolean;
}

export const DEFAULT_MAX_PER_HOUR = 10;
export const MAX_MAX_PER_HOUR = 1000;
export const MAX_DAILY_CAP = 10_000;
/** When the rest of a capped day is sent, unless the e-mail cadence names a daily time. */
export const DEFAULT_DAILY_DIGEST_AT: MinuteOfDay = 8 * 60;

/**
 * What a new subscription gets when it does not say (the API stores it on every subscription it creates):
 * immediate, UTC, no quiet hours, at most 10 immediate alerts an hour. A subscription stored before delivery
 * control has no `delivery` and behaves exactly as before: every alert at once, no throttle, and no throttle
 * counting on the notifier's path (the notifier skips routing for it).
 */
export const DEFAULT_DELIVERY: DeliveryPreferences = {
  timeZone: 'UTC',
  email: { kind: 'immediate' },
  maxPerHour: DEFAULT_MAX_PER_HOUR,
  sendEmpty: false,
};

export function effectiveDelivery(delivery: DeliveryPreferences | undefined): DeliveryPreferences {
  return delivery ?? DEFAULT_DELIVERY;
}

const FIELDS = ['timeZone', 'email', 'quietHours', 'maxPerHour', 'dailyCap', 'sendEmpty'] as const;
const QUIET_FIELDS = ['start', 'end', 'channels', 'urgentBypass'] as const;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const WEEKLY = /^weekly ([a-z]{3,9}) (\S{1,5})$/;
const DAILY = /^daily (\S{1,5})$/;

/** Checks `delivery` as the API receives it; throws `invalid-input` naming the field and the fix. */
export function parseDeliveryPreferences(value: unknown, field = 'delivery'): DeliveryPreferences {
  const record = object(
    value,
    field,
    `${field} must be an object, e.g. {"timeZone": "Europe/Berlin", "email": "daily 08:00"}.`,
  );
  for (const key of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw invalidInput(`${field}.${key}`, `Unknown field ${field}.${key}: use ${FIELDS.join(', ')}.`);
    }
  }
  const timeZone =
    record.timeZone === undefined ? 'UTC' : checkTimeZone(record.timeZone, `${field}.timeZone`);
  const email =
    record.email === undefined ? DEFAULT_DELIVERY.email : parseCadence(record.email, `${field}.email`);
  const maxPerHour =
    record.maxPerHour === undefined
      ? DEFAULT_MAX_PER_HOUR
      : count(record.maxPerHour, `${field}.maxPerHour`, 1, MAX_MAX_PER_HOUR);
  const dailyCap =
    record.dailyCap === undefined || record.dailyCap === null
      ? undefined
      : count(record.dailyCap, `${field}.dailyCap`, 1, MAX_DAILY_CAP);
  if (record.sendEmpty !== undefined && typeof record.sendEmpty !== 'boolean') {
    throw invalidInput(`${field}.sendEmpty`, `${field}.sendEmpty must be true or false.`);
  }
  const quietHours =
    record.quietHours === undefined || record.quietHours === null
      ? undefined
      : parseQuietHours(record.quietHours, `${field}.quietHours`);
  return {
    timeZone,
    email,
    maxPerHour,
    sendEmpty: record.sendEmpty === true,
    ...(quietHours === undefined ? {} : { quietHours }),
    ...(dailyCap === undefined ? {} : { dailyCap }),
  };
}

/** Zone names checked before (a snapshot of many subscriptions names few zones); bounded against junk input. */
const knownZones = new Map<string, string>();
const MAX_KNOWN_ZONES = 1000;

/** A known IANA zone name, in its canonical spelling. */
export function checkTimeZone(value: unknown, field: string): string {
  const known = typeof value === 'string' ? knownZones.get(value) : undefined;
  if (known !== undefined) return known;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw invalidInput(
      field,
      'The time zone must be an IANA name such as Europe/Berlin or America/New_York.',
    );
  }
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    if (knownZones.size < MAX_KNOWN_ZONES) knownZones.set(value, canonical);
    return canonical;
  } catch {
    throw invalidInput(
      field,
      `Unknown time zone "${value.slice(0, 64)}": use an IANA name such as Europe/Berlin or America/New_York.`,
    );
  }
}

/** `immediate`, `hourly`, `daily HH:MM` or `weekly <day> HH:MM` (day: monday... or mon...). */
export function parseCadence(value: unknown, field: string): Cadence {
  const hint = 'use immediate, hourly, "daily 08:00" or "weekly monday 08:00".';
  if (typeof value !== 'string' || value.length > 40)
    throw invalidInput(field, `The cadence must be text: ${hint}`);
  const text = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === 'immediate') return { kind: 'immediate' };
  if (text === 'hourly') return { kind: 'hourly' };
  const daily = DAILY.exec(text);
  if (daily !== null) return { kind: 'daily', at: parseTime(daily[1], field) };
  const weekly = WEEKLY.exec(text);
  if (weekly !== null) {
    const name = weekly[1] ?? '';
    const day = WEEKDAYS.find(
      (weekday) => weekday === name || (name.length === 3 && weekday.startsWith(name)),
    );
    if (day === undefined)
      throw invalidInput(field, `Unknown day "${name}": use monday to sunday (or mon to sun).`);
    return { kind: 'weekly', day, at: parseTime(weekly[2], field) };
  }
  throw invalidInput(field, `Unknown cadence "${text}": ${hint}`);
}

/** `HH:MM` (24-hour clock) as minutes after midnight. */
export function parseTime(value: unknown, field: string): MinuteOfDay {
  const match = typeof value === 'string' ? TIME.exec(value.trim()) : null;
  if (match === null) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 20)}"` : 'this';
    throw invalidInput(field, `${shown} is not a time of day: use HH:MM on a 24-hour clock, 00:00 to 23:59.`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

function parseQuietHours(value: unknown, field: string): QuietHours {
  const record = object(value, field, `${field} must be an object: {"start": "22:00", "end": "07:00"}.`);
  for (const key of Object.keys(record)) {
    if (!(QUIET_FIELDS as readonly string[]).includes(key)) {
      throw invalidInput(`${field}.${key}`, `Unknown field ${field}.${key}: use ${QUIET_FIELDS.join(', ')}.`);
    }
  }
  const start = parseTime(record.start, `${field}.start`);
  const end = parseTime(record.end, `${field}.end`);
  if (start === end) throw invalidInput(field, 'Quiet hours start and end at the same time: give a window.');
  let channels: QuietChannel[] = ['email', 'sms'];
  if (record.channels !== undefined) {
    if (!Array.isArray(record.channels) || record.channels.length === 0 || record.channels.length > 2) {
      throw invalidInput(`${field}.channels`, `${field}.channels must list email and/or sms.`);
    }
    channels = [];
    for (const channel of record.channels) {
      if (channel !== 'email' && channel !== 'sms') {
        throw invalidInput(
          `${field}.channels`,
          `${field}.channels must list email and/or sms (the topic is never held).`,
        );
      }
      if (!channels.includes(channel)) channels.push(channel);
    }
  }
  if (record.urgentBypass !== undefined && typeof record.urgentBypass !== 'boolean') {
    throw invalidInput(`${field}.urgentBypass`, `${field}.urgentBypass must be true or false.`);
  }
  return { start, end, channels, urgentBypass: record.urgentBypass !== false };
}

/** The input form of preferences: what the API returns and what records and messages store. */
export function deliveryInput(preferences: DeliveryPreferences): DeliveryInput {
  const { quietHours } = preferences;
  return {
    timeZone: preferences.timeZone,
    email: formatCadence(preferences.email),
    maxPerHour: preferences.maxPerHour,
    sendEmpty: preferences.sendEmpty,
    ...(preferences.dailyCap === undefined ? {} : { dailyCap: preferences.dailyCap }),
    ...(quietHours === undefined
      ? {}
      : {
          quietHours: {
            start: formatTime(quietHours.start),
            end: formatTime(quietHours.end),
            channels: quietHours.channels,
            urgentBypass: quietHours.urgentBypass,
          },
        }),
  };
}

export function formatCadence(cadence: Cadence): string {
  switch (cadence.kind) {
    case 'immediate':
    case 'hourly':
      return cadence.kind;
    case 'daily':
      return `daily ${formatTime(cadence.at)}`;
    case 'weekly':
      return `weekly ${cadence.day} ${formatTime(cadence.at)}`;
  }
}

export function formatTime(minutes: MinuteOfDay): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Reads stored preferences; undefined (the defaults) when absent or no longer valid. */
export function readStoredDelivery(value: unknown): DeliveryPreferences | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseDeliveryPreferences(value);
  } catch {
    return undefined;
  }
}

function object(value: unknown, field: string, message: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(field, message);
  return value as Record<string, unknown>;
}

function count(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(field, `${field} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}
