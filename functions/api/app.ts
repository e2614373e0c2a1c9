import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SubscriptionError } from '../core/subscriptions/errors.ts';
import type { SubscriptionService } from '../core/subscriptions/service.ts';
import {
  ApiError,
  type ApiRequest,
  type ApiResponse,
  errorResponse,
  fromSubscriptionError,
  MAX_BODY_BYTES,
} from './http.ts';
import { findRoute, type RouteName } from './route-table.ts';
import { publicRoutes } from './routes/public.ts';
import { type QueryRoutesDeps, queryRoutes } from './routes/queries.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { type WebAssets, webRoutes } from './routes/web.ts';

export interface ApiLogger {
  error(message: string, details: Record<string, unknown>): void;
}

export interface ApiDependencies {
  readonly service: SubscriptionService;
  readonly queries: QueryRoutesDeps;
  readonly web: WebAssets;
  /** Serve `local` routes (the HTTP stand-in for inbound SMS). Only the local stack sets this. Default false. */
  readonly allowLocalRoutes?: boolean;
  readonly logger: ApiLogger;
}

export type RouteHandler = (request: ApiRequest) => Promise<ApiResponse>;
export type RouteHandlers = Readonly<Record<RouteName, RouteHandler>>;

/** Payload v2 event with an optional JWT authorizer context (API Gateway, or the local server). */
export type ApiEvent = APIGatewayProxyEventV2 & {
  readonly requestContext: APIGatewayProxyEventV2['requestContext'] & {
    readonly authorizer?: {
      readonly jwt?: {
        readonly claims?: Readonly<Record<string, unknown>>;
        readonly scopes?: readonly string[] | null;
      };
    };
  };
};

/**
 * The API as one function of an HTTP API event: routing, authentication check, body limits and the
 * error contract (`{error: {code, message, field?, position?}}`, never a stack trace).
 */
export function createApi(
  deps: ApiDependencies,
): (event: ApiEvent) => Promise<APIGatewayProxyStructuredResultV2> {
  const handlers: RouteHandlers = {
    ...subscriptionRoutes(deps.service),
    ...publicRoutes(deps.service),
    ...queryRoutes(deps.queries),
    ...webRoutes(deps.web),
  };
  return async (event) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    try {
      return await route(event, handlers, deps);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      deps.logger.error('Unhandled error in the subscription API', {
        requestId,
        path: event.rawPath,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
      return errorResponse(
        new ApiError(
          500,
          'internal',
          `Something went wrong on our side: try again later (request ${requestId}).`,
        ),
      );
    }
  };
}

async function route(event: ApiEvent, handlers: RouteHandlers, deps: ApiDependencies): Promise<ApiResponse> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath || '/';
  const found = findRoute(method, path);
  if (!('match' in found)) {
    if (found.allowed.length === 0) {
      throw new ApiError(404, 'not-found', `No route ${method} ${path.slice(0, 200)}: see docs/api.md.`);
    }
    throw new ApiError(
      405,
      'method-not-allowed',
      `${method} is not allowed here: use ${found.allowed.join(', ')}.`,
      {
        headers: { allow: found.allowed.join(', ') },
      },
    );
  }
  const { route: definition, params } = found.match;
  if (definition.access === 'local' && deps.allowLocalRoutes !== true) {
    throw new ApiError(404, 'not-found', `No route ${method} ${path.slice(0, 200)}: see docs/api.md.`);
  }
  const user = userOf(event);
  if (definition.access === 'user' && user === undefined) {
    throw new ApiError(401, 'unauthorized', 'Sign in first: send the header Authorization: Bearer <token>.');
  }
  const request: ApiRequest = {
    method,
    path,
    query: cleanRecord(event.queryStringParameters),
    headers: cleanRecord(event.headers),
    body: decodeBody(event),
    params,
    user,
    requestId: event.requestContext.requestId,
  };
  try {
    return await handlers[definition.name](request);
  } catch (error) {
    throw error instanceof SubscriptionError ? fromSubscriptionError(error) : error;
  }
}

function userOf(event: ApiEvent): string | undefined {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  return typeof sub === 'string' && sub.length > 0 && sub.length <= 256 ? sub : undefined;
}

function decodeBody(event: ApiEvent): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ApiError(
      413,
      'payload-too-large',
      `The body is ${bytes.length} bytes: at most ${MAX_BODY_BYTES}.`,
    );
  }
  return bytes.toString('utf8');
}

function cleanRecord(
  record: Readonly<Record<string, string | undefined>> | undefined,
): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value !== undefined) clean[key.toLowerCase()] = value;
  }
  return clean;
}
