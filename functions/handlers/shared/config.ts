/**
 * The handlers' configuration, read from the environment and validated once at cold start: a missing or
 * invalid variable stops the function at once with a message naming the variable and how to fix it.
 * Variable names come from infra/definitions.ts (ENV), shared with the CDK app and the local stack.
 */
import { ENV } from '../../../infra/definitions.ts';
import {
  fetchFromSecretsManager,
  loadSigningSecret,
  type SecretFetcher,
} from '../../adapters/signing-secret.ts';
import { DEFAULT_DELIVERY_CONCURRENCY } from '../../core/pipeline/deliver.ts';

type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(variable: string, problem: string, fix: string) {
    super(`Wirewatch configuration: ${variable} ${problem}: ${fix}`);
  }
}

export interface MatcherConfig {
  readonly snapshotBucket: string;
  readonly deliveriesQueueUrl: string;
  /** Seconds between checks for a new subscriptions snapshot. Default 30. */
  readonly snapshotCheckSeconds: number;
}

export interface NotifierConfig {
  readonly ledgerTable: string;
  readonly alertsTopicArn: string;
  readonly senderAddress: string;
  readonly sesConfigurationSet: string | undefined;
  readonly publicBaseUrl: string;
  readonly signingSecret: string;
  /** Country calling codes SMS may go to. Default `+1`, as in the CDK settings. */
  readonly allowedSmsCountries: readonly string[];
  /** Set by the local stack; in AWS the queue URL is derived from the record's event source ARN. */
  readonly deliveriesQueueUrl: string | undefined;
  /** Alerts of one message sent at once (claim + send each). Default 8. */
  readonly deliveryConcurrency: number;
  /** Registered number or short code SMS are sent from; undefined: SNS picks. */
  readonly smsOriginationNumber: string | undefined;
}

export interface MailFeedbackConfig {
  readonly ledgerTable: string;
}

export interface SnapshotBuilderConfig {
  readonly subscriptionsTable: string;
  readonly snapshotBucket: string;
}

export const DEFAULT_SNAPSHOT_CHECK_SECONDS = 30;

export function readMatcherConfig(env: Env = process.env): MatcherConfig {
  return {
    snapshotBucket: required(env, ENV.snapshotBucket, 'set it to the name of the snapshots bucket'),
    deliveriesQueueUrl: url(env, ENV.deliveriesQueueUrl, 'set it to the URL of the deliveries queue'),
    snapshotCheckSeconds: wholeNumber(env, ENV.snapshotCheckSeconds, DEFAULT_SNAPSHOT_CHECK_SECONDS, 1, 3600),
  };
}

/**
 * The notifier's settings. The signing secret comes from SIGNING_SECRET, or from the Secrets Manager secret
 * named by SIGNING_SECRET_ARN (read once, at cold start, with the SDK the Lambda runtime ships).
 */
export async function loadNotifierConfig(
  env: Env = process.env,
  fetchSecret: SecretFetcher = fetchFromSecretsManager,
): Promise<NotifierConfig> {
  const senderAddress = required(
    env,
    ENV.senderAddress,
    'set it to the verified SES sender, e.g. alerts@example.com',
  );
  if (!isSender(senderAddress)) {
    throw new ConfigurationError(
      ENV.senderAddress,
      `is "${senderAddress}", not an e-mail address`,
      'use an address such as alerts@example.com, or "Wirewatch Alerts" <alerts@example.com>',
    );
  }
  const alertsTopicArn = required(env, ENV.alertsTopicArn, 'set it to the ARN of the alerts SNS topic');
  if (!alertsTopicArn.startsWith('arn:')) {
    throw new ConfigurationError(
      ENV.alertsTopicArn,
      `is "${alertsTopicArn}", not an ARN`,
      'give the topic ARN, arn:aws:sns:<region>:<account>:<name>',
    );
  }
  const publicBaseUrl = url(
    env,
    ENV.publicBaseUrl,
    'set it to the public base URL of the subscription API, e.g. https://alerts.example.com (unsubscribe links point there)',
  );
  return {
    ledgerTable: required(env, ENV.ledgerTable, 'set it to the name of the ledger DynamoDB table'),
    alertsTopicArn,
    senderAddress,
    sesConfigurationSet: optional(env, ENV.sesConfigurationSet),
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    signingSecret: await signingSecret(env, fetchSecret),
    allowedSmsCountries: smsCountries(env),
    deliveriesQueueUrl: optional(env, ENV.deliveriesQueueUrl),
    deliveryConcurrency: wholeNumber(env, ENV.deliveryConcurrency, DEFAULT_DELIVERY_CONCURRENCY, 1, 64),
    smsOriginationNumber: originationNumber(env),
  };
}

