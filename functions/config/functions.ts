/**
 * Every function's configuration, read from the environment and validated once at cold start by one reader
 * (environment.ts): a missing or invalid variable stops the function at once with one message naming every
 * variable at fault and how to fix it. Variable names come from definitions/resources.ts (ENV), shared with the
 * CDK app and the local stack.
 */
import { DELIVERY_CLAIM_LEASE_SECONDS, ENV } from '../../definitions/resources.ts';
import { DEFAULT_SETTLE_MS } from '../adapters/s3-change-log.ts';
import {
  fetchFromSecretsManager,
  loadSigningSecret,
  type SecretFetcher,
} from '../adapters/signing-secret.ts';
import { DEFAULT_DELIVERY_CONCURRENCY } from '../core/deliveries/deliver.ts';
import { isOriginationNumber } from '../core/subscriptions/phone.ts';
import { type Env, EnvironmentReader } from './environment.ts';

export { ConfigurationError } from './environment.ts';

export interface MatcherConfig {
  readonly snapshotBucket: string;
  readonly deliveriesQueueUrl: string;
  /** Seconds between checks of the change log (and, when far behind, the snapshot). Default 10. */
  readonly snapshotCheckSeconds: number;
  /** Milliseconds a change-log segment may take to become visible (S3ChangeLogOptions.settleMs). Default 5000. */
  readonly changeLogSettleMs: number;
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
  /** Where alerts SES refused for good are recorded (the deliveries DLQ); unset: logged only. */
  readonly deliveriesDeadLetterQueueUrl: string | undefined;
  /** Matches of one message claimed and sent at once (one claim each, a send per channel). Default 8. */
  readonly deliveryConcurrency: number;
  /** Registered number or short code SMS are sent from; undefined: SNS picks. */
  readonly smsOriginationNumber: string | undefined;
  /** Seconds a claim blocks other copies of its alert. Default DELIVERY_CLAIM_LEASE_SECONDS. */
  readonly claimLeaseSeconds: number;
  /** Pending digests table; unset: no delivery control, every alert goes at once (as before digests). */
  readonly digestsTable: string | undefined;
  /** With delivery control: where a subscription past its daily cap becomes a daily digest. */
  readonly subscriptionsTable: string | undefined;
}

/** The digest sender: the notifier's senders and links, and the digests table it reads. */
export interface DigestConfig {
  readonly subscriptionsTable: string;
  readonly ledgerTable: string;
  readonly digestsTable: string;
  readonly senderAddress: string;
  readonly sesConfigurationSet: string | undefined;
  readonly publicBaseUrl: string;
  readonly signingSecret: string;
  readonly smsOriginationNumber: string | undefined;
}

export interface MailFeedbackConfig {
  readonly ledgerTable: string;
}

export interface SnapshotBuilderConfig {
  readonly subscriptionsTable: string;
  readonly snapshotBucket: string;
}

export interface ChangeLogWriterConfig extends SnapshotBuilderConfig {
  /** As the matcher's: a segment write slower than this is made again under a fresh key. */
  readonly changeLogSettleMs: number;
  /** Pending digests table: where a subscription's first "no new stories" digest is opened; unset: none. */
  readonly digestsTable: string | undefined;
}

export interface ApiConfig {
  readonly subscriptionsTable: string;
  readonly ledgerTable: string;
  /** Bucket with recent stories for previews; absent = validation without preview. */
  readonly snapshotBucket?: string | undefined;
  readonly senderAddress: string;
  readonly sesConfigurationSet?: string | undefined;
  readonly publicBaseUrl: string;
  readonly allowedSmsCountries: readonly string[];
  /** Registered number or short code confirmation SMS are sent from; undefined: SNS picks. */
  readonly smsOriginationNumber?: string | undefined;
  /** The page's sign-in: OAuth 2.0 code flow with PKCE at `authUrl` (absent: token paste only). */
  readonly webSignIn?: { readonly authUrl: string; readonly clientId: string } | undefined;
  readonly maxSubscriptionsPerUser?: number | undefined;
}

/** With the change log a check is one small listing; 10 s keeps an edit under 30 s from reaching matching. */
export const DEFAULT_SNAPSHOT_CHECK_SECONDS = 10;

const FIX = {
  snapshotBucket: 'set it to the name of the snapshots bucket',
  subscriptionsTable: 'set it to the name of the subscriptions DynamoDB table',
  ledgerTable: 'set it to the name of the ledger DynamoDB table',
  senderAddress: 'set it to the verified SES sender, e.g. alerts@example.com',
  publicBaseUrl:
    'set it to the public base URL of the subscription API, e.g. https://alerts.example.com (unsubscribe links point there)',
} as const;

