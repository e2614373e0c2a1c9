import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devJwtKey, signDevJwt } from '../../functions/api/dev-jwt.ts';
import { unsubscribeToken } from '../../functions/core/subscriptions/links.ts';
import { LOCAL_SECRET, type LocalApi, linkIn, startLocalApi } from './support/local-api.ts';

let local: LocalApi;
let url: string;

beforeAll(async () => {
  local = await startLocalApi();
  url = local.server.url;
});
afterAll(async () => local?.stop());

const json = (token: string | undefined, body?: unknown): RequestInit => ({
  headers: {
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe('local API server: authentication', () => {
  it('listens on loopback and writes the development token', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await readFile(local.tokenFile, 'utf8')).trim()).toBe(local.server.devToken);
  });

  it('answers 401 without a token and 403 for forged, expired or foreign tokens', async () => {
    expect((await fetch(`${url}/subscriptions`)).status).toBe(401);
    const [head, payload] = local.server.devToken.split('.');
    const forged = `${head}.${payload}.${'A'.repeat(43)}`;
    const expired = local.server.signToken('dev-user', { ttlSeconds: -10 });
    const otherKey = signDevJwt({ sub: 'dev-user' }, devJwtKey(`${LOCAL_SECRET}-other`));
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    for (const token of [forged, expired, otherKey, none, 'not-a-jwt']) {
      const response = await fetch(`${url}/subscriptions`, json(token));
      expect(response.status, token).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect((await fetch(`${url}/subscriptions`, json(local.server.devToken))).status).toBe(200);
  });

  it('answers 401 naming the fix for a Bearer header with no token, or another scheme', async () => {
    for (const [authorization, message] of [
      ['Bearer', 'says Bearer but carries no token'],
      // fetch trims the value: the same as Bearer alone.
      ['Bearer   ', 'says Bearer but carries no token'],
      ['Basic dXNlcjpwYXNz', 'with the Bearer scheme'],
    ]) {
      const response = await fetch(`${url}/subscriptions`, { headers: { authorization: authorization! } });
      expect(response.status, authorization).toBe(401);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('unauthorized');
      expect(error.message).toContain(message);
      expect(error.message).toContain('Authorization: Bearer <token>');
    }
  });

  it('refuses a token whose signature or parts are not strict base64url (padded, other alphabet)', async () => {
    const [head, payload, signature] = local.server.devToken.split('.');
    const padded = `${head}.${payload}.${signature}=`;
    const standardAlphabet = `${head}.${payload}.${signature!.replaceAll('-', '+').replaceAll('_', '/')}`;
    const paddedPayload = `${head}.${payload}==.${signature}`;
    for (const token of [
      padded,
      paddedPayload,
      ...(standardAlphabet.endsWith(signature!) ? [] : [standardAlphabet]),
    ]) {
      expect((await fetch(`${url}/subscriptions`, json(token))).status, token).toBe(403);
    }
  });

  it('leaves public routes public and answers 413 for a huge body', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${url}/app.js`);
    expect(await script.text()).toContain('subscribePage');
    const huge = await fetch(`${url}/subscriptions`, {
      method: 'POST',
      ...json(local.server.devToken, { q: 'x'.repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
  });
});

describe('local API server: flows against the stand-ins', () => {
  it('creates a subscription, mails a confirmation link through SES, and confirms it', async () => {
    const token = local.server.signToken('flow-user');
    const address = `flow-${Date.now()}@example.com`;
    const created = await fetch(`${url}/subscriptions`, {
      method: 'POST',
      ...json(token, { name: 'Fishing', query: '"fishing quotas" AND Lisbon', channels: { email: address } }),
    });
    expect(created.status).toBe(201);
    const { subscription } = (await created.json()) as { subscription: { id: string } };

    const [mail] = await local.mailsTo(address);
    expect(mail?.subject).toBe('Confirm Wirewatch alerts: Fishing');
    const link = linkIn(mail, '/confirm?token=');
    expect(link.origin).toBe(url);
    const ask = await fetch(link);
    expect(await ask.text()).toContain('<form method="post"');
    const confirmed = await fetch(link, { method: 'POST' });
    expect(confirmed.status).toBe(200);

    const read = await fetch(`${url}/subscriptions/${subscription.id}`, json(token));
    expect(((await read.json()) as { subscription: { channels: unknown[] } }).subscription.channels).toEqual([
      { type: 'email', address, confirmed: true },
    ]);
    expect((await fetch(`${url}/subscriptions/${subscription.id}`, json(local.server.devToken))).status).toBe(
      404,
    );

    const unsubscribe = `${url}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(subscription.id, 'email', LOCAL_SECRET))}`;
    const oneClick = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    };
    expect((await fetch(unsubscribe, oneClick)).status).toBe(200);
    expect((await fetch(unsubscribe, oneClick)).status).toBe(200);
    const after = await fetch(`${url}/subscriptions/${subscription.id}`, json(token));
    expect(((await after.json()) as { subscription: { status: string } }).subscription.status).toBe('paused');
  });

  it('texts an SMS code through SNS and confirms the number; STOP removes it', async () => {
    const token = local.server.signToken('sms-user');
    const phone = '+14155550142';
    const created = await fetch(`${url}/subscriptions`, {
      method: 'POST',
      ...json(token, { name: 'Texts', query: 'lisbon', channels: { phone, sns: true } }),
    });
    const { subscription } = (await created.json()) as { subscription: { id: string } };
    const text =
      local.standins.smsOutbox.messages.filter((m) => m.phoneNumber === phone).at(-1)?.message ?? '';
    const code = /\b(\d{6})\b/.exec(text)?.[1];
    expect(code).toBeDefined();
    const confirm = await fetch(`${url}/subscriptions/${subscription.id}/channels/sms/confirm`, {
      method: 'POST',
      ...json(token, { code }),
    });
    expect(confirm.status).toBe(200);

    const stop = await fetch(`${url}/sms/inbound`, {
      method: 'POST',
      ...json(undefined, { originationNumber: phone, messageBody: 'STOP' }),
    });
    expect(await stop.json()).toEqual({ intent: 'opt-out', subscriptionsChanged: 1 });
    const after = await fetch(`${url}/subscriptions/${subscription.id}`, json(token));
    expect(((await after.json()) as { subscription: { channels: unknown[] } }).subscription.channels).toEqual(
      [{ type: 'sns', confirmed: true }],
    );
  });

  it('validates a query with the real query language, with message and position', async () => {
    const response = await fetch(`${url}/queries/validate`, {
      method: 'POST',
      ...json(local.server.devToken, { query: 'lisbon AND (fish' }),
    });
    const result = (await response.json()) as {
      valid: boolean;
      error?: { message: string; position: number };
    };
    expect(result.valid).toBe(false);
    expect(result.error?.message).toBeTruthy();
    expect(result.error?.position).toBeGreaterThanOrEqual(0);
    const ok = await fetch(`${url}/queries/validate`, {
      method: 'POST',
      ...json(local.server.devToken, { query: 'lisbon' }),
    });
    expect(await ok.json()).toEqual({ valid: true, preview: { searched: 0, scannedChars: 0, matches: [] } });
  });
});
