import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as subscribe } from '../../functions/cli/commands/subscribe.ts';
import { command as subscriptions } from '../../functions/cli/commands/subscriptions.ts';
import { type LocalApi, startLocalApi } from '../api/support/local-api.ts';

let local: LocalApi;
let target: string[];

beforeAll(async () => {
  local = await startLocalApi();
  target = ['--endpoint', local.server.url, '--token', local.server.signToken('cli-actions')];
});
afterAll(async () => local?.stop());

async function run(args: string[], cmd = subscriptions) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await cmd.run(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { status, out, err };
}

async function create(name: string, ...options: string[]): Promise<string> {
  const created = await run(
    ['--name', name, '--query', 'harbour', '--sns', ...options, ...target],
    subscribe,
  );
  expect(created.status).toBe(0);
  return created.out[0]!.split(' ')[0]!;
}

async function shown(id: string) {
  const listed = await run([...target, '--json']);
  const all = JSON.parse(listed.out.join('\n')).subscriptions as {
    id: string;
    delivery?: Record<string, unknown>;
    [key: string]: unknown;
  }[];
  return all.find((subscription) => subscription.id === id);
}

describe('CLI: subscriptions update|pause|resume|delete', () => {
  it('update changes the settings it names and keeps the others', async () => {
    const id = await create(
      'Ports',
      '--time-zone',
      'Europe/Berlin',
      '--email-cadence',
      'daily 08:00',
      '--daily-cap',
      '50',
      '--quiet-hours',
      '22:00-07:00',
    );

    const updated = await run(['update', id, '--max-per-hour', '5', '--query', 'harbour OR port', ...target]);

    expect(updated).toMatchObject({ status: 0, err: [] });
    expect(updated.out).toEqual([
      `${id}  updated 'Ports' (active)`,
      '  e-mail daily 08:00 (Europe/Berlin); at most 5 an hour; daily cap 50; quiet 22:00-07:00',
    ]);
    expect(await shown(id)).toMatchObject({
      query: 'harbour OR port',
      delivery: {
        timeZone: 'Europe/Berlin',
        email: 'daily 08:00',
        maxPerHour: 5,
        dailyCap: 50,
        quietHours: { start: '22:00', end: '07:00' },
        sendEmpty: false,
      },
    });

    const back = await run([
      'update',
      id,
      '--email-cadence',
      'immediate',
      '--daily-cap',
      'none',
      '--quiet-hours',
      'none',
      ...target,
    ]);

    expect(back.status).toBe(0);
    const delivery = (await shown(id))?.delivery;
    expect(delivery).toEqual({
      timeZone: 'Europe/Berlin',
      email: 'immediate',
      maxPerHour: 5,
      sendEmpty: false,
    });
  });

  it('refuses bad values with the API’s message naming the field, and changes nothing', async () => {
    const id = await create('Zones', '--time-zone', 'Europe/Lisbon');

    const zone = await run(['update', id, '--time-zone', 'Mars/Olympus_Mons', ...target]);
    const time = await run(['update', id, '--email-cadence', 'daily 25:00', ...target]);

    expect(zone.status).toBe(1);
    expect(zone.err[0]).toMatch(
      /^wirewatch subscriptions update: .*Mars\/Olympus_Mons.*field delivery\.timeZone\)$/,
    );
    expect(time.status).toBe(1);
    expect(time.err[0]).toContain('"25:00" is not a time of day: use HH:MM on a 24-hour clock');
    expect((await shown(id))?.delivery?.timeZone).toBe('Europe/Lisbon');
  });

  it('says what is wrong with the arguments before calling the API', async () => {
    const nothing = await run(['update', 'some-id', ...target]);
    const twoIds = await run(['pause', 'a', 'b', ...target]);
    const unknown = await run(['update', 'some-id', '--colour', 'red', ...target]);
    const contradiction = await run(['update', 'some-id', '--send-empty', '--no-send-empty', ...target]);

    expect(nothing.status).toBe(2);
    expect(nothing.err[0]).toMatch(/^wirewatch subscriptions update: nothing to change: give --name/);
    expect(twoIds).toMatchObject({
      status: 2,
      err: ['wirewatch subscriptions pause: give exactly one subscription ID. See --help.'],
    });
    expect(unknown.err).toEqual(["wirewatch subscriptions update: unknown option '--colour'. See --help."]);
    expect(contradiction.err[0]).toContain('--send-empty and --no-send-empty contradict each other');
  });

  it('pause, resume and delete', async () => {
    const id = await create('Pausable');

    expect((await run(['pause', id, ...target])).out).toEqual([`${id}  paused  Pausable`]);
    expect(await shown(id)).toMatchObject({ status: 'paused' });
    expect((await run(['resume', id, ...target])).out).toEqual([`${id}  active  Pausable`]);
    expect((await run(['delete', id, ...target])).out).toEqual([`${id}  deleted`]);
    expect(await shown(id)).toBeUndefined();
    const gone = await run(['pause', id, ...target]);
    expect(gone.status).toBe(1);
    expect(gone.err[0]).toContain('HTTP 404');
    expect(subscriptions.usage).toContain('subscriptions update ID');
  });
});
