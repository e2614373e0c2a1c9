/**
 * Deployment settings, read from CDK context (`cdk.json` or `cdk synth -c key=value`) and validated once,
 * so that a typo fails synth with a message that says which key is wrong and how to fix it.
 */
import type { Construct } from 'constructs';
import { errorMessage } from '../functions/core/describe-error.ts';
import {
  DEFAULT_SMS_COUNTRIES,
  isOriginationNumber,
  parseSmsCountries,
} from '../functions/core/subscriptions/phone.ts';
import { closestSettingKey, SETTING_KEYS, type SettingKey, unknownSettingKeys } from './context-keys.ts';

export type SignUpPolicy = 'invite' | 'open';
export type UserPoolTier = 'essentials' | 'plus';

export interface WirewatchSettings {
  /** Plain From address of alert e-mails (context `senderAddress`, required: see PLACEHOLDER_SENDER_DOMAINS). */
  readonly senderAddress: string;
  /** Display name of the sender, from `senderAddress="Wirewatch Alerts <alerts@...>"`, if given. */
  readonly senderDisplayName?: string | undefined;
  /** The From header SES sends with: `"Display Name" <address>` or the plain address. */
  readonly senderFrom: string;
  /**
   * SES identity (verified domain or address) the notifier may send from.
   * Default: the sender address's domain (context `sesIdentity`).
   */
  readonly sesIdentity: string;
  /**
   * The account is in the SES sandbox: SES then also authorizes each send against the recipient's verified
   * identity, so the functions may send to any verified identity of the account. Default false (context `sesSandbox`).
   */
  readonly sesSandbox: boolean;
  /** ISO 3166 countries SMS may go to, e.g. `['US', 'CA', 'GB']`. Default `['US', 'CA']` (context `allowedSmsCountries`). */
  readonly allowedSmsCountries: readonly string[];
  /**
   * The origination number SMS are sent from (E.164 toll-free or 10DLC number, or a short code), registered in
   * AWS End User Messaging SMS. Default: none, SNS picks one (context `smsOriginationIdentity`).
   */
  readonly smsOriginationIdentity?: string | undefined;
  /** Address subscribed to the operations topic (alarms). Default: none (context `opsEmail`). */
  readonly opsEmail?: string | undefined;
  /**
   * Public https base URL for the page, unsubscribe and confirmation links. Default: the subscribe HTTP API's URL
   * once that API exists (context `publicBaseUrl`).
   */
  readonly publicBaseUrl?: string | undefined;
  /** `invite`: administrators create users (default); `open`: self sign-up with e-mail verification (context `signUp`). */
  readonly signUp: SignUpPolicy;
  /** Cognito feature plan: `essentials` (default) or `plus`, with threat protection (context `userPoolTier`). */
  readonly userPoolTier: UserPoolTier;
  /** Prefix of the managed login domain. Default `wirewatch-<account id>` (context `signInDomainPrefix`). */
  readonly signInDomainPrefix?: string | undefined;
  /** Keep tables, queues, bucket, topics, key and secret when the stack is deleted. Default true (context `retainData`). */
  readonly retainData: boolean;
  /** CloudWatch Logs retention of every function's log group, in days. Default 30 (context `logRetentionDays`). */
  readonly logRetentionDays: number;
  /**
   * Memory (MB, 512-10240) of the matcher and the snapshot builder, which hold every subscription in memory.
   * Default 1024, enough for about 100,000 subscriptions; 1,000,000 need about 1.7 GB: use 3008 or more
   * (context `matcherMemoryMb`).
   */
  readonly matcherMemoryMb: number;
}

/** The sender used when none is given; it cannot be verified in SES, so deploying with it is refused. */
export const DEFAULT_SENDER_ADDRESS = 'alerts@example.com';
/** Domains reserved for documentation (RFC 2606): no SES identity can be verified for them. */
export const PLACEHOLDER_SENDER_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_MATCHER_MEMORY_MB = 1024;

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Raised for a context value that cannot be used; the message names the key and the fix. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(key: string, problem: string, fix: string) {
    super(`Invalid CDK context "${key}": ${problem}. ${fix}`);
  }
}

