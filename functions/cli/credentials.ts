/**
 * Where `wirewatch login` keeps its token and where the other commands find it: one JSON file per user,
 * `$WIREWATCH_CONFIG_DIR/credentials.json` (default `~/.config/wirewatch`), mode 0600, holding the API
 * endpoint the token is for. A token is used only for that endpoint, and only until it expires.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface StoredCredentials {
  /** The subscribe API the token is for, without a trailing slash. */
  readonly endpoint: string;
  readonly accessToken: string;
  /** ISO time after which the token is refused. */
  readonly expiresAt: string;
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.WIREWATCH_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'wirewatch');
  return join(dir, 'credentials.json');
}

export async function saveCredentials(credentials: StoredCredentials, env: NodeJS.ProcessEnv = process.env) {
  const file = credentialsFile(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * The stored token for `endpoint`: `{ token }`, `{ expired }` when it has run out (sign in again), or
 * undefined when there is none for this endpoint (or the file is unreadable).
 */
export async function storedToken(
  endpoint: string,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Promise<{ readonly token: string } | { readonly expired: string } | undefined> {
  let stored: Partial<StoredCredentials>;
  try {
    stored = JSON.parse(await readFile(credentialsFile(env), 'utf8')) as Partial<StoredCredentials>;
  } catch {
    return undefined;
  }
  if (stored.endpoint !== endpoint || typeof stored.accessToken !== 'string') return undefined;
  const expires = Date.parse(stored.expiresAt ?? '');
  if (!(expires > now.getTime())) return { expired: stored.expiresAt ?? 'unknown' };
  return { token: stored.accessToken };
}
