/**
 * esbuild settings shared by the CDK construct (wirewatch-function.ts) and the handlers bench
 * (bench/handlers.ts), which must bundle alike. No aws-cdk-lib here, so the bench can import it.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * esbuild's ESM output has no `require`; CommonJS dependencies that call it (for Node built-ins) need one.
 * The alias keeps the name from clashing with a bundled `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __wirewatchCreateRequire } from 'node:module'; const require = __wirewatchCreateRequire(import.meta.url);";

/** One CommonJS shim per Node built-in the bundles import: `fs-promises.cjs` stands for `fs/promises`. */
export const BUILTIN_SHIMS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'builtins');

/**
 * esbuild aliases that send every `import ... from 'http'` (or `node:http`, or `import('node:http')`) of the
 * bundled code to a shim doing `process.getBuiltinModule('node:http')`. An ESM import of a built-in makes
 * Node build its ESM facade, which reads every export and so runs the built-in's lazy getters: for node:http
 * that loads undici (WebSocket, fetch), about 20 ms of a cold start spent on nothing the handlers use; the
 * other built-ins add about 10 ms more. A built-in without a shim still works, through its facade.
 */
export function builtinAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const file of readdirSync(BUILTIN_SHIMS_DIR)) {
    if (!file.endsWith('.cjs')) continue;
    const name = file.slice(0, -'.cjs'.length).replaceAll('-', '/');
    const shim = join(BUILTIN_SHIMS_DIR, file);
    aliases[name] = shim;
    aliases[`node:${name}`] = shim;
  }
  return aliases;
}

/**
 * The construct's bundling as esbuild API options (ESM, node24, module-first main fields, require banner,
 * built-ins through require, minified, source map, the AWS SDK bundled in), for the bench and the tests,
 * which must bundle as a deployed function is bundled.
 */
export function constructBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: builtinAliases(),
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: [],
    logLevel: 'error',
  };
}