/** Reads and validates the settings from the context of `scope` (usually the App). */
export function readSettings(scope: Construct): WirewatchSettings {
  const context = (key: SettingKey): unknown => scope.node.tryGetContext(key);
  refuseUnknownKeys(Object.keys(scope.node.getAllContext() as Record<string, unknown>));

  const sender = readSender(optionalString(context, 'senderAddress') ?? DEFAULT_SENDER_ADDRESS);
  const senderAddress = sender.address;
  const senderDomain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  const allowPlaceholderSender = readBoolean(
    context('allowPlaceholderSender'),
    'allowPlaceholderSender',
    false,
  );
  if (!allowPlaceholderSender && isPlaceholderDomain(senderDomain)) {
    throw new SettingsError(
      'senderAddress',
      `"${senderAddress}" is a placeholder: SES cannot verify ${senderDomain}, so no alert could be sent`,
      'Give your verified sender, e.g. -c senderAddress="Wirewatch Alerts <alerts@news.your-domain.org>". ' +
        '(Test synths only: -c allowPlaceholderSender=true.)',
    );
  }

  const sesIdentity = optionalString(context, 'sesIdentity') ?? senderDomain;
  if (!isEmailAddress(sesIdentity) && !isDomainName(sesIdentity)) {
    throw new SettingsError(
      'sesIdentity',
      `"${sesIdentity}" is neither a domain nor an e-mail address`,
      'Give the verified SES identity the sender belongs to, e.g. -c sesIdentity=example.com.',
    );
  }
  if (sesIdentity !== senderAddress && sesIdentity.toLowerCase() !== senderDomain.toLowerCase()) {
    throw new SettingsError(
      'sesIdentity',
      `"${sesIdentity}" does not cover the sender address "${senderAddress}"`,
      'Use the sender address itself or its domain.',
    );
  }

  const opsEmail = optionalString(context, 'opsEmail');
  if (opsEmail !== undefined && !isEmailAddress(opsEmail)) {
    throw new SettingsError('opsEmail', `"${opsEmail}" is not an e-mail address`, EMAIL_FIX);
  }

  return {
    senderAddress,
    senderDisplayName: sender.displayName,
    senderFrom:
      sender.displayName === undefined ? senderAddress : `"${sender.displayName}" <${senderAddress}>`,
    sesIdentity,
    sesSandbox: readBoolean(context('sesSandbox'), 'sesSandbox', false),
    allowedSmsCountries: readSmsCountries(context('allowedSmsCountries')),
    smsOriginationIdentity: readOriginationIdentity(optionalString(context, 'smsOriginationIdentity')),
    opsEmail,
    publicBaseUrl: readPublicBaseUrl(optionalString(context, 'publicBaseUrl')),
    signUp: readChoice(context('signUp'), 'signUp', ['invite', 'open'] as const, 'invite'),
    userPoolTier: readChoice(
      context('userPoolTier'),
      'userPoolTier',
      ['essentials', 'plus'] as const,
      'essentials',
    ),
    signInDomainPrefix: readDomainPrefix(optionalString(context, 'signInDomainPrefix')),
    retainData: readBoolean(context('retainData'), 'retainData', true),
    logRetentionDays: readLogRetention(context('logRetentionDays')),
    matcherMemoryMb: readMemory(context('matcherMemoryMb'), 'matcherMemoryMb', DEFAULT_MATCHER_MEMORY_MB),
  };
}

function refuseUnknownKeys(keys: readonly string[]): void {
  const [unknown] = unknownSettingKeys(keys);
  if (unknown === undefined) return;
  const closest = closestSettingKey(unknown);
  throw new SettingsError(
    unknown,
    'is not a Wirewatch setting',
    closest === undefined
      ? `Known settings: ${SETTING_KEYS.join(', ')}.`
      : `Did you mean "${closest}"? (Known settings: ${SETTING_KEYS.join(', ')}.)`,
  );
}

export function isPlaceholderDomain(domain: string): boolean {
  const lower = domain.toLowerCase();
  return PLACEHOLDER_SENDER_DOMAINS.some((reserved) => lower === reserved || lower.endsWith(`.${reserved}`));
}

/**
 * `alerts@example.org` or `Wirewatch Alerts <alerts@example.org>`. The display name is printable ASCII without
 * quotes, backslashes or angle brackets, so that quoting it is enough (no MIME encoded-words).
 */
function readSender(value: string): { readonly address: string; readonly displayName?: string } {
  const open = value.indexOf('<');
  if (open < 0) {
    if (!isEmailAddress(value)) {
      throw new SettingsError('senderAddress', `"${value}" is not an e-mail address`, EMAIL_FIX);
    }
    return { address: value };
  }
  const displayName = value.slice(0, open).trim();
  const address = value.endsWith('>') ? value.slice(open + 1, -1).trim() : '';
  if (!isEmailAddress(address)) {
    throw new SettingsError('senderAddress', `"${value}" does not end in <address>`, EMAIL_FIX);
  }
  if (displayName === '') return { address };
  if (displayName.length > 64 || !/^[\x20-\x7e]+$/.test(displayName) || /["\\<>]/.test(displayName)) {
    throw new SettingsError(
      'senderAddress',
      `the display name "${displayName}" is not up to 64 plain ASCII characters without quotes or angle brackets`,
      EMAIL_FIX,
    );
  }
  return { address, displayName };
}

function readChoice<T extends string>(
  value: unknown,
  key: SettingKey,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === null || value === '') return fallback;
  const found = choices.find((choice) => choice === value);
  if (found === undefined) {
    throw new SettingsError(
      key,
      `${JSON.stringify(value)} is not one of ${choices.join(', ')}`,
      `Use -c ${key}=${fallback}.`,
    );
  }
  return found;
}

