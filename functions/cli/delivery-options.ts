/**
 * The delivery-preference options of `wirewatch subscribe` and `wirewatch subscriptions update`, turned into the
 * API's `delivery` object. The API checks the values (time zone, times, numbers) and its error names the field.
 */
export const DELIVERY_OPTIONS = [
  'time-zone',
  'email-cadence',
  'quiet-hours',
  'max-per-hour',
  'daily-cap',
] as const;
export const DELIVERY_FLAGS = ['send-empty', 'no-send-empty', 'quiet-urgent-too'] as const;

export const DELIVERY_OPTIONS_USAGE = `  --time-zone Z     IANA time zone for the times below, e.g. Europe/Berlin (default UTC)
  --email-cadence C immediate (default), hourly, "daily 08:00" or "weekly monday 08:00" (SMS stays immediate)
  --quiet-hours S-E no e-mail or SMS between these local times, e.g. 22:00-07:00 (flash and bulletin
                    stories still go, unless --quiet-urgent-too)
  --quiet-urgent-too  hold urgent stories during quiet hours too
  --max-per-hour N  immediate alerts an hour at most (default 10); the rest go in the next hourly digest
  --daily-cap N     alerts a day at most; past it the day's rest becomes one daily digest
  --send-empty      with a digest cadence, send it at every due time, "no new stories" when nothing is new`;

/** What `subscriptions update` adds: ways to take a setting away. */
export const DELIVERY_UPDATE_USAGE = `  --quiet-hours none, --daily-cap none  remove the quiet hours, the daily cap
  --no-send-empty   send no digest when there is nothing new (the default)`;

type Options = Readonly<Record<string, string | true | undefined>>;

/**
 * The `delivery` object for the API: `current` (the subscription's, for an update: the API replaces the whole
 * object) changed by the options given; undefined when no delivery option was given; or a usage error.
 */
export function deliveryFromOptions(
  options: Options,
  current: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> | undefined | string {
  const delivery: Record<string, unknown> = { ...current };
  const given =
    DELIVERY_OPTIONS.some((name) => options[name] !== undefined) ||
    DELIVERY_FLAGS.some((name) => options[name] !== undefined);
  if (!given) return undefined;
  const text = (name: string) => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  if (text('time-zone') !== undefined) delivery.timeZone = text('time-zone');
  if (text('email-cadence') !== undefined) delivery.email = text('email-cadence');
  const quiet = text('quiet-hours');
  if (options['quiet-urgent-too'] === true && quiet === undefined) {
    return '--quiet-urgent-too goes with --quiet-hours';
  }
  if (quiet === 'none') delete delivery.quietHours;
  else if (quiet !== undefined) {
    const [start, end, ...rest] = quiet.split('-');
    if (start === undefined || end === undefined || rest.length > 0) {
      return `--quiet-hours must be START-END, e.g. 22:00-07:00`;
    }
    delivery.quietHours = { start, end, urgentBypass: options['quiet-urgent-too'] !== true };
  }
  for (const [name, field] of [
    ['max-per-hour', 'maxPerHour'],
    ['daily-cap', 'dailyCap'],
  ] as const) {
    const value = text(name);
    if (value === undefined) continue;
    if (value === 'none' && name === 'daily-cap') {
      delete delivery.dailyCap;
      continue;
    }
    if (!/^\d{1,6}$/.test(value)) return `--${name} must be a whole number`;
    delivery[field] = Number(value);
  }
  if (options['send-empty'] === true && options['no-send-empty'] === true) {
    return '--send-empty and --no-send-empty contradict each other';
  }
  if (options['send-empty'] === true) delivery.sendEmpty = true;
  if (options['no-send-empty'] === true) delivery.sendEmpty = false;
  return delivery;
}
