import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { SubscriptionError, SubscriptionErrorCode } from '../core/subscriptions/errors.ts';

/** A request as the routes see it: decoded body, lower-case header names, the signed-in user if any. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The decoded body (UTF-8), undefined when empty. */
  readonly body: string | undefined;
  readonly params: Readonly<Record<string, string>>;
  /** JWT `sub` of the signed-in user. */
  readonly user: string | undefined;
  readonly requestId: string;
}

export type ApiResponse = APIGatewayProxyStructuredResultV2 & {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
};

/** Largest request body accepted (a query may be up to 20,000 characters). */
export const MAX_BODY_BYTES = 64 * 1024;

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Confirmation and unsubscribe URLs carry tokens: never leak them to other sites.
  'referrer-policy': 'no-referrer',
} as const;

/** The page's policy: own scripts, styles and API calls only; no inline script, no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(): ApiResponse {
  return { statusCode: 204, headers: { ...COMMON_HEADERS } };
}

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-frame-options': 'DENY',
      ...COMMON_HEADERS,
      ...headers,
    },
    body,
  };
}

export function asset(contentType: string, body: string): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': contentType,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
    },
    body,
  };
}

/** An error answer: `{error: {code, message, field?, position?}}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: {
      readonly field?: string | undefined;
      readonly position?: number | undefined;
      readonly headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }
}

export function errorResponse(error: ApiError): ApiResponse {
  const { field, position, headers } = error.details;
  return json(
    error.statusCode,
    {
      error: {
        code: error.code,
        message: error.message,
        ...(field === undefined ? {} : { field }),
        ...(position === undefined ? {} : { position }),
      },
    },
    headers,
  );
}

const STATUS_OF: Readonly<Record<SubscriptionErrorCode, number>> = {
  'invalid-input': 400,
  'wrong-code': 400,
  'invalid-token': 403,
  'not-found': 404,
  conflict: 409,
  'opted-out': 409,
  'no-pending-code': 409,
  'link-stale': 410,
  'limit-exceeded': 429,
  'too-many-attempts': 429,
};

export function fromSubscriptionError(error: SubscriptionError): ApiError {
  const { field, position, retryAfterSeconds } = error.details;
  return new ApiError(STATUS_OF[error.code], error.code, error.message, {
    field,
    position,
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
  });
}

/** The body as a JSON object, or a 400 that says what is wrong. */
export function jsonBody(request: ApiRequest): Record<string, unknown> {
  const type = request.headers['content-type'];
  // The media type exactly (parameters such as charset allowed): not application/jsonx, not text/json.
  if (type !== undefined && type.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw new ApiError(
      415,
      'unsupported-media-type',
      `Send the body as JSON with Content-Type: application/json, not ${JSON.stringify(type.slice(0, 80))}.`,
    );
  }
  if (request.body === undefined || request.body.trim() === '') {
    throw new ApiError(400, 'malformed-json', 'The request needs a JSON object body.');
  }
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message.slice(0, 200)}` : '';
    throw new ApiError(400, 'malformed-json', `The body is not valid JSON${detail}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'malformed-json', 'The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