/** An E.164 number (toll-free, 10DLC, long code) or a short code of 4-7 digits. */
function readOriginationIdentity(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isOriginationNumber(value)) return value;
  throw new SettingsError(
    'smsOriginationIdentity',
    `"${value}" is neither an E.164 phone number nor a short code`,
    'Give the registered toll-free or 10DLC number as +18885550123, or the short code digits, as listed in AWS End User Messaging SMS (Phone numbers).',
  );
}

/** Cognito domain prefixes: lower-case letters, digits and hyphens, 1-63, not naming AWS. */
function readDomainPrefix(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value) && !/aws|amazon|cognito/.test(value)) return value;
  throw new SettingsError(
    'signInDomainPrefix',
    `"${value}" is not a Cognito domain prefix`,
    'Use lower-case letters, digits and hyphens (1-63, not starting or ending with a hyphen, without "aws", "amazon" or "cognito"), e.g. -c signInDomainPrefix=acme-alerts.',
  );
}

const EMAIL_FIX =
  'Give an address such as alerts@news.example.org, optionally with a display name: "Wirewatch Alerts <alerts@news.example.org>".';

function optionalString(context: (key: SettingKey) => unknown, key: SettingKey): string | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new SettingsError(
      key,
      `expected a string, got ${JSON.stringify(value)}`,
      `Set it as -c ${key}=...`,
    );
  }
  return value.trim();
}

/** A deliberately plain check (no backtracking): local part, one "@", a dotted domain. */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.indexOf('@');
  if (at < 1 || at !== value.lastIndexOf('@')) return false;
  const local = value.slice(0, at);
  return (
    local.length <= 64 &&
    /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) &&
    isDomainName(value.slice(at + 1))
  );
}

export function isDomainName(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  return (
    labels.length >= 2 &&
    labels.every(
      (label) => /^[A-Za-z0-9-]{1,63}$/.test(label) && !label.startsWith('-') && !label.endsWith('-'),
    )
  );
}

function readSmsCountries(value: unknown): readonly string[] {
  if (value === undefined || value === null) return DEFAULT_SMS_COUNTRIES;
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value : undefined;
  if (items === undefined) {
    throw new SettingsError('allowedSmsCountries', `expected a list, got ${JSON.stringify(value)}`, SMS_FIX);
  }
  try {
    return [...new Set(parseSmsCountries(items))];
  } catch (error) {
    throw new SettingsError('allowedSmsCountries', errorMessage(error).replace(/:.*/, ''), SMS_FIX);
  }
}

const SMS_FIX = 'Name ISO 3166 country codes, comma-separated, e.g. -c allowedSmsCountries=US,CA,GB.';

function readPublicBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const fix = 'Give an https URL such as https://alerts.example.com (no query or fragment).';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError('publicBaseUrl', `"${value}" is not a URL`, fix);
  }
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new SettingsError('publicBaseUrl', `"${value}" must be a plain https URL`, fix);
  }
  let end = value.length;
  while (end > 0 && value[end - 1] === '/') end -= 1;
  return value.slice(0, end);
}

function readBoolean(value: unknown, key: string, defaultValue: boolean): boolean {
  if (value === undefined || value === null || value === '') return defaultValue;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new SettingsError(
    key,
    `expected true or false, got ${JSON.stringify(value)}`,
    `Use -c ${key}=false.`,
  );
}

function readLogRetention(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_LOG_RETENTION_DAYS;
  const days = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new SettingsError(
      'logRetentionDays',
      `${JSON.stringify(value)} is not a CloudWatch Logs retention period`,
      `Use one of ${LOG_RETENTION_DAYS.join(', ')}.`,
    );
  }
  return days;
}

/** Lambda memory sizes: whole megabytes from 128 to 10,240; Wirewatch's heavy functions start at 512. */
function readMemory(value: unknown, key: string, defaultValue: number): number {
  if (value === undefined || value === null || value === '') return defaultValue;
  const megabytes =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(megabytes) || megabytes < 512 || megabytes > 10240) {
    throw new SettingsError(
      key,
      `${JSON.stringify(value)} is not a memory size from 512 to 10240 MB`,
      `Use a whole number of megabytes, e.g. -c ${key}=3008.`,
    );
  }
  return megabytes;
}