export function readMatcherConfig(env: Env = process.env): MatcherConfig {
  const read = new EnvironmentReader(env);
  return read.done({
    snapshotBucket: read.required(ENV.snapshotBucket, FIX.snapshotBucket),
    deliveriesQueueUrl: read.url(ENV.deliveriesQueueUrl, 'set it to the URL of the deliveries queue') ?? '',
    snapshotCheckSeconds: read.wholeNumber(ENV.snapshotCheckSeconds, DEFAULT_SNAPSHOT_CHECK_SECONDS, 1, 3600),
    changeLogSettleMs: settleMs(read),
  });
}

/**
 * The notifier's settings. The signing secret comes from SIGNING_SECRET, or from the Secrets Manager secret
 * named by SIGNING_SECRET_ARN (read once, at cold start, with the SDK the Lambda runtime ships).
 */
export async function loadNotifierConfig(
  env: Env = process.env,
  fetchSecret: SecretFetcher = fetchFromSecretsManager,
): Promise<NotifierConfig> {
  const read = new EnvironmentReader(env);
  const alertsTopicArn = read.required(ENV.alertsTopicArn, 'set it to the ARN of the alerts SNS topic');
  if (alertsTopicArn !== '' && !alertsTopicArn.startsWith('arn:')) {
    read.problem(
      ENV.alertsTopicArn,
      `is "${alertsTopicArn}", not an ARN`,
      'give the topic ARN, arn:aws:sns:<region>:<account>:<name>',
    );
  }
  const digestsTable = read.optional(ENV.digestsTable);
  const config = {
    ledgerTable: read.required(ENV.ledgerTable, FIX.ledgerTable),
    alertsTopicArn,
    senderAddress: senderAddress(read),
    sesConfigurationSet: read.optional(ENV.sesConfigurationSet),
    publicBaseUrl: read.url(ENV.publicBaseUrl, FIX.publicBaseUrl) ?? '',
    allowedSmsCountries: read.smsCountries(ENV.allowedSmsCountries),
    deliveriesQueueUrl: read.optional(ENV.deliveriesQueueUrl),
    deliveriesDeadLetterQueueUrl: read.optional(ENV.deliveriesDeadLetterQueueUrl),
    deliveryConcurrency: read.wholeNumber(
      ENV.deliveryConcurrency,
      DEFAULT_DELIVERY_CONCURRENCY,
      1,
      64,
      'alerts',
    ),
    smsOriginationNumber: originationNumber(read),
    claimLeaseSeconds: read.wholeNumber(ENV.claimLeaseSeconds, DELIVERY_CLAIM_LEASE_SECONDS, 1, 86_400),
    digestsTable,
    // Delivery control switches a subscription past its daily cap to a daily digest: it needs this table too.
    subscriptionsTable:
      digestsTable === undefined
        ? read.optional(ENV.subscriptionsTable)
        : read.required(ENV.subscriptionsTable, FIX.subscriptionsTable),
  };
  const secretNamed = hasSigningSecret(read);
  read.done(config);
  return { ...config, signingSecret: await signingSecret(env, read, secretNamed, fetchSecret) };
}

export async function loadDigestConfig(
  env: Env = process.env,
  fetchSecret: SecretFetcher = fetchFromSecretsManager,
): Promise<DigestConfig> {
  const read = new EnvironmentReader(env);
  const config = {
    subscriptionsTable: read.required(ENV.subscriptionsTable, FIX.subscriptionsTable),
    ledgerTable: read.required(ENV.ledgerTable, FIX.ledgerTable),
    digestsTable: read.required(ENV.digestsTable, 'set it to the name of the digests DynamoDB table'),
    senderAddress: senderAddress(read),
    sesConfigurationSet: read.optional(ENV.sesConfigurationSet),
    publicBaseUrl: read.url(ENV.publicBaseUrl, FIX.publicBaseUrl) ?? '',
    smsOriginationNumber: originationNumber(read),
  };
  const secretNamed = hasSigningSecret(read);
  read.done(config);
  return { ...config, signingSecret: await signingSecret(env, read, secretNamed, fetchSecret) };
}

export function readSnapshotBuilderConfig(env: Env = process.env): SnapshotBuilderConfig {
  const read = new EnvironmentReader(env);
  return read.done({
    subscriptionsTable: read.required(ENV.subscriptionsTable, FIX.subscriptionsTable),
    snapshotBucket: read.required(ENV.snapshotBucket, FIX.snapshotBucket),
  });
}

/** The table the change-log writer looks changed items up in, the bucket it writes segments to. */
export function readChangeLogWriterConfig(env: Env = process.env): ChangeLogWriterConfig {
  const read = new EnvironmentReader(env);
  return read.done({
    subscriptionsTable: read.required(ENV.subscriptionsTable, FIX.subscriptionsTable),
    snapshotBucket: read.required(ENV.snapshotBucket, FIX.snapshotBucket),
    changeLogSettleMs: settleMs(read),
    digestsTable: read.optional(ENV.digestsTable),
  });
}

