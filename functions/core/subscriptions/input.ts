import { validateQuery } from '../matching/index.ts';
import { invalidInput } from './errors.ts';
import { smsRefusal } from './phone.ts';
import { type DeliveryPreferences, parseDeliveryPreferences } from './preferences.ts';
import { UPDATE_POLICIES, type UpdatePolicy } from './subscription.ts';

/**
 * Checks what a user sends to create or change a subscription. Everything here is pure and linear-time:
 * fixed patterns without nested quantifiers, and no user text ever becomes a pattern.
 */

/** Where a subscription's alerts go, as a user asks for it: at most one destination per channel type. */
export interface ChannelsInput {
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly sns?: boolean | undefined;
}

export interface SubscriptionInput {
  readonly name: string;
  readonly query: string;
  readonly channels: ChannelsInput;
  /** Absent: `first`. */
  readonly updates?: UpdatePolicy | undefined;
  /** When alerts go out (preferences.ts); absent: the defaults. */
  readonly delivery?: DeliveryPreferences;
}

/** A change; `delivery: null` puts the delivery preferences back to the defaults. */
export type SubscriptionPatch = Partial<Omit<SubscriptionInput, 'delivery'>> & {
  readonly delivery?: DeliveryPreferences | null;
};

export interface InputRules {
  /** ISO 3166 countries SMS may go to, e.g. `['US', 'CA']`. Empty: SMS is not offered. */
  readonly allowedSmsCountries: readonly string[];
}

export const MAX_NAME_CHARS = 100;
/** An outer bound; the query parser has its own, tighter limits on terms and nesting. */
export const MAX_QUERY_CHARS = 20_000;
/** RFC 5321: 254 for the whole address (path limit less the brackets), 64 for the local part. */
export const MAX_EMAIL_CHARS = 254;
const MAX_LOCAL_PART_CHARS = 64;
const MAX_DOMAIN_LABEL_CHARS = 63;

const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
const LINE_BREAK = /[\r\n]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
const CONTROL_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const INPUT_FIELDS = ['name', 'query', 'channels', 'updates', 'delivery'] as const;
const CHANNEL_FIELDS = ['email', 'phone', 'sns'] as const;

/** A new subscription: every field required, at least one channel. */
export function parseSubscriptionInput(body: unknown, rules: InputRules): SubscriptionInput {
  const record = asObject(body, '', 'The request body must be a JSON object with name, query and channels.');
  rejectUnknown(record, INPUT_FIELDS, '');
  if (record.name === undefined)
    throw invalidInput('name', 'Missing name: give the subscription a short name.');
  if (record.query === undefined) throw invalidInput('query', 'Missing query: say what stories to alert on.');
  if (record.channels === undefined) {
    throw invalidInput('channels', 'Missing channels: give at least one of email, phone or sns.');
  }
  return {
    name: checkName(record.name),
    query: checkQuery(record.query),
    channels: checkChannels(record.channels, rules),
    ...(record.updates === undefined ? {} : { updates: checkUpdates(record.updates) }),
    ...(record.delivery === undefined ? {} : { delivery: parseDeliveryPreferences(record.delivery) }),
  };
}

/** A change: any subset of the fields; channels, when given, replace the current ones. */
export function parseSubscriptionPatch(body: unknown, rules: InputRules): SubscriptionPatch {
  const record = asObject(
    body,
    '',
    'The request body must be a JSON object with name, query and/or channels.',
  );
  rejectUnknown(record, INPUT_FIELDS, '');
  if (
    record.name === undefined &&
    record.query === undefined &&
    record.channels === undefined &&
    record.updates === undefined &&
    record.delivery === undefined
  ) {
    throw invalidInput('', 'Nothing to change: give name, query, channels, updates and/or delivery.');
  }
  const patch: {
    name?: string;
    query?: string;
    channels?: ChannelsInput;
    updates?: UpdatePolicy;
    delivery?: DeliveryPreferences | null;
  } = {};
  if (record.delivery !== undefined) {
    patch.delivery = record.delivery === null ? null : parseDeliveryPreferences(record.delivery);
  }
  if (record.name !== undefined) patch.name = checkName(record.name);
  if (record.query !== undefined) patch.query = checkQuery(record.query);
  if (record.channels !== undefined) patch.channels = checkChannels(record.channels, rules);
  if (record.updates !== undefined) patch.updates = checkUpdates(record.updates);
  return patch;
}

/** The update policy: one of UPDATE_POLICIES. */
export function checkUpdates(value: unknown): UpdatePolicy {
  if (typeof value === 'string' && (UPDATE_POLICIES as readonly string[]).includes(value)) {
    return value as UpdatePolicy;
  }
  const shown = typeof value === 'string' ? `'${printable(value)}'` : 'that value';
  throw invalidInput(
    'updates',
    `updates is ${shown}: use 'first' (only the first version of a story), 'substantive' (also versions whose text changed materially) or 'corrections' (those and corrections).`,
  );
}

