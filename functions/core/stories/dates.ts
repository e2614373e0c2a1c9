/** `2017-02-23T20:13:00Z`: ISO 8601 in UTC, whole seconds. Undefined for an invalid date. */
export function isoUtc(date: Date): string | undefined {
  const time = date.getTime();
  if (Number.isNaN(time)) return undefined;
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** UTC time from calendar fields, or undefined when a field is out of range (no silent roll-over). */
export function utcFromFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  return date;
}

const TIMESTAMP =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A wire timestamp in ISO 8601 extended or basic form (`2015-12-10T19:10:44Z`, `20131020T192751+1100`,
 * `2016-01-12 12:35:40`) as UTC. A timestamp without a zone is taken as UTC: the formats define
 * no default, and guessing a provider's local zone would be worse.
 */
export function parseTimestamp(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  const local = utcFromFields(
    Number(year),
    Number(month),
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
  );
  if (local === undefined) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || '0');
    if (hours > 14 || minutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return isoUtc(new Date(local.getTime() - offsetMinutes * 60_000));
}

/** `/Date(1352214000000)/` (the .NET JSON date in Dow Jones API records) as UTC. */
export function parseDotNetDate(text: string | undefined): string | undefined {
  const match = text === undefined ? null : /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/.exec(text.trim());
  return match === null ? undefined : isoUtc(new Date(Number(match[1])));
}

/** True when ISO time `later` is after `earlier`; false when either is missing. */
export function isAfter(later: string | undefined, earlier: string | undefined): boolean {
  if (later === undefined || earlier === undefined) return false;
  return Date.parse(later) > Date.parse(earlier);
}
