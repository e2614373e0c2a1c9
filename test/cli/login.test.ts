/**
 * `wirewatch login` against the local stack's sign-in stand-in: the command prints the sign-in URL, the test
 * plays the browser (the authorize form, then the redirect to the command's loopback port), and the stored
 * token is what `wirewatch subscriptions` then uses.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../functions/cli/command.ts';
import { command as login } from '../../functions/cli/commands/login.ts';
import { command as subscriptions } from '../../functions/cli/commands/subscriptions.ts';
import { credentialsFile } from '../../functions/cli/credentials.ts';
import { type LocalApi, startLocalApi } from '../api/support/local-api.ts';
import { setEnv } from '../handlers/support.ts';

let local: LocalApi;
let dir: string;
let restoreEnv: () => void;

beforeAll(async () => {
  local = await startLocalApi();
  dir = await mkdtemp(join(tmpdir(), 'wirewatch-login-'));
  restoreEnv = setEnv({
    WIREWATCH_CONFIG_DIR: dir,
    WIREWATCH_TOKEN: undefined,
    WIREWATCH_API_URL: undefined,
    WIREWATCH_AUTH_URL: undefined,
    WIREWATCH_CLIENT_ID: undefined,
  });
});
afterAll(async () => {
  restoreEnv?.();
  await local?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Runs a command; `onLine` sees each stdout line as it is written (the browser acts on the URL). */
function run(cmd: Command, args: string[], onLine: (line: string) => void = () => {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = cmd.run(args, {
    stdout: (line) => {
      out.push(line);
      onLine(line);
    },
    stderr: (line) => err.push(line),
  });
  return { status, out, err };
}

/** What a browser does with the printed URL: load the sign-in page, submit it, follow the redirect home. */
async function browse(authorizeUrl: string, tamper: (callback: URL) => URL = (url) => url): Promise<number> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const query = new URL(authorizeUrl).searchParams;
  query.set('username', 'cli-reader');
  const submitted = await fetch(`${local.server.url}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: query.toString(),
    redirect: 'manual',
  });
  const callback = tamper(new URL(submitted.headers.get('location') ?? ''));
  callback.hostname = '127.0.0.1'; // the command listens on the IPv4 loopback
  return (await fetch(callback)).status;
}

describe('wirewatch login', () => {
  it('signs in through the browser flow and stores a token the other commands use', async () => {
    let callbackStatus: Promise<number> | undefined;
    const session = run(login, ['--endpoint', local.server.url, '--port', '0'], (line) => {
      if (line.includes('/oauth2/authorize?')) callbackStatus = browse(line);
    });
    expect(await session.status).toBe(0);
    expect(await callbackStatus).toBe(200);
    expect(session.out.at(-1)).toBe(
      `Signed in. Token stored in ${credentialsFile()} for ${local.server.url}.`,
    );
    // The URL asked for a code with PKCE, to the loopback callback
    const printed = new URL(session.out.find((line) => line.includes('/oauth2/authorize?')) ?? '');
    expect(printed.searchParams.get('code_challenge_method')).toBe('S256');
    expect(printed.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/);
    // The file is private to the user and names the endpoint
    expect((await stat(credentialsFile())).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(credentialsFile(), 'utf8')) as { endpoint: string };
    expect(stored.endpoint).toBe(local.server.url);

    const listed = run(subscriptions, ['--endpoint', local.server.url, '--json']);
    expect(await listed.status).toBe(0);
    expect(JSON.parse(listed.out.join('\n'))).toEqual({ subscriptions: [] });
  });

  it('fails, storing nothing new, when the answer carries another state', async () => {
    await rm(credentialsFile(), { force: true });
    let callbackStatus: Promise<number> | undefined;
    const session = run(login, ['--endpoint', local.server.url, '--port', '0'], (line) => {
      if (line.includes('/oauth2/authorize?')) {
        callbackStatus = browse(line, (url) => {
          url.searchParams.set('state', 'forged');
          return url;
        });
      }
    });
    expect(await session.status).toBe(1);
    expect(await callbackStatus).toBe(400);
    expect(session.err).toEqual([
      'wirewatch login: sign-in failed: the answer is not for this login (state differs).',
    ]);
    await expect(stat(credentialsFile())).rejects.toThrow(/ENOENT/);
  });

  it('says to log in again when the stored token has expired', async () => {
    await writeFile(
      credentialsFile(),
      JSON.stringify({
        endpoint: local.server.url,
        accessToken: 'x.y.z',
        expiresAt: '2020-01-01T00:00:00.000Z',
      }),
    );
    const listed = run(subscriptions, ['--endpoint', local.server.url]);
    expect(await listed.status).not.toBe(0);
    expect(listed.err.join('\n')).toContain('expired at 2020-01-01T00:00:00.000Z: run wirewatch login again');
  });

  it.each([
    [['--endpoint', 'ftp://x'], "--endpoint 'ftp://x' is not an http(s) URL"],
    [['--client-id', 'a b'], "--client-id 'a b' is not an app client id"],
    [['--port', '70000'], "--port '70000' is not a port number"],
    [['--colour', 'x'], "unknown option '--colour'"],
  ])('refuses %j with one line', async (args, message) => {
    const session = run(login, args);
    expect(await session.status).toBe(2);
    expect(session.err.join('\n')).toContain(message);
  });
});
