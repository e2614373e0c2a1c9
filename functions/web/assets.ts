import type { WebAssets } from '../api/routes/web.ts';
import { subscribePage } from './app.ts';
import { PAGE_CSS, type PageSignIn, pageHtml, pagePolicy } from './page.ts';

/**
 * The page's three files, built once per container. app.js is the compiled source of `subscribePage`
 * (compiled with the handler by esbuild in Lambda, by tsx locally): one code path, no build step or asset
 * folder to ship. `__name` is the helper esbuild's keepNames (used by tsx) may call inside the function.
 */
export function webAssets(options: { readonly signIn?: PageSignIn | undefined } = {}): WebAssets {
  const files = {
    html: pageHtml(options),
    contentSecurityPolicy: pagePolicy(options.signIn),
    script: `"use strict";\nconst __name = (target) => target;\n(${subscribePage.toString()})();\n`,
    style: PAGE_CSS,
  };
  return { load: async () => files };
}
