import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SHIMS_DIR, builtinAliases, constructBuildOptions } from '../../infra/constructs/bundling.ts';

const require = createRequire(import.meta.url);

describe('built-in shims', () => {
  it('alias each built-in, with and without node:, to a shim that is that built-in', () => {
    const aliases = builtinAliases();
    expect(aliases.http).toBe(join(BUILTIN_SHIMS_DIR, 'http.cjs'));
    expect(aliases['node:http']).toBe(aliases.http);
    expect(aliases['node:fs/promises']).toBe(join(BUILTIN_SHIMS_DIR, 'fs-promises.cjs'));
    const shims = readdirSync(BUILTIN_SHIMS_DIR);
    expect(Object.keys(aliases)).toHaveLength(shims.length * 2);
    for (const [name, shim] of Object.entries(aliases)) {
      if (name.startsWith('node:')) continue;
      expect(require(shim), name).toBe(process.getBuiltinModule(`node:${name}`));
    }
  });

  it('leave the matcher bundle no ESM import of a built-in but the banner (each builds a slow facade)', async () => {
    const { outputFiles } = await build({
      ...constructBuildOptions(),
      entryPoints: [new URL('../../functions/handlers/matcher.ts', import.meta.url).pathname],
      outdir: 'unused',
      sourcemap: false,
      write: false,
    });
    const code = outputFiles[0]?.text ?? '';
    const imported = [...code.matchAll(/(?:from\s*|import\s*\(\s*)["']((?:node:)?[a-z_/]+)["']/g)]
      .map((match) => match[1])
      .filter((name) => name !== undefined && !name.startsWith('@'));
    // A new built-in import here wants a shim in infra/constructs/builtins/.
    expect(imported).toEqual(['node:module']);
    expect(code).toContain('process.getBuiltinModule("node:http")');
  });
});
