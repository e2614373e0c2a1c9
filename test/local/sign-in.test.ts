/**
 * The local stack's stand-in for Cognito managed login, through the local API server: the authorization-code
 * flow with PKCE as the page and `wirewatch login` use it, and the requests Cognito would refuse.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalApi, startLocalApi } from '../api/support/local-api.ts';

let local: LocalApi;
beforeAll(async () => {
  local = await startLocalApi();
});
afterAll(async () => local?.stop());

const redirectUri = 'http://127.0.0.1:9/callback';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeParams(challenge: string, overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    response_type: 'code',
    client_id: 'wirewatch-local-cli',
    redirect_uri: redirectUri,
    state: 'st4te',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
}

/** GET the authorize page, then submit its form as a browser would; returns the redirect. */
async function signIn(challenge: string, username = 'desk-editor'): Promise<URL> {
  const page = await fetch(`${local.server.url}/oauth2/authorize?${authorizeParams(challenge)}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<button type="submit" id="sign-in">Sign in</button>');
  const form = authorizeParams(challenge);
  form.set('username', username);
  const answer = await fetch(`${local.server.url}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

async function exchange(code: string, verifier: string, overrides: Record<string, string> = {}) {
  const response = await fetch(`${local.server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'wirewatch-local-cli',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...overrides,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('local sign-in (authorization code + PKCE)', () => {
  it('redirects back with a code and the state, and exchanges it for a token the API accepts', async () => {
    const { verifier, challenge } = pkce();
    const back = await signIn(challenge);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st4te');
    const { status, body } = await exchange(back.searchParams.get('code') ?? '', verifier);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const list = await fetch(`${local.server.url}/subscriptions`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ subscriptions: [] });
  });

  it('refuses a verifier that does not match the challenge, and any second use of a code', async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(challenge)).searchParams.get('code') ?? '';
    const wrong = await exchange(code, pkce().verifier);
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The failed attempt used the code up: the right verifier is too late.
    const again = await exchange(code, verifier);
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(String(again.body.error_description)).toContain('unknown, used or expired');
  });

  it('refuses a code exchanged for another redirect_uri', async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(challenge)).searchParams.get('code') ?? '';
    const other = await exchange(code, verifier, { redirect_uri: 'http://127.0.0.1:10/callback' });
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it.each([
    [{ code_challenge_method: 'plain' }, 'PKCE is required'],
    [{ code_challenge: 'short' }, 'PKCE is required'],
    [{ response_type: 'token' }, 'response_type must be code'],
    [{ redirect_uri: 'https://evil.example.net/callback' }, 'redirect_uri must be a loopback'],
  ])('refuses an authorize request with %j', async (override, message) => {
    const response = await fetch(
      `${local.server.url}/oauth2/authorize?${authorizeParams(pkce().challenge, override)}`,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
  });

  it('signs out by redirecting to a loopback logout_uri only', async () => {
    const back = await fetch(
      `${local.server.url}/logout?client_id=x&logout_uri=${encodeURIComponent('http://127.0.0.1:9/')}`,
      { redirect: 'manual' },
    );
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('http://127.0.0.1:9/');
    const away = await fetch(
      `${local.server.url}/logout?client_id=x&logout_uri=${encodeURIComponent('https://evil.example.net/')}`,
      { redirect: 'manual' },
    );
    expect(away.status).toBe(400);
  });

  it('tells the page where to sign in', async () => {
    const page = await (await fetch(`${local.server.url}/`)).text();
    expect(page).toContain(`data-auth-url="${local.server.url}" data-client-id="wirewatch-local-page"`);
  });
});
