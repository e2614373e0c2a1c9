import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local HMAC key for signed links, generated once and kept in `<dataDir>/signing-secret` (owner-only), so
 * that unsubscribe links in mail sent before a restart still work after it.
 */
export async function localSigningSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'signing-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
