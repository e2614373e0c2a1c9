/**
 * The subscription API on the local stack: a node:http server on loopback that turns each request into an
 * API Gateway HTTP API (payload v2) event and calls the same API code as the Lambda function. It plays the
 * JWT authorizer too: on `user` routes it checks a development JWT (HS256, key derived from the local signing
 * secret) and injects its claims as `requestContext.authorizer.jwt.claims`. Missing token: 401; forged,
 * expired or foreign token: 403.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, resolve } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '../definitions/resources.ts';
import type { ApiEvent } from '../functions/api/app.ts';
import { composeApi } from '../functions/api/compose.ts';
import { bearerToken, devJwtKey, signDevJwt, verifyDevJwt } from '../functions/api/dev-jwt.ts';
import { MAX_BODY_BYTES } from '../functions/api/http.ts';
import { findRoute } from '../functions/api/route-table.ts';
import { LOCAL_PAGE_CLIENT_ID } from '../functions/api/sign-in.ts';
import { readApiConfig } from '../functions/config/functions.ts';
import { errorMessage } from '../functions/core/describe-error.ts';
import { LOCAL_OWNER } from './seed.ts';
import { localSignIn } from './sign-in.ts';

/** The port is taken. `code` stays `EADDRINUSE` for callers that check it. */
export class ApiPortInUseError extends Error {
  override readonly name = 'ApiPortInUseError';
  readonly code = 'EADDRINUSE';
  constructor(host: string, port: number) {
    super(`Port ${port} on ${host} is in use (another 'npm start'?): stop it or choose another port.`);
  }
}

export interface ApiServerOptions {
  /**
   * The handler environment (e.g. `localHandlerEnv(...)`): tables, sender, signing secret, SDK endpoints.
   * `PUBLIC_BASE_URL` defaults to this server's own URL.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 = any free port (tests). */
  readonly port?: number;
  /** `sub` of the printed development token. Default `local-dev`, the owner of the example subscriptions. */
  readonly devUser?: string;
  /** Where the development token is written (mode 0600); false = nowhere. Default `.wirewatch/dev-token`. */
  readonly tokenFile?: string | false;
  /** One line per request (method, path, status, ms). Default: silent. */
  readonly log?: (line: string) => void;
  /** Where the URL and the development token are printed at start. Default: stdout. */
  readonly announce?: (line: string) => void;
}

export interface ApiServer {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /** A development JWT for `devUser` (valid 7 days). */
  readonly devToken: string;
  /** Another user's token, or an expired one (`ttlSeconds` < 0), for tests. */
  signToken(sub: string, options?: { readonly ttlSeconds?: number; readonly email?: string }): string;
  close(): Promise<void>;
  /** The same as close (the local stack's name for it). */
  stop(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const signingSecret = options.env[ENV.signingSecret];
  if (signingSecret === undefined || signingSecret === '') {
    throw new Error(
      `startApiServer needs ${ENV.signingSecret} in its env: the local stack signs links and dev tokens with it.`,
    );
  }
  const jwtKey = devJwtKey(signingSecret);
  // Cognito's sign-in endpoints, issuing development tokens (the printed token stays the quick path).
  const signIn = localSignIn({
    issueToken: (sub, ttlSeconds) => signDevJwt({ sub }, jwtKey, { ttlSeconds }),
    defaultUser: options.devUser ?? LOCAL_OWNER,
  });
  let api: ((event: ApiEvent) => Promise<APIGatewayProxyStructuredResultV2>) | undefined;

  const server = createServer((request, response) => {
    const started = performance.now();
    serve(request, response)
      .catch((error: unknown) => {
        options.log?.(`api-server: ${errorMessage(error)}`);
        if (!response.headersSent)
          sendJson(response, 500, 'internal', 'The local API server failed: see its log.');
        else response.end();
      })
      .finally(() => {
        options.log?.(
          `${request.method} ${request.url?.split('?')[0]} ${response.statusCode} ${Math.round(performance.now() - started)} ms`,
        );
      });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const body = await readBody(request);
    if (body === 'too-large') {
      sendJson(response, 413, 'payload-too-large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
      return;
    }
    if (signIn(method, url, body, response, request)) return;
    let claims: Record<string, unknown> | undefined;
    const found = findRoute(method, url.pathname);
    if ('match' in found && found.match.route.access === 'user') {
      const bearer = bearerToken(header(request, 'authorization'));
      if ('problem' in bearer) {
        sendJson(response, 401, 'unauthorized', bearer.problem);
        return;
      }
      const check = verifyDevJwt(bearer.token, jwtKey);
      if (!check.ok) {
        sendJson(
          response,
          403,
          'forbidden',
          `The token was refused (${check.reason}): use a current token from .wirewatch/dev-token.`,
        );
        return;
      }
      claims = { ...check.claims };
    }
    if (api === undefined) throw new Error('The API is not ready yet.');
    const result = await api(toEvent(request, method, url, body, claims));
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    if (result.cookies !== undefined) headers['set-cookie'] = result.cookies;
    response.writeHead(result.statusCode ?? 200, headers);
    response.end(
      result.body === undefined
        ? undefined
        : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
    );
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new ApiPortInUseError(host, options.port ?? 8080) : error);
    });
    server.listen(options.port ?? 8080, host, () => resolvePromise());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 8080);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let composed: Awaited<ReturnType<typeof composeApi>>;
  try {
    const env = {
      ...options.env,
      [ENV.publicBaseUrl]: options.env[ENV.publicBaseUrl] ?? url,
      // The page signs in here, as it does at the managed login domain in AWS.
      [ENV.webAuthUrl]: options.env[ENV.webAuthUrl] ?? url,
      [ENV.webClientId]: options.env[ENV.webClientId] ?? LOCAL_PAGE_CLIENT_ID,
    };
    composed = await composeApi(readApiConfig(env), env, {
      allowLocalRoutes: true,
      logger: { error: (message, details) => options.log?.(`${message}: ${JSON.stringify(details)}`) },
    });
  } catch (error) {
    await new Promise((done) => server.close(done));
    throw error;
  }
  api = composed.api;

  const signToken = (sub: string, tokenOptions: { ttlSeconds?: number; email?: string } = {}) =>
    signDevJwt({ sub, ...(tokenOptions.email === undefined ? {} : { email: tokenOptions.email }) }, jwtKey, {
      ttlSeconds: tokenOptions.ttlSeconds,
    });
  const devToken = signToken(options.devUser ?? LOCAL_OWNER);
  const tokenFile = options.tokenFile ?? '.wirewatch/dev-token';
  if (tokenFile !== false) {
    const path = resolve(tokenFile);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${devToken}\n`, { mode: 0o600 });
  }

  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  announce(`Subscribe API on ${url} (the page: ${url}/)`);
  announce(
    `Development token for '${options.devUser ?? LOCAL_OWNER}' (7 days${tokenFile === false ? '' : `; also in ${tokenFile}`}):\n${devToken}`,
  );

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
      composed.destroy();
    })();
    return closed;
  };
  return { url, port, devToken, signToken, close, stop: close };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The payload v2 event API Gateway would send: lower-case headers, repeated values comma-joined. */
function toEvent(
  request: IncomingMessage,
  method: string,
  url: URL,
  body: Buffer,
  claims: Record<string, unknown> | undefined,
): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: request.headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: url.search === '' ? undefined : query,
    body: body.length === 0 ? undefined : body.toString('base64'),
    isBase64Encoded: body.length > 0,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
    },
  };
}

function sendJson(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify({ error: { code, message } }));
}
