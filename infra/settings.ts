/**
 * Deployment settings, read from CDK context (`cdk.json` or `cdk synth -c key=value`) and validated once,
 * so that a typo fails synth with a message that says which key is wrong and how to fix it.
 */
import type { Construct } from 'constructs';
import { errorMessage } from '../functions/core/describe-error.ts';
import { DEFAULT_SMS_COUNTRIES, parseSmsCountries } from '../functions/core/subscriptions/phone.ts';

export interface WirewatchSettings {
  /** From address of alert e-mails. Default `alerts@example.com` (context `senderAddress`). */
  readonly senderAddress: string;
  /**
   * SES identity (verified domain or address) the notifier may send from.
   * Default: the sender address's domain (context `sesIdentity`).
   */
  readonly sesIdentity: string;
  /** SES configuration set the notifier sends with, if any (context `sesConfigurationSet`). Default: none. */
  readonly sesConfigurationSet?: string | undefined;
  /** Country calling codes SMS may go to, e.g. `['+1', '+44']`. Default `['+1']` (context `allowedSmsCountries`). */
  readonly allowedSmsCountries: readonly string[];
  /** Address subscribed to the operations topic (alarms). Default: none (context `opsEmail`). */
  readonly opsEmail?: string | undefined;
  /**
   * Public https base URL for unsubscribe and confirmation links. Default: the subscribe HTTP API's URL
   * once that API exists (context `publicBaseUrl`).
   */
  readonly publicBaseUrl?: string | undefined;
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

export const DEFAULT_SENDER_ADDRESS = 'alerts@example.com';
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
  const context = (key: string): unknown => scope.node.tryGetContext(key);

  const senderAddress = optionalString(context, 'senderAddress') ?? DEFAULT_SENDER_ADDRESS;
  if (!isEmailAddress(senderAddress)) {
    throw new SettingsError('senderAddress', `"${senderAddress}" is not an e-mail address`, EMAIL_FIX);
  }
  const senderDomain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);

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

  const sesConfigurationSet = optionalString(context, 'sesConfigurationSet');
  if (sesConfigurationSet !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(sesConfigurationSet)) {
    throw new SettingsError(
      'sesConfigurationSet',
      `"${sesConfigurationSet}" is not an SES configuration set name`,
      'Use 1-64 letters, digits, "_" or "-".',
    );
  }

  const opsEmail = optionalString(context, 'opsEmail');
  if (opsEmail !== undefined && !isEmailAddress(opsEmail)) {
    throw new SettingsError('opsEmail', `"${opsEmail}" is not an e-mail address`, EMAIL_FIX);
  }

  return {
    senderAddress,
    sesIdentity,
    sesConfigurationSet,
    allowedSmsCountries: readSmsCountries(context('allowedSmsCountries')),
    opsEmail,
    publicBaseUrl: readPublicBaseUrl(optionalString(context, 'publicBaseUrl')),
    retainData: readBoolean(context('retainData'), 'retainData', true),
    logRetentionDays: readLogRetention(context('logRetentionDays')),
    matcherMemoryMb: readMemory(context('matcherMemoryMb'), 'matcherMemoryMb', DEFAULT_MATCHER_MEMORY_MB),
  };
}

const EMAIL_FIX = 'Give a plain address such as alerts@example.com (no display name, no spaces).';

function optionalString(context: (key: string) => unknown, key: string): string | undefined {
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

const SMS_FIX = 'Give calling codes with a plus sign, comma-separated, e.g. -c allowedSmsCountries=+1,+44.';

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
