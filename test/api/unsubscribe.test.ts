import { describe, expect, it } from 'vitest';
import { signToken } from '../../functions/core/security/signed-token.ts';
import {
  listUnsubscribeHeaders,
  unsubscribeToken,
  unsubscribeUrl,
} from '../../functions/core/subscriptions/links.ts';
import { smsReplyIntent } from '../../functions/core/subscriptions/sms-replies.ts';
import { apiHarness, BASE_URL, TEST_SECRET } from './support/harness.ts';

const body = { name: 'Lisbon', query: 'ministers', channels: { email: 'ana@example.com', sns: true } };
const oneClick = { 'content-type': 'application/x-www-form-urlencoded' };

describe('one-click unsubscribe', () => {
  it('GET asks without acting; POST (RFC 8058) removes the channel; repeating is harmless', async () => {
    const { call, repository } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body })).json.subscription;
    const token = unsubscribeToken(id, 'email', TEST_SECRET);

    const page = await call('GET', '/unsubscribe', { query: { token } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stop e-mail alerts for <strong>Lisbon</strong>?');
    expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
    expect((await repository.get(id))?.channels).toHaveLength(2);

    const done = await call('POST', '/unsubscribe', {
      query: { token },
      rawBody: 'List-Unsubscribe=One-Click',
      headers: oneClick,
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('You are unsubscribed');
    expect((await repository.get(id))?.channels).toEqual([{ type: 'sns', confirmed: true }]);
    expect((await repository.get(id))?.status).toBe('active');

    const again = await call('POST', '/unsubscribe', {
      query: { token },
      rawBody: 'List-Unsubscribe=One-Click',
      headers: oneClick,
    });
    expect(again.status).toBe(200);
    expect(again.text).toContain('already unsubscribed');
    const pageAgain = await call('GET', '/unsubscribe', { query: { token } });
    expect(pageAgain.text).toContain('already unsubscribed');
  });

  it('pauses a subscription whose last channel is removed, and accepts a multipart one-click body', async () => {
    const { call, repository } = apiHarness();
    const { id } = (
      await call('POST', '/subscriptions', { user: 'u1', body: { ...body, channels: { sns: true } } })
    ).json.subscription;
    const multipart =
      '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n';
    const response = await call('POST', '/unsubscribe', {
      query: { token: unsubscribeToken(id, 'sns', TEST_SECRET) },
      rawBody: multipart,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(response.status).toBe(200);
    expect(await repository.get(id)).toMatchObject({ channels: [], status: 'paused' });
  });

  it('is idempotent for a deleted subscription', async () => {
    const { call } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body })).json.subscription;
    await call('DELETE', `/subscriptions/${id}`, { user: 'u1' });
    const token = unsubscribeToken(id, 'email', TEST_SECRET);
    const response = await call('POST', '/unsubscribe', {
      query: { token },
      rawBody: 'List-Unsubscribe=One-Click',
      headers: oneClick,
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('already unsubscribed');
  });

  it('refuses bad tokens with 403 and a POST without the one-click body with 400', async () => {
    const { call, repository } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body })).json.subscription;
    const forged = signToken(
      { purpose: 'unsubscribe', sub: id, ch: 'email' },
      'another-secret-that-is-long-enough-0123',
    );
    const wrongPurpose = signToken({ purpose: 'confirm', sub: id, ch: 'email' }, TEST_SECRET);
    const badChannel = signToken({ purpose: 'unsubscribe', sub: id, ch: 'fax' }, TEST_SECRET);
    for (const token of [forged, wrongPurpose, badChannel, 'garbage', 'a.b']) {
      const get = await call('GET', '/unsubscribe', { query: { token } });
      expect(get.status, token).toBe(403);
      const post = await call('POST', '/unsubscribe', {
        query: { token },
        rawBody: 'List-Unsubscribe=One-Click',
        headers: oneClick,
      });
      expect(post.status, token).toBe(403);
    }
    const good = unsubscribeToken(id, 'email', TEST_SECRET);
    const noBody = await call('POST', '/unsubscribe', { query: { token: good } });
    expect(noBody.status).toBe(400);
    expect(noBody.text).toContain('List-Unsubscribe=One-Click');
    expect((await repository.get(id))?.channels).toHaveLength(2);
  });

  it('builds the RFC 8058 headers the alert mails carry', () => {
    const headers = listUnsubscribeHeaders(`${BASE_URL}/`, 'sub-1', 'email', TEST_SECRET);
    const url = unsubscribeUrl(BASE_URL, unsubscribeToken('sub-1', 'email', TEST_SECRET));
    expect(headers).toEqual({
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(Object.values(headers).join('')).not.toMatch(/[\r\n]/);
  });
});

describe('SMS replies', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'REVOKE',
    'revoke please',
    'please stop',
    'opt out',
    'start stop',
    'UNSUBSCRIBE',
    'CANCEL',
    'END',
    'QUIT',
    'STOPALL',
    'OPTOUT',
  ])('%j opts out', (text) => expect(smsReplyIntent(text)).toBe('opt-out'));

  it.each(['START', 'unstop', 'Start please'])('%j opts back in', (text) =>
    expect(smsReplyIntent(text)).toBe('opt-in'),
  );

  it.each(['', 'thanks', 'STOPPED?', 'HELP'])('%j is not a keyword', (text) =>
    expect(smsReplyIntent(text)).toBe('other'),
  );

  it('REVOKE removes the number from every subscription and blocks adding it until START', async () => {
    const { call, repository, ledger, sms } = apiHarness();
    const phone = '+14155550123';
    const a = (
      await call('POST', '/subscriptions', { user: 'u1', body: { ...body, channels: { phone, sns: true } } })
    ).json;
    const b = (await call('POST', '/subscriptions', { user: 'u2', body: { ...body, channels: { phone } } }))
      .json;
    const other = (
      await call('POST', '/subscriptions', {
        user: 'u3',
        body: { ...body, channels: { phone: '+14155550999' } },
      })
    ).json;

    const reply = await call('POST', '/sms/inbound', {
      body: { originationNumber: phone, messageBody: 'Revoke' },
    });
    expect(reply.json).toEqual({ intent: 'opt-out', subscriptionsChanged: 2 });
    expect((await repository.get(a.subscription.id))?.channels).toEqual([{ type: 'sns', confirmed: true }]);
    expect(await repository.get(b.subscription.id)).toMatchObject({ channels: [], status: 'paused' });
    expect((await repository.get(other.subscription.id))?.channels).toHaveLength(1);
    expect(ledger.codes.has(a.subscription.id)).toBe(false);

    const sentBefore = sms.sent.length;
    const blocked = await call('POST', '/subscriptions', {
      user: 'u1',
      body: { ...body, channels: { phone } },
    });
    expect(blocked.status).toBe(409);
    expect(blocked.json.error).toMatchObject({ code: 'opted-out', field: 'channels.phone' });
    expect(sms.sent.length).toBe(sentBefore);

    const again = await call('POST', '/sms/inbound', {
      body: { originationNumber: phone, messageBody: 'STOP' },
    });
    expect(again.json).toEqual({ intent: 'opt-out', subscriptionsChanged: 0 });

    await call('POST', '/sms/inbound', { body: { originationNumber: phone, messageBody: 'START' } });
    expect(
      (await call('POST', '/subscriptions', { user: 'u1', body: { ...body, channels: { phone } } })).status,
    ).toBe(201);
  });

  it('rejects an inbound message without a valid sender', async () => {
    const { call } = apiHarness();
    const noFields = await call('POST', '/sms/inbound', { body: { from: '+1', text: 'STOP' } });
    expect(noFields.status).toBe(400);
    const badNumber = await call('POST', '/sms/inbound', {
      body: { originationNumber: 'x', messageBody: 'STOP' },
    });
    expect(badNumber.json.error).toMatchObject({ code: 'invalid-input', field: 'from' });
  });
});
