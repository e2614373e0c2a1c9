import type { RouteHandler } from '../app.ts';
import { asset, html } from '../http.ts';

/** The subscribe page: one HTML document, one script and one stylesheet (no inline code: CSP). */
export interface WebAssets {
  load(): Promise<{ readonly html: string; readonly script: string; readonly style: string }>;
}

export function webRoutes(assets: WebAssets) {
  return {
    webPage: async () => html(200, (await assets.load()).html),
    webScript: async () => asset('text/javascript; charset=utf-8', (await assets.load()).script),
    webStyle: async () => asset('text/css; charset=utf-8', (await assets.load()).style),
  } satisfies Record<string, RouteHandler>;
}