function settleMs(read: EnvironmentReader): number {
  return read.wholeNumber(ENV.changeLogSettleMs, DEFAULT_SETTLE_MS, 0, 60_000, 'milliseconds');
}

export function readMailFeedbackConfig(env: Env = process.env): MailFeedbackConfig {
  const read = new EnvironmentReader(env);
  return read.done({ ledgerTable: read.required(ENV.ledgerTable, FIX.ledgerTable) });
}

/** The subscription API's settings (its signing secret is loaded when the API is composed). */
export function readApiConfig(env: Env = process.env): ApiConfig {
  const read = new EnvironmentReader(env);
  const config: ApiConfig = {
    subscriptionsTable: read.required(ENV.subscriptionsTable, FIX.subscriptionsTable),
    ledgerTable: read.required(ENV.ledgerTable, FIX.ledgerTable),
    snapshotBucket: read.optional(ENV.snapshotBucket),
    senderAddress: senderAddress(read),
    sesConfigurationSet: read.optional(ENV.sesConfigurationSet),
    publicBaseUrl: read.url(ENV.publicBaseUrl, FIX.publicBaseUrl) ?? '',
    allowedSmsCountries: read.smsCountries(ENV.allowedSmsCountries),
    smsOriginationNumber: originationNumber(read),
    webSignIn: webSignIn(read),
    maxSubscriptionsPerUser: optionalPositive(read, ENV.maxSubscriptionsPerUser),
  };
  hasSigningSecret(read);
  return read.done(config);
}

function senderAddress(read: EnvironmentReader): string {
  const address = read.required(ENV.senderAddress, FIX.senderAddress);
  if (address !== '' && !isSender(address)) {
    read.problem(
      ENV.senderAddress,
      `is ${JSON.stringify(address)}, not an e-mail address`,
      'use an address such as alerts@example.com, or "Wirewatch Alerts" <alerts@example.com>',
    );
  }
  return address;
}

/** `a@b.c`, or `"Display Name" <a@b.c>` / `Display Name <a@b.c>` as the CDK app writes it; no CR/LF. */
function isSender(value: string): boolean {
  const address = /^[^<>]*<([^<>]+)>$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(address) && !/[\r\n]/.test(value);
}

function originationNumber(read: EnvironmentReader): string | undefined {
  const value = read.optional(ENV.smsOriginationNumber);
  if (value === undefined || isOriginationNumber(value)) return value;
  read.problem(
    ENV.smsOriginationNumber,
    `is "${value}", neither an E.164 number nor a short code`,
    'give the registered number as +18885550123 or the short code digits',
  );
  return undefined;
}

/** The page signs in at WEB_AUTH_URL with client WEB_CLIENT_ID: both or neither. */
function webSignIn(read: EnvironmentReader): ApiConfig['webSignIn'] {
  const authUrl = read.url(ENV.webAuthUrl, 'give the base URL of the sign-in domain, or leave it unset', {
    required: false,
  });
  const clientId = read.optional(ENV.webClientId);
  if ((authUrl === undefined) !== (clientId === undefined)) {
    read.problem(ENV.webAuthUrl, `and ${ENV.webClientId} go together`, 'set both or neither');
  }
  if (clientId !== undefined && !/^[\w.-]{1,128}$/.test(clientId)) {
    read.problem(
      ENV.webClientId,
      `is ${JSON.stringify(clientId)}, not an app client id`,
      'use the app client id (letters, digits, ".", "-", "_")',
    );
  }
  return authUrl === undefined || clientId === undefined ? undefined : { authUrl, clientId };
}

function optionalPositive(read: EnvironmentReader, name: string): number | undefined {
  if (read.optional(name) === undefined) return undefined;
  return read.wholeNumber(name, 50, 1, 1_000_000, 'subscriptions');
}

const MIN_SECRET_BYTES = 32;
const SECRET_FIX = `use at least ${MIN_SECRET_BYTES} random bytes (it signs unsubscribe links), e.g. openssl rand -base64 48`;

function hasSigningSecret(read: EnvironmentReader): boolean {
  if (read.optional(ENV.signingSecret) !== undefined || read.optional(ENV.signingSecretArn) !== undefined)
    return true;
  read.problem(ENV.signingSecret, `is not set (nor ${ENV.signingSecretArn})`, `set it: ${SECRET_FIX}`);
  return false;
}

async function signingSecret(
  env: Env,
  read: EnvironmentReader,
  named: boolean,
  fetchSecret: SecretFetcher,
): Promise<string> {
  if (!named) return '';
  const secret = await loadSigningSecret(env, fetchSecret);
  const direct = read.optional(ENV.signingSecret) !== undefined;
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    read.problem(
      direct ? ENV.signingSecret : ENV.signingSecretArn,
      `gives a secret of ${Buffer.byteLength(secret)} bytes`,
      SECRET_FIX,
    );
  }
  return read.done(secret);
}
