import { escapeHtml } from '../core/alerts/text.ts';

/**
 * The HTML shell shared by the subscribe page (page.ts) and the small pages behind e-mail links
 * (api/pages.ts): UTF-8, mobile viewport, no referrer (links carry tokens), a blank icon (no favicon request)
 * and the one stylesheet, app.css. Paths are relative so the pages work under any stage path.
 */
export interface HtmlDocument {
  /** Plain text: escaped here. */
  readonly title: string;
  /** Trusted markup added at the end of <head>. */
  readonly head?: string;
  /** Trusted attributes of <body>, each with its leading space. */
  readonly bodyAttributes?: string;
  /** Trusted markup: callers escape what they put in it. */
  readonly body: string;
}

export function htmlDocument({ title, head = '', bodyAttributes = '', body }: HtmlDocument): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
${head}</head>
<body${bodyAttributes}>
${body}
</body>
</html>
`;
}
