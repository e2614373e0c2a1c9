/** The HTML shell shared by the subscribe page and the e-mail link pages. */
import { describe, expect, it } from 'vitest';
import { messagePage } from '../../functions/api/pages.ts';
import { htmlDocument } from '../../functions/web/document.ts';
import { pageHtml } from '../../functions/web/page.ts';

describe('htmlDocument', () => {
  it('escapes the title and places head markup, body attributes and body where they belong', () => {
    const document = htmlDocument({
      title: 'Fish & <chips>',
      head: '<script src="app.js" defer></script>\n',
      bodyAttributes: ' data-x="1"',
      body: '<main>hello</main>',
    });
    expect(document).toContain('<title>Fish &amp; &lt;chips&gt;</title>');
    expect(document).toContain(
      '<script src="app.js" defer></script>\n</head>\n<body data-x="1">\n<main>hello</main>\n</body>',
    );
    expect(document.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(document).toContain('<meta name="referrer" content="no-referrer">');
    expect(document).toContain('<link rel="stylesheet" href="app.css">');
  });

  it('gives the subscribe page and the link pages the same head', () => {
    const headOf = (html: string) => html.slice(0, html.indexOf('<title>'));
    const linkPage = messagePage(200, 'Done', 'ok').body ?? '';
    expect(headOf(pageHtml())).toBe(headOf(linkPage));
    expect(linkPage).toContain('<title>Done · Wirewatch</title>');
    expect(pageHtml()).toContain('<script src="app.js" defer></script>\n</head>\n<body>\n<header>');
  });
});
