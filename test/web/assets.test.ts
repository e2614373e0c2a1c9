import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { WebAssets } from '../../functions/api/routes/web.ts';
import { webAssets } from '../../functions/web/assets.ts';

/**
 * app.js is the compiled source of one function. It must run as is after any compiler the handler goes
 * through: vitest/tsx here, and esbuild's minified ESM bundle in Lambda (the WirewatchFunction settings).
 */
function runInFakeBrowser(script: string): unknown {
  const context = vm.createContext({
    window: { location: { hash: '', pathname: '/' } },
    history: { replaceState: () => undefined },
    sessionStorage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined },
    document: { getElementById: () => null, body: { dataset: {} } },
    URLSearchParams,
    setTimeout,
    clearTimeout,
  });
  try {
    new vm.Script(script).runInContext(context);
    return undefined;
  } catch (error) {
    return error;
  }
}

async function assetsFromLambdaBundle(): Promise<WebAssets> {
  const dir = await mkdtemp(join(tmpdir(), 'wirewatch-assets-'));
  try {
    const result = await build({
      entryPoints: [new URL('../../functions/web/assets.ts', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      minify: true,
      write: false,
    });
    const file = join(dir, 'assets.mjs');
    await writeFile(file, result.outputFiles[0]?.text ?? '');
    const module = (await import(pathToFileURL(file).href)) as { webAssets: typeof webAssets };
    return module.webAssets();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the page script', () => {
  it.each([
    ['as compiled for tests', async () => webAssets()],
    ['from a minified ESM bundle, as in Lambda', assetsFromLambdaBundle],
  ])(
    'runs self-contained %s (fails only on the missing page, not on a missing helper)',
    async (_label, load) => {
      const { script } = await (await load()).load();
      const error = runInFakeBrowser(script);
      expect(error, 'the script ran to its first page lookup').toBeDefined();
      expect((error as Error).message).toMatch(/^The page has no #[a-z-]+\.$/);
    },
  );

  it('links only its own files and escapes the sign-in settings', async () => {
    const { html } = await webAssets({
      signIn: { authUrl: 'https://auth.example.com', clientId: 'client"<x>' },
    }).load();
    expect(html).toContain('<script src="app.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style>|\son[a-z]+=/);
    expect(html).toContain('data-auth-url="https://auth.example.com" data-client-id="client&quot;&lt;x&gt;"');
    expect(html).toContain('id="oauth-sign-in"');
  });

  it('lets the page reach the sign-in token endpoint and nothing else new', async () => {
    const plain = await webAssets().load();
    const signIn = await webAssets({
      signIn: { authUrl: 'https://wirewatch-1.auth.eu-west-1.amazoncognito.com', clientId: 'abc' },
    }).load();
    expect(plain.contentSecurityPolicy).toBeUndefined();
    expect(plain.html).not.toContain('oauth-sign-in');
    expect(signIn.contentSecurityPolicy).toContain(
      "connect-src 'self' https://wirewatch-1.auth.eu-west-1.amazoncognito.com;",
    );
    expect(signIn.contentSecurityPolicy).toContain("script-src 'self';");
  });
});
