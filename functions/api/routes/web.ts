import type { RouteHandler } from '../app.ts';
import { asset, html } from '../http.ts';

/** The subscribe page: one HTML document, one script and one stylesheet (no inline code: CSP). */
export interface WebAssets {
  load(): Promise<{
    readonly html: string;
    readonly script: string;
    readonly style: string;
    /** The page's policy when it differs from the default (the sign-in token endpoint is another origin). */
    readonly contentSecurityPolicy?: string | undefined;
  }>;
}

export function webRoutes(assets: WebAssets) {
  return {
    webPage: async () => {
      const files = await assets.load();
      return html(
        200,
        files.html,
        files.contentSecurityPolicy === undefined
          ? {}
          : { 'content-security-policy': files.contentSecurityPolicy },
      );
    },
    webScript: async () => asset('text/javascript; charset=utf-8', (await assets.load()).script),
    webStyle: async () => asset('text/css; charset=utf-8', (await assets.load()).style),
  } satisfies Record<string, RouteHandler>;
}
