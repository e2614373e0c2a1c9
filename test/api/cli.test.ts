import { execFile } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../functions/cli/command.ts';
import { command as subscribe } from '../../functions/cli/commands/subscribe.ts';
import { command as subscriptions } from '../../functions/cli/commands/subscriptions.ts';
import { command as unsubscribe } from '../../functions/cli/commands/unsubscribe.ts';
import { type LocalApi, startLocalApi } from './support/local-api.ts';

let local: LocalApi;
let target: string[];

beforeAll(async () => {
  local = await startLocalApi();
  target = ['--endpoint', local.server.url, '--token', local.server.signToken('cli-user')];
});
afterAll(async () => local?.stop());

/** A loopback port nothing listens on (just closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function run(cmd: Command, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await cmd.run(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { status, out, err };
}

describe('CLI: subscribe, subscriptions, unsubscribe', () => {
  it('creates, lists and deletes a subscription', async () => {
    const created = await run(subscribe, [
      '--name',
      'Quotas',
      '--query',
      '"fishing quotas"',
      '--email',
      'cli@example.com',
      '--sns',
      ...target,
    ]);
    expect(created.err).toEqual([]);
    expect(created.status).toBe(0);
    const id = created.out[0]?.split(' ')[0] ?? '';
    expect(created.out[0]).toMatch(/^[0-9a-f-]{36} {2}created 'Quotas' \(active\)$/);
    expect(created.out[1]).toBe('  cli@example.com: open the confirmation link mailed there');

    const listed = await run(subscriptions, target);
    expect(listed.out).toEqual([`${id}  active  Quotas  [cli@example.com …, sns ✓]`, '    "fishing quotas"']);

    const json = await run(subscriptions, [...target, '--json']);
    expect(JSON.parse(json.out.join('\n')).subscriptions[0].id).toBe(id);

    expect((await run(unsubscribe, [id, ...target])).out).toEqual([`${id}  deleted`]);
    expect((await run(subscriptions, target)).out[0]).toContain('No subscriptions yet');
  });

  it('prints API errors in one line with status, code, field and position', async () => {
    const badAddress = await run(subscribe, ['--name', 'x', '--query', 'y', '--email', 'nope', ...target]);
    expect(badAddress.status).toBe(1);
    expect(badAddress.err).toHaveLength(1);
    expect(badAddress.err[0]).toMatch(
      /^wirewatch subscribe: 'nope' is not an e-mail address.*\(HTTP 400, invalid-input, field channels\.email\)$/,
    );

    const badQuery = await run(subscribe, ['--name', 'x', '--query', 'lisbon AND (', '--sns', ...target]);
    expect(badQuery.err[0]).toMatch(/\(HTTP 400, invalid-input, field query, position \d+\)$/);

    const missing = await run(unsubscribe, ['00000000-0000-0000-0000-000000000000', ...target]);
    expect(missing.err[0]).toContain('(HTTP 404, not-found)');

    const forged = await run(subscriptions, ['--endpoint', local.server.url, '--token', 'a.b.c']);
    expect(forged.err[0]).toContain('(HTTP 403, forbidden)');
  });

  it('sets delivery preferences on subscribe, and reports a bad time zone or time from the API', async () => {
    const created = await run(subscribe, [
      ...['--name', 'Digest', '--query', 'quotas', '--email', 'cli-digest@example.com'],
      ...['--time-zone', 'Europe/Lisbon', '--email-cadence', 'daily 07:30', '--quiet-hours', '22:00-07:00'],
      ...['--max-per-hour', '5', '--daily-cap', '40'],
      ...target,
    ]);
    expect(created.err).toEqual([]);
    const id = created.out[0]?.split(' ')[0] ?? '';
    const json = await run(subscriptions, [...target, '--json']);
    const shown = JSON.parse(json.out.join('\n')).subscriptions.find((s: { id: string }) => s.id === id);
    expect(shown.delivery).toEqual({
      timeZone: 'Europe/Lisbon',
      email: 'daily 07:30',
      quietHours: { start: '22:00', end: '07:00', channels: ['email', 'sms'], urgentBypass: true },
      maxPerHour: 5,
      dailyCap: 40,
      sendEmpty: false,
    });
    await run(unsubscribe, [id, ...target]);
    const badZone = await run(subscribe, [
      '--name',
      'x',
      '--query',
      'y',
      '--sns',
      '--time-zone',
      'Mars/Base',
      ...target,
    ]);
    expect(badZone.err[0]).toMatch(
      /Unknown time zone "Mars\/Base".*\(HTTP 400, invalid-input, field delivery\.timeZone\)$/,
    );
    const badTime = await run(subscribe, [
      '--name',
      'x',
      '--query',
      'y',
      '--sns',
      '--email-cadence',
      'daily 25:00',
      ...target,
    ]);
    expect(badTime.err[0]).toContain('"25:00" is not a time of day');
    expect(
      (await run(subscribe, ['--name', 'x', '--query', 'y', '--sns', '--quiet-hours', '22:00', ...target]))
        .err[0],
    ).toContain('--quiet-hours must be START-END');
  });

  it('explains usage errors and an unreachable API', async () => {
    expect((await run(subscribe, ['--name', 'x'])).err[0]).toContain('--name and --query are required');
    expect((await run(subscribe, ['--name', 'x', '--query', 'y', ...target])).err[0]).toContain(
      'at least one of --email',
    );
    expect((await run(unsubscribe, [...target])).status).toBe(2);
    expect((await run(subscriptions, ['--bogus'])).err[0]).toContain("unknown option '--bogus'");
    const closed = await closedPort();
    const down = await run(subscriptions, ['--endpoint', `http://127.0.0.1:${closed}`, '--token', 't.t.t']);
    expect(down.status).toBe(1);
    expect(down.err[0]).toContain(
      `Cannot reach the API at http://127.0.0.1:${closed} (ECONNREFUSED): is 'npm start' running`,
    );
  });

  it('runs through npm run wirewatch and prints one line on error', async () => {
    const exec = promisify(execFile);
    const result = await exec('npx', [
      'tsx',
      'functions/cli/wirewatch.ts',
      'subscribe',
      '--name',
      'a\nb',
      '--query',
      'q',
      '--sns',
      ...target,
    ]).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'wirewatch subscribe: The name must not contain line breaks (CR or LF). (HTTP 400, invalid-input, field name)',
    ]);
  });
});
