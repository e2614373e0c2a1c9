import { describe, expect, it } from 'vitest';
import { signToken } from '../../functions/core/security/signed-token.ts';
import { deliverableChannels } from '../../functions/core/subscriptions/subscription.ts';
import { apiHarness, TEST_SECRET } from './support/harness.ts';

const withEmail = { name: 'Lisbon', query: 'ministers', channels: { email: 'ana@example.com' } };
const withPhone = { name: 'Lisbon', query: 'ministers', channels: { phone: '+14155550123' } };

function pathAndQuery(link: string): { path: string; token: string } {
  const url = new URL(link);
  return { path: url.pathname, token: url.searchParams.get('token') ?? '' };
}

describe('e-mail double opt-in', () => {
  it('mails a signed link; GET asks, POST confirms, and only then the channel is deliverable', async () => {
    const { call, email, repository } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: withEmail })).json.subscription;
    const mail = email.sent[0];
    expect(mail?.to).toBe('ana@example.com');
    expect(mail?.subject).toBe('Confirm Wirewatch alerts: Lisbon');
    expect(mail?.html).toContain('href="https://wirewatch.test/confirm?token=');
    const stored = await repository.get(id);
    expect(stored && deliverableChannels(stored)).toEqual([]);

    const { path, token } = pathAndQuery(email.lastLink('ana@example.com'));
    const page = await call('GET', path, { query: { token } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect(page.text).toContain('ana@example.com');
    expect((await repository.get(id))?.channels[0]?.confirmed, 'GET must not act').toBe(false);

    const confirmed = await call('POST', path, { query: { token } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('is confirmed');
    const after = await repository.get(id);
    expect(after && deliverableChannels(after)).toEqual([
      { type: 'email', address: 'ana@example.com', confirmed: true },
    ]);

    const again = await call('POST', path, { query: { token } });
    expect(again.status).toBe(200);
    expect(again.text).toContain('was already confirmed');
  });

  it('refuses forged, expired and wrong-purpose links with 403', async () => {
    const { call, email, clock } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: withEmail })).json.subscription;
    const { token } = pathAndQuery(email.lastLink('ana@example.com'));
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await call('POST', '/confirm', { query: { token: forged } })).status).toBe(403);
    const otherKey = signToken({ purpose: 'confirm', sub: id, ch: 'email:ana@example.com' }, 'x'.repeat(40));
    expect((await call('GET', '/confirm', { query: { token: otherKey } })).status).toBe(403);
    const unsubscribeToken = signToken({ purpose: 'unsubscribe', sub: id, ch: 'email' }, TEST_SECRET);
    expect((await call('POST', '/confirm', { query: { token: unsubscribeToken } })).status).toBe(403);
    expect((await call('POST', '/confirm', {})).status).toBe(400);

    clock.now = new Date(clock.now.getTime() + 49 * 3600 * 1000);
    const expired = await call('POST', '/confirm', { query: { token } });
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('expired');
    expect(expired.headers['content-type']).toContain('text/html');
  });

  it('a link for an address that was replaced confirms nothing (410)', async () => {
    const { call, email, repository } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: withEmail })).json.subscription;
    const { token } = pathAndQuery(email.lastLink('ana@example.com'));
    await call('PATCH', `/subscriptions/${id}`, {
      user: 'u1',
      body: { channels: { email: 'bo@example.com' } },
    });
    const response = await call('POST', '/confirm', { query: { token } });
    expect(response.status).toBe(410);
    expect((await repository.get(id))?.channels).toEqual([
      { type: 'email', address: 'bo@example.com', confirmed: false },
    ]);
  });

  it('resends a link on request, and refuses for a confirmed channel', async () => {
    const { call, email } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: withEmail })).json.subscription;
    const resent = await call('POST', `/subscriptions/${id}/channels/email/resend`, { user: 'u1' });
    expect(resent.status).toBe(202);
    expect(email.sent).toHaveLength(2);
    await call('POST', '/confirm', {
      query: { token: pathAndQuery(email.lastLink('ana@example.com')).token },
    });
    const refused = await call('POST', `/subscriptions/${id}/channels/email/resend`, { user: 'u1' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toBe('The email channel is already confirmed.');
  });

  it('reports a confirmation that could not be sent without failing the creation', async () => {
    const { call, email } = apiHarness();
    email.failWith = new Error('SES throttled');
    const response = await call('POST', '/subscriptions', { user: 'u1', body: withEmail });
    expect(response.status).toBe(201);
    expect(response.json.confirmations).toEqual([
      expect.objectContaining({
        channel: 'email',
        status: 'failed',
        message: expect.stringContaining('ask for a new one'),
      }),
    ]);
  });
});

