/**
 * The local stack's stand-in for Cognito's managed login: the same OAuth 2.0 endpoints (authorize, token,
 * logout) and flow shape (authorization code with PKCE S256), so the page and `wirewatch login` run the code
 * they run against AWS. The token it issues is the development JWT the local API server checks. There are no
 * passwords: the authorize page signs in whoever is named (default `local-dev`), on loopback only.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAUTH_PATHS } from '../functions/api/sign-in.ts';
import { escapeHtml } from '../functions/core/alerts/text.ts';

export interface LocalSignInOptions {
  /** Signs a development token for `sub`, valid `ttlSeconds`. */
  readonly issueToken: (sub: string, ttlSeconds: number) => string;
  /** Who the authorize page offers to sign in. */
  readonly defaultUser: string;
  /** Seconds a code may wait for its exchange. Default 300, as Cognito. */
  readonly codeLifetimeSeconds?: number;
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly sub: string;
  readonly expiresAt: number;
}

const TOKEN_TTL_SECONDS = 3600;
const MAX_PENDING_CODES = 1000;
const USER = /^[A-Za-z0-9._@+-]{1,64}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Handles the sign-in paths; answers false for any other path. */
export type LocalSignIn = (
  method: string,
  url: URL,
  body: Buffer,
  response: ServerResponse,
  request: IncomingMessage,
) => boolean;

export function localSignIn(options: LocalSignInOptions): LocalSignIn {
  const codes = new Map<string, PendingCode>();
  const lifetime = options.codeLifetimeSeconds ?? 300;

  return (method, url, body, response) => {
    const path = url.pathname;
    if (path === OAUTH_PATHS.authorize && method === 'GET') {
      const request = authorizeRequest(url.searchParams);
      if (typeof request === 'string') {
        page(response, 400, 'Sign-in refused', `<p>${escapeHtml(request)}</p>`);
        return true;
      }
      const hidden = Object.entries(request.params)
        .map(
          ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        )
        .join('');
      page(
        response,
        200,
        'Sign in to Wirewatch (local)',
        `<form method="post" action="${OAUTH_PATHS.authorize}">${hidden}
<label for="username">User</label> <input id="username" name="username" value="${escapeHtml(options.defaultUser)}">
<button type="submit" id="sign-in">Sign in</button></form>
<p>The local stack has no passwords: this signs in the user named above with a development token.</p>`,
      );
      return true;
    }
    if (path === OAUTH_PATHS.authorize && method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      const request = authorizeRequest(form);
      const sub = form.get('username')?.trim() ?? '';
      if (typeof request === 'string' || !USER.test(sub)) {
        const reason =
          typeof request === 'string' ? request : 'The user name must be 1-64 letters, digits or ._@+-.';
        page(response, 400, 'Sign-in refused', `<p>${escapeHtml(reason)}</p>`);
        return true;
      }
      if (codes.size >= MAX_PENDING_CODES) forgetExpired(codes, true);
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        clientId: request.clientId,
        redirectUri: request.redirectUri,
        challenge: request.challenge,
        sub,
        expiresAt: Date.now() + lifetime * 1000,
      });
      const target = new URL(request.redirectUri);
      target.searchParams.set('code', code);
      if (request.state !== undefined) target.searchParams.set('state', request.state);
      response.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
      response.end();
      return true;
    }
    if (path === OAUTH_PATHS.token && method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      const code = form.get('code') ?? '';
      const pending = codes.get(code);
      codes.delete(code); // one use, whatever happens next
      const verifier = form.get('code_verifier') ?? '';
      const problem =
        form.get('grant_type') !== 'authorization_code'
          ? ['unsupported_grant_type', 'Only grant_type=authorization_code is supported.']
          : pending === undefined || pending.expiresAt < Date.now()
            ? ['invalid_grant', 'The code is unknown, used or expired: sign in again.']
            : pending.clientId !== form.get('client_id') || pending.redirectUri !== form.get('redirect_uri')
              ? ['invalid_grant', 'client_id or redirect_uri differ from the authorize request.']
              : !VERIFIER.test(verifier) || !sameText(s256(verifier), pending.challenge)
                ? ['invalid_grant', 'The code_verifier does not match the code_challenge (PKCE).']
                : undefined;
      if (problem !== undefined || pending === undefined) {
        const [error, description] = problem ?? ['invalid_grant', 'No such code.'];
        json(response, 400, { error, error_description: description });
        return true;
      }
      const token = options.issueToken(pending.sub, TOKEN_TTL_SECONDS);
      json(response, 200, {
        access_token: token,
        id_token: token,
        token_type: 'Bearer',
        expires_in: TOKEN_TTL_SECONDS,
      });
      return true;
    }
    if (path === OAUTH_PATHS.logout && method === 'GET') {
      const target = url.searchParams.get('logout_uri') ?? '';
      if (!isLoopbackUrl(target)) {
        page(response, 400, 'Sign-out refused', '<p>logout_uri must be a loopback http(s) URL.</p>');
        return true;
      }
      response.writeHead(302, { location: target, 'cache-control': 'no-store' });
      response.end();
      return true;
    }
    return false;
  };
}

interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly state: string | undefined;
  /** The parameters to carry through the form. */
  readonly params: Readonly<Record<string, string>>;
}

/** The checks Cognito makes of an authorize request that matter for the flow, as one line each. */
function authorizeRequest(params: URLSearchParams): AuthorizeRequest | string {
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  const challenge = params.get('code_challenge') ?? '';
  const state = params.get('state') ?? undefined;
  if (params.get('response_type') !== 'code')
    return 'response_type must be code (the authorization-code flow).';
  if (!/^[\w.-]{1,128}$/.test(clientId)) return 'client_id is missing or not a client id.';
  if (!isLoopbackUrl(redirectUri)) return 'redirect_uri must be a loopback http(s) URL on the local stack.';
  if (params.get('code_challenge_method') !== 'S256' || !CHALLENGE.test(challenge)) {
    return 'PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256.';
  }
  if (state !== undefined && state.length > 512) return 'state is longer than 512 characters.';
  const carried: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  if (state !== undefined) carried.state = state;
  return { clientId, redirectUri, challenge, state, params: carried };
}

function isLoopbackUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) &&
    url.username === '' &&
    url.hash === ''
  );
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function forgetExpired(codes: Map<string, PendingCode>, oldestToo: boolean): void {
  const now = Date.now();
  for (const [code, pending] of codes) if (pending.expiresAt < now) codes.delete(code);
  if (oldestToo && codes.size >= MAX_PENDING_CODES) {
    const oldest = codes.keys().next().value;
    if (oldest !== undefined) codes.delete(oldest);
  }
}

function page(response: ServerResponse, status: number, title: string, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The form posts here and is redirected to the client's loopback callback: no form-action limit.
    'content-security-policy':
      "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    'referrer-policy': 'no-referrer',
  });
  response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/app.css"></head>
<body><main class="narrow"><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}
