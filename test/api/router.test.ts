import { describe, expect, it } from 'vitest';
import { findRoute, ROUTES } from '../../functions/api/route-table.ts';
import { apiHarness } from './support/harness.ts';

const valid = { name: 'Lisbon', query: 'ministers lisbon', channels: { email: 'ana@example.com' } };

describe('routing', () => {
  it('matches literal and parameter segments without confusing them', () => {
    const match = findRoute('POST', '/subscriptions/abc/channels/sms/confirm');
    expect(match).toEqual({
      match: { route: expect.objectContaining({ name: 'confirmSms' }), params: { id: 'abc' } },
    });
    expect(findRoute('POST', '/subscriptions/abc/channels/email/resend')).toMatchObject({
      match: { route: { name: 'resendConfirmation' }, params: { id: 'abc', channel: 'email' } },
    });
    expect(findRoute('GET', '/subscriptions/abc/extra')).toEqual({ allowed: [] });
  });

  it('has one entry per method and path', () => {
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('answers 404 with a JSON error for an unknown route', async () => {
    const { call } = apiHarness();
    const response = await call('GET', '/nowhere', { user: 'u1' });
    expect(response.status).toBe(404);
    expect(response.json.error).toMatchObject({ code: 'not-found' });
    expect(response.headers['content-type']).toContain('application/json');
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const { call } = apiHarness();
    const response = await call('PUT', '/subscriptions', { user: 'u1' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
    expect(response.json.error.code).toBe('method-not-allowed');
  });

  it('answers 401 without a signed-in user on user routes', async () => {
    const { call } = apiHarness();
    const response = await call('GET', '/subscriptions');
    expect(response.status).toBe(401);
    expect(response.json.error.message).toContain('Authorization: Bearer');
  });

  it('answers 413 for a body over the limit', async () => {
    const { call } = apiHarness();
    const response = await call('POST', '/subscriptions', {
      user: 'u1',
      rawBody: JSON.stringify({ ...valid, query: 'x'.repeat(70_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('payload-too-large');
  });

  it('answers 400 for malformed JSON, a non-object body and a missing body', async () => {
    const { call } = apiHarness();
    const headers = { 'content-type': 'application/json' };
    const broken = await call('POST', '/subscriptions', { user: 'u1', rawBody: '{"name": ', headers });
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe('malformed-json');
    const array = await call('POST', '/subscriptions', { user: 'u1', rawBody: '[1]', headers });
    expect(array.json.error).toMatchObject({
      code: 'malformed-json',
      message: 'The body must be a JSON object.',
    });
    const empty = await call('POST', '/subscriptions', { user: 'u1' });
    expect(empty.status).toBe(400);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const { call } = apiHarness();
    const response = await call('POST', '/subscriptions', {
      user: 'u1',
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });

  it.each([
    ['application/jsonx', 415],
    ['text/json', 415],
    ['application/json-patch+json', 415],
    ['application/json; charset=utf-8', 201],
    ['Application/JSON', 201],
  ])('takes the media type exactly: %s answers %i', async (type, status) => {
    const { call } = apiHarness();
    const response = await call('POST', '/subscriptions', {
      user: 'u1',
      rawBody: JSON.stringify({ name: 'x', query: 'ministers', channels: { email: 'a@example.com' } }),
      headers: { 'content-type': type },
    });
    expect(response.status).toBe(status);
    if (status === 415) {
      expect(response.json.error.message).toBe(
        `Send the body as JSON with Content-Type: application/json, not "${type}".`,
      );
    }
  });

  it('hides the local SMS route unless the local stack enables it', async () => {
    const body = { originationNumber: '+14155550123', messageBody: 'HELLO' };
    const local = await apiHarness().call('POST', '/sms/inbound', { body });
    expect(local.status).toBe(200);
    expect(local.json).toEqual({ intent: 'other', subscriptionsChanged: 0 });
    const deployed = await apiHarness({ allowLocalRoutes: false }).call('POST', '/sms/inbound', { body });
    expect(deployed.status).toBe(404);
  });

  it('answers 500 without internals when a port fails, and logs the cause', async () => {
    const harness = apiHarness();
    harness.repository.listByOwner = async () => {
      throw new Error('dynamo exploded at line 12');
    };
    const response = await harness.call('GET', '/subscriptions', { user: 'u1' });
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('exploded');
    expect(response.text).not.toContain('at ');
    expect(response.json.error.code).toBe('internal');
    expect(harness.errors).toHaveLength(1);
  });
});

describe('subscriptions CRUD', () => {
  it('creates, lists, reads, renames, pauses, resumes and deletes', async () => {
    const { call } = apiHarness();
    const created = await call('POST', '/subscriptions', { user: 'u1', body: valid });
    expect(created.status).toBe(201);
    const { id } = created.json.subscription;
    expect(created.headers.location).toBe(`/subscriptions/${id}`);
    expect(created.json.subscription).toMatchObject({
      name: 'Lisbon',
      query: 'ministers lisbon',
      status: 'active',
      channels: [{ type: 'email', address: 'ana@example.com', confirmed: false }],
    });
    expect(created.json.confirmations).toEqual([
      { channel: 'email', destination: 'ana@example.com', status: 'sent' },
    ]);

    const list = await call('GET', '/subscriptions', { user: 'u1' });
    expect(list.json.subscriptions.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(list.json.subscriptions[0]).not.toHaveProperty('owner');

    const renamed = await call('PATCH', `/subscriptions/${id}`, { user: 'u1', body: { name: 'Porto' } });
    expect(renamed.json.subscription.name).toBe('Porto');
    expect(renamed.json.subscription.updatedAt > created.json.subscription.updatedAt).toBe(true);

    expect((await call('POST', `/subscriptions/${id}/pause`, { user: 'u1' })).json.subscription.status).toBe(
      'paused',
    );
    expect((await call('POST', `/subscriptions/${id}/resume`, { user: 'u1' })).json.subscription.status).toBe(
      'active',
    );
    expect((await call('GET', `/subscriptions/${id}`, { user: 'u1' })).json.subscription.name).toBe('Porto');

    expect((await call('DELETE', `/subscriptions/${id}`, { user: 'u1' })).status).toBe(204);
    expect((await call('GET', `/subscriptions/${id}`, { user: 'u1' })).status).toBe(404);
  });

  it("answers 404 for another user's subscription, whatever the method", async () => {
    const { call, repository } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'alice', body: valid })).json.subscription;
    for (const [method, path, body] of [
      ['GET', `/subscriptions/${id}`, undefined],
      ['PATCH', `/subscriptions/${id}`, { name: 'mine now' }],
      ['DELETE', `/subscriptions/${id}`, undefined],
      ['POST', `/subscriptions/${id}/pause`, undefined],
      ['POST', `/subscriptions/${id}/resume`, undefined],
      ['POST', `/subscriptions/${id}/channels/sms/confirm`, { code: '123456' }],
      ['POST', `/subscriptions/${id}/channels/email/resend`, undefined],
    ] as const) {
      const response = await call(method, path, { user: 'mallory', body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.json.error.code).toBe('not-found');
    }
    expect((await call('GET', '/subscriptions', { user: 'mallory' })).json.subscriptions).toEqual([]);
    expect((await repository.get(id))?.name).toBe('Lisbon');
  });

  it('keeps a confirmed destination confirmed when the owner reuses it', async () => {
    const { call, email, service } = apiHarness();
    const first = (await call('POST', '/subscriptions', { user: 'u1', body: valid })).json.subscription;
    const link = new URL(email.lastLink('ana@example.com'));
    await service.confirmEmail(link.searchParams.get('token') ?? '');
    const second = await call('POST', '/subscriptions', { user: 'u1', body: { ...valid, name: 'Second' } });
    expect(second.json.subscription.channels).toEqual([
      { type: 'email', address: 'ana@example.com', confirmed: true },
    ]);
    expect(second.json.confirmations).toEqual([]);
    expect(email.sent).toHaveLength(1);
    // Another user adding the same address must confirm it themselves.
    const other = await call('POST', '/subscriptions', { user: 'u2', body: valid });
    expect(other.json.subscription.channels[0].confirmed).toBe(false);
    expect(first.id).not.toBe(second.json.subscription.id);
  });

  it('keeps confirmation when channels are replaced with the same destination and resets it for a new one', async () => {
    const { call, email, service } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: valid })).json.subscription;
    await service.confirmEmail(new URL(email.lastLink('ana@example.com')).searchParams.get('token') ?? '');
    const same = await call('PATCH', `/subscriptions/${id}`, {
      user: 'u1',
      body: { channels: { email: 'ana@example.com', sns: true } },
    });
    expect(same.json.subscription.channels).toEqual([
      { type: 'email', address: 'ana@example.com', confirmed: true },
      { type: 'sns', confirmed: true },
    ]);
    expect(same.json.confirmations).toEqual([]);
    const changed = await call('PATCH', `/subscriptions/${id}`, {
      user: 'u1',
      body: { channels: { email: 'bo@example.org' } },
    });
    expect(changed.json.subscription.channels).toEqual([
      { type: 'email', address: 'bo@example.org', confirmed: false },
    ]);
    expect(changed.json.confirmations).toMatchObject([
      { channel: 'email', destination: 'bo@example.org', status: 'sent' },
    ]);
  });

  it('refuses to resume a subscription with no channel left', async () => {
    const { call, service } = apiHarness();
    const created = (
      await call('POST', '/subscriptions', { user: 'u1', body: { ...valid, channels: { sns: true } } })
    ).json;
    const { unsubscribeToken } = await import('../../functions/core/subscriptions/links.ts');
    await service.unsubscribe(
      unsubscribeToken(created.subscription.id, 'sns', service.context.signingSecret),
    );
    const response = await call('POST', `/subscriptions/${created.subscription.id}/resume`, { user: 'u1' });
    expect(response.status).toBe(409);
    expect(response.json.error.message).toContain('add one before resuming');
  });

  it('limits subscriptions per user', async () => {
    const { call } = apiHarness({ limits: { maxSubscriptionsPerUser: 2 } });
    const body = { ...valid, channels: { sns: true } };
    expect((await call('POST', '/subscriptions', { user: 'u1', body })).status).toBe(201);
    expect((await call('POST', '/subscriptions', { user: 'u1', body })).status).toBe(201);
    const third = await call('POST', '/subscriptions', { user: 'u1', body });
    expect(third.status).toBe(429);
    expect(third.json.error).toMatchObject({ code: 'limit-exceeded' });
    expect(third.json.error.message).toContain('the most allowed is 2');
    expect((await call('POST', '/subscriptions', { user: 'u2', body })).status).toBe(201);
  });
});
