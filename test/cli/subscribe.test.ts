import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as subscribe } from '../../functions/cli/commands/subscribe.ts';
import { command as subscriptions } from '../../functions/cli/commands/subscriptions.ts';
import { type LocalApi, startLocalApi } from '../api/support/local-api.ts';

let local: LocalApi;
let target: string[];

beforeAll(async () => {
  local = await startLocalApi();
  target = ['--endpoint', local.server.url, '--token', local.server.signToken('cli-updates')];
});
afterAll(async () => local?.stop());

async function run(args: string[], cmd = subscribe) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await cmd.run(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { status, out, err };
}

describe('CLI: subscribe --updates', () => {
  it('sets the update policy, and an unknown one is refused with the choices', async () => {
    const base = ['--name', 'Ports', '--query', 'harbour', '--sns', ...target];
    expect((await run([...base, '--updates', 'substantive'])).status).toBe(0);
    const listed = await run([...target, '--json'], subscriptions);
    expect(JSON.parse(listed.out.join('\n')).subscriptions[0].updates).toBe('substantive');
    const bad = await run([...base, '--updates', 'always']);
    expect(bad.status).toBe(1);
    expect(bad.err[0]).toMatch(
      /updates is 'always': use 'first'.*\(HTTP 400, invalid-input, field updates\)$/,
    );
    expect(subscribe.usage).toContain('--updates P');
  });
});