export function readMailFeedbackConfig(env: Env = process.env): MailFeedbackConfig {
  return {
    ledgerTable: required(env, ENV.ledgerTable, 'set it to the name of the ledger DynamoDB table'),
  };
}

export function readSnapshotBuilderConfig(env: Env = process.env): SnapshotBuilderConfig {
  return {
    subscriptionsTable: required(
      env,
      ENV.subscriptionsTable,
      'set it to the name of the subscriptions DynamoDB table',
    ),
    snapshotBucket: required(env, ENV.snapshotBucket, 'set it to the name of the snapshots bucket'),
  };
}

/** `a@b.c`, or `"Display Name" <a@b.c>` / `Display Name <a@b.c>` as the CDK app writes it. */
function isSender(value: string): boolean {
  const address = /^[^<>]*<([^<>]+)>$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(address) && !/[\r\n]/.test(value);
}

/** An E.164 number or a short code (4-7 digits), as the CDK setting smsOriginationIdentity allows. */
export function originationNumber(env: Env): string | undefined {
  const value = optional(env, ENV.smsOriginationNumber);
  if (value === undefined || /^\+[1-9][0-9]{6,14}$/.test(value) || /^[0-9]{4,7}$/.test(value)) return value;
  throw new ConfigurationError(
    ENV.smsOriginationNumber,
    `is "${value}", neither an E.164 number nor a short code`,
    'give the registered number as +18885550123 or the short code digits',
  );
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: Env, name: string, fix: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigurationError(name, 'is not set', fix);
  return value;
}

function url(env: Env, name: string, fix: string): string {
  const value = required(env, name, fix);
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigurationError(name, `is "${value}", not an http(s) URL`, fix);
  }
  return value;
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = optional(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ConfigurationError(
      name,
      `is "${value}"`,
      `use a whole number of seconds from ${min} to ${max} (default ${fallback})`,
    );
  }
  return number;
}

const MIN_SECRET_BYTES = 32;

async function signingSecret(env: Env, fetchSecret: SecretFetcher): Promise<string> {
  const direct = optional(env, ENV.signingSecret) !== undefined;
  if (!direct && optional(env, ENV.signingSecretArn) === undefined) {
    throw new ConfigurationError(
      ENV.signingSecret,
      `is not set (nor ${ENV.signingSecretArn})`,
      `set it to at least ${MIN_SECRET_BYTES} random bytes (it signs unsubscribe links), e.g. openssl rand -base64 48`,
    );
  }
  const secret = await loadSigningSecret(env, fetchSecret);
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new ConfigurationError(
      direct ? ENV.signingSecret : ENV.signingSecretArn,
      `gives a secret of ${Buffer.byteLength(secret)} bytes`,
      `use at least ${MIN_SECRET_BYTES} random bytes, e.g. openssl rand -base64 48`,
    );
  }
  return secret;
}

function smsCountries(env: Env): readonly string[] {
  const value = optional(env, ENV.allowedSmsCountries) ?? '+1';
  const codes = value
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '');
  const invalid = codes.find((code) => !/^\+[1-9][0-9]{0,2}$/.test(code));
  if (invalid !== undefined) {
    throw new ConfigurationError(
      ENV.allowedSmsCountries,
      `holds "${invalid}", not a country calling code`,
      'give codes with a plus sign, comma-separated, e.g. +1,+44',
    );
  }
  return codes;
}
