import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../functions/cli/commands/confirm-sms.ts';
import { type LocalApi, startLocalApi } from '../api/support/local-api.ts';

describe('wirewatch confirm-sms', () => {
  let local: LocalApi;
  let token: string;

  beforeAll(async () => {
    local = await startLocalApi();
    token = local.server.signToken('sms-cli-user');
  });
  afterAll(async () => local?.stop());

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await command.run([...args, '--endpoint', local.server.url, '--token', token], {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
    });
    return { status, out, err };
  }

  async function subscribeWithPhone(phone: string): Promise<{ id: string; code: string }> {
    const created = await fetch(`${local.server.url}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Texts', query: 'harbour', channels: { phone } }),
    });
    const { subscription } = (await created.json()) as { subscription: { id: string } };
    const text =
      local.standins.smsOutbox.messages.filter((m) => m.phoneNumber === phone).at(-1)?.message ?? '';
    return { id: subscription.id, code: /\b(\d{6})\b/.exec(text)?.[1] ?? '' };
  }

  it('confirms the number with the texted code', async () => {
    const { id, code } = await subscribeWithPhone('+14155550171');
    expect(await run(id, code)).toEqual({ status: 0, out: [`${id}  mobile number confirmed`], err: [] });
    const after = await fetch(`${local.server.url}/subscriptions/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { subscription } = (await after.json()) as { subscription: { channels: { confirmed: boolean }[] } };
    expect(subscription.channels).toEqual([{ type: 'sms', phone: '+14155550171', confirmed: true }]);
  });

  it('says in one line when the code is wrong, malformed or missing', async () => {
    const { id, code } = await subscribeWithPhone('+14155550172');
    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await run(id, wrong);
    expect(refused.status).toBe(1);
    expect(refused.err).toEqual([expect.stringMatching(/^wirewatch confirm-sms: .*\(HTTP 4\d\d, /)]);
    expect((await run(id, '12ab')).err).toEqual([
      "wirewatch confirm-sms: '12ab' is not a 6-digit code. See --help.",
    ]);
    expect((await run(id)).status).toBe(2);
  });
});
