/**
 * Reading AWS SDK v3 errors without depending on each client's exception classes: by `name`, HTTP status and
 * the SDK's own retryable hints.
 */
import { errorMessage } from '../core/describe-error.ts';

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: { readonly throttling?: unknown };
}

export function errorName(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  return typeof shape.name === 'string' ? shape.name : 'Error';
}

/** True when a DynamoDB condition did not hold (a conditional put or update lost to another writer). */
export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Throttling names across services (SES v2, SNS, DynamoDB, SQS, generic AWS). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'KMSThrottlingException',
]);

/** Server-side failures that are worth retrying. */
const SERVER = new Set([
  'InternalFailure',
  'InternalError',
  'InternalErrorException',
  'InternalServiceErrorException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Network-level errors from Node (no HTTP response at all). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** True for throttling, 5xx, timeouts and network failures: the same request may succeed later. */
export function isRetryableAwsError(error: unknown): boolean {
  const name = errorName(error);
  if (THROTTLING.has(name) || SERVER.has(name)) return true;
  const shape = error as SdkErrorShape | undefined;
  if (shape?.$retryable?.throttling === true) return true;
  const status = httpStatus(error);
  if (status !== undefined) return status === 429 || status >= 500;
  const code = shape?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** `ThrottlingException: Maximum sending rate exceeded.` for logs and error messages. */
export function describeAwsError(error: unknown): string {
  const status = httpStatus(error);
  return `${errorName(error)}${status === undefined ? '' : ` (HTTP ${status})`}: ${errorMessage(error)}`;
}