describe('SMS double opt-in', () => {
  it('texts a 6-digit code, stores only its hash, and confirms with it', async () => {
    const { call, sms, ledger, repository } = apiHarness();
    const created = await call('POST', '/subscriptions', { user: 'u1', body: withPhone });
    const { id } = created.json.subscription;
    expect(created.json.confirmations).toEqual([
      { channel: 'sms', destination: '+14155550123', status: 'sent' },
    ]);
    const code = sms.lastCode('+14155550123');
    expect(sms.sent[0]?.text).toMatch(/^Wirewatch code: \d{6}\./);
    expect(Buffer.byteLength(sms.sent[0]?.text ?? '')).toBeLessThanOrEqual(140);
    const pending = ledger.codes.get(id);
    expect(pending?.codeHash).not.toContain(code);
    expect(JSON.stringify(pending)).not.toContain(code);

    const response = await call('POST', `/subscriptions/${id}/channels/sms/confirm`, {
      user: 'u1',
      body: { code },
    });
    expect(response.status).toBe(200);
    expect(response.json.subscription.channels).toEqual([
      { type: 'sms', phone: '+14155550123', confirmed: true },
    ]);
    expect(ledger.codes.has(id)).toBe(false);
    expect((await repository.get(id))?.channels[0]?.confirmed).toBe(true);
  });

  it('counts wrong codes, says how many attempts are left, and voids the code when they run out', async () => {
    const { call, sms } = apiHarness({ limits: { smsCodeMaxAttempts: 3 } });
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: withPhone })).json.subscription;
    const code = sms.lastCode('+14155550123');
    const wrong = code === '000000' ? '111111' : '000000';
    const confirm = (value: unknown) =>
      call('POST', `/subscriptions/${id}/channels/sms/confirm`, { user: 'u1', body: { code: value } });

    const first = await confirm(wrong);
    expect(first.status).toBe(400);
    expect(first.json.error).toMatchObject({ code: 'wrong-code', message: 'Wrong code: 2 attempts left.' });
    expect((await confirm(wrong)).json.error.message).toBe('Wrong code: 1 attempt left.');
    const last = await confirm(wrong);
    expect(last.status).toBe(429);
    expect(last.json.error.code).toBe('too-many-attempts');
    // The right code no longer works: the pending code is gone.
    const late = await confirm(code);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('no-pending-code');

    // A new code works.
    expect((await call('POST', `/subscriptions/${id}/channels/sms/resend`, { user: 'u1' })).status).toBe(202);
    const fresh = await confirm(sms.lastCode('+14155550123'));
    expect(fresh.status).toBe(200);
  });

  it('rejects a malformed code and an expired code', async () => {
    const { call, sms, clock } = apiHarness();
    const { id } = (await call('POST', `/subscriptions`, { user: 'u1', body: withPhone })).json.subscription;
    const malformed = await call('POST', `/subscriptions/${id}/channels/sms/confirm`, {
      user: 'u1',
      body: { code: '12ab56' },
    });
    expect(malformed.json.error).toMatchObject({ code: 'invalid-input', field: 'code' });
    clock.now = new Date(clock.now.getTime() + 16 * 60 * 1000);
    const expired = await call('POST', `/subscriptions/${id}/channels/sms/confirm`, {
      user: 'u1',
      body: { code: sms.lastCode('+14155550123') },
    });
    expect(expired.status).toBe(409);
    expect(expired.json.error.message).toContain('expired');
  });

  it('a code sent for an old number does not confirm a new one', async () => {
    const { call, sms } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: withPhone })).json.subscription;
    const oldCode = sms.lastCode('+14155550123');
    await call('PATCH', `/subscriptions/${id}`, {
      user: 'u1',
      body: { channels: { phone: '+14155550199' } },
    });
    const response = await call('POST', `/subscriptions/${id}/channels/sms/confirm`, {
      user: 'u1',
      body: { code: oldCode },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('wrong-code');
  });
});

describe('confirmation rate limits', () => {
  it('limits messages per destination and per user per day, with Retry-After', async () => {
    const { call, email, clock } = apiHarness({
      limits: { confirmationsPerDestination: 2, confirmationsPerUser: 3 },
    });
    const body = (address: string) => ({ ...withEmail, channels: { email: address } });
    expect((await call('POST', '/subscriptions', { user: 'u1', body: body('a@example.com') })).status).toBe(
      201,
    );
    expect((await call('POST', '/subscriptions', { user: 'u2', body: body('a@example.com') })).status).toBe(
      201,
    );
    const perDestination = await call('POST', '/subscriptions', { user: 'u3', body: body('a@example.com') });
    expect(perDestination.status).toBe(429);
    expect(perDestination.json.error.message).toContain('Too many confirmation messages to a@example.com');
    expect(Number(perDestination.headers['retry-after'])).toBeGreaterThan(0);

    expect((await call('POST', '/subscriptions', { user: 'u1', body: body('b@example.com') })).status).toBe(
      201,
    );
    expect((await call('POST', '/subscriptions', { user: 'u1', body: body('c@example.com') })).status).toBe(
      201,
    );
    const perUser = await call('POST', '/subscriptions', { user: 'u1', body: body('d@example.com') });
    expect(perUser.status).toBe(429);
    expect(perUser.json.error.message).toContain('from your account');
    expect(email.sent).toHaveLength(4);

    clock.now = new Date(clock.now.getTime() + 24 * 3600 * 1000);
    expect((await call('POST', '/subscriptions', { user: 'u1', body: body('d@example.com') })).status).toBe(
      201,
    );
  });
});