export function checkName(value: unknown): string {
  if (typeof value !== 'string') throw invalidInput('name', 'The name must be a string.');
  if (LINE_BREAK.test(value)) throw invalidInput('name', 'The name must not contain line breaks (CR or LF).');
  if (CONTROL.test(value)) throw invalidInput('name', 'The name must not contain control characters.');
  const name = value.trim();
  if (name.length === 0) throw invalidInput('name', 'The name is empty: give the subscription a short name.');
  const chars = [...name].length;
  if (chars > MAX_NAME_CHARS) {
    throw invalidInput('name', `The name is too long (${chars} characters): use at most ${MAX_NAME_CHARS}.`);
  }
  return name;
}

export function checkQuery(value: unknown): string {
  if (typeof value !== 'string') throw invalidInput('query', 'The query must be a string.');
  if (value.trim().length === 0)
    throw invalidInput('query', 'The query is empty: say what stories to alert on.');
  if (value.length > MAX_QUERY_CHARS) {
    throw invalidInput(
      'query',
      `The query is too long (${value.length} characters): use at most ${MAX_QUERY_CHARS}.`,
      MAX_QUERY_CHARS,
    );
  }
  const problem = validateQuery(value);
  if (problem !== undefined) throw invalidInput('query', problem.message, problem.position);
  return value;
}

function checkChannels(value: unknown, rules: InputRules): ChannelsInput {
  const record = asObject(
    value,
    'channels',
    'channels must be an object: {"email": ..., "phone": ..., "sns": true}.',
  );
  rejectUnknown(record, CHANNEL_FIELDS, 'channels.');
  const channels: { email?: string; phone?: string; sns?: boolean } = {};
  if (record.email !== undefined && record.email !== null && record.email !== '') {
    channels.email = checkEmail(record.email);
  }
  if (record.phone !== undefined && record.phone !== null && record.phone !== '') {
    channels.phone = checkPhone(record.phone, rules.allowedSmsCountries);
  }
  if (record.sns !== undefined && record.sns !== null) {
    if (typeof record.sns !== 'boolean')
      throw invalidInput('channels.sns', 'channels.sns must be true or false.');
    if (record.sns) channels.sns = true;
  }
  if (channels.email === undefined && channels.phone === undefined && channels.sns === undefined) {
    throw invalidInput('channels', 'No channel given: give at least one of email, phone or sns.');
  }
  return channels;
}

/** A strict address: dot-atom local part, DNS host name, no quoted strings, comments or IP literals. */
export function checkEmail(value: unknown): string {
  const field = 'channels.email';
  if (typeof value !== 'string') throw invalidInput(field, 'The e-mail address must be a string.');
  if (LINE_BREAK.test(value))
    throw invalidInput(field, 'The e-mail address must not contain line breaks (CR or LF).');
  const address = value.trim();
  if (address.length > MAX_EMAIL_CHARS) {
    throw invalidInput(
      field,
      `The e-mail address is too long (${address.length} characters): at most ${MAX_EMAIL_CHARS}.`,
    );
  }
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || address.indexOf('@') !== at) {
    throw invalidInput(field, `'${printable(address)}' is not an e-mail address: expected name@example.com.`);
  }
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAX_LOCAL_PART_CHARS) {
    throw invalidInput(
      field,
      `The part before @ is too long (${local.length} characters): at most ${MAX_LOCAL_PART_CHARS}.`,
    );
  }
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom))) {
    throw invalidInput(
      field,
      `The part before @ in '${printable(address)}' has a character or dot that is not allowed: use letters, digits and .!#$%&'*+/=?^_\`{|}~- (no spaces, no leading, trailing or double dots).`,
    );
  }
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (
    labels.length < 2 ||
    !labels.every((label) => label.length <= MAX_DOMAIN_LABEL_CHARS && DOMAIN_LABEL.test(label)) ||
    !TOP_LEVEL_DOMAIN.test(tld)
  ) {
    throw invalidInput(
      field,
      `'${printable(domain)}' is not a valid mail domain: expected a host name such as example.com.`,
    );
  }
  return `${local}@${domain.toLowerCase()}`;
}

/**
 * E.164, in an allowed country, and a mobile number (never premium-rate, toll-free and the like): the rules of
 * `smsRefusal`, which the notifier applies again at send time.
 */
export function checkPhone(value: unknown, allowedCountries: readonly string[]): string {
  const field = 'channels.phone';
  if (typeof value !== 'string') throw invalidInput(field, 'The phone number must be a string.');
  const phone = value.trim();
  if (allowedCountries.length === 0)
    throw invalidInput(field, 'SMS is not enabled here: leave out channels.phone.');
  const refusal = smsRefusal(phone, allowedCountries);
  if (refusal !== undefined)
    throw invalidInput(field, `'${printable(phone)}' cannot receive alerts: ${refusal}.`);
  return phone;
}

function asObject(value: unknown, field: string, message: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(field, message);
  return value as Record<string, unknown>;
}

function rejectUnknown(record: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw invalidInput(
        `${prefix}${printable(key)}`,
        `Unknown field '${prefix}${printable(key)}': expected ${known.map((name) => prefix + name).join(', ')}.`,
      );
    }
  }
}

/** User text quoted in an error message: bounded, control characters shown as `?`. */
function printable(text: string): string {
  const clipped = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return clipped.replace(CONTROL_GLOBAL, '?');
}
