import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../functions/api/http.ts';
import { unsubscribeToken } from '../../functions/core/subscriptions/links.ts';
import { apiHarness, TEST_SECRET } from './support/harness.ts';

const hostileName = `<script>alert(1)</script><img src=x onerror="alert(2)">'&"`;

describe('HTML pages escape everything they show', () => {
  it('escapes a hostile subscription name on the confirm and unsubscribe pages', async () => {
    const { call, email } = apiHarness();
    const created = await call('POST', '/subscriptions', {
      user: 'u1',
      body: { name: hostileName, query: 'x', channels: { email: 'ana@example.com' } },
    });
    expect(created.status).toBe(201);
    const token = new URL(email.lastLink('ana@example.com')).searchParams.get('token') ?? '';
    const pages = [
      await call('GET', '/confirm', { query: { token } }),
      await call('POST', '/confirm', { query: { token } }),
      await call('GET', '/unsubscribe', {
        query: { token: unsubscribeToken(created.json.subscription.id, 'email', TEST_SECRET) },
      }),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>');
      expect(page.text).not.toContain('<img');
      expect(page.text).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&#39;&amp;&quot;',
      );
      expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('escapes the confirmation mail and keeps its subject a single header line', async () => {
    const { call, email } = apiHarness();
    await call('POST', '/subscriptions', {
      user: 'u1',
      body: { name: hostileName, query: '"<b>bold</b>" AND "&x"', channels: { email: 'ana@example.com' } },
    });
    const mail = email.sent[0];
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain('<code>&quot;&lt;b&gt;bold&lt;/b&gt;&quot; AND &quot;&amp;x&quot;</code>');
    expect(mail?.subject).not.toMatch(/[\r\n]/);
  });

  it('does not reflect a hostile token into the page unescaped', async () => {
    const { call } = apiHarness();
    const token = '"><script>alert(1)</script>';
    const page = await call('GET', '/unsubscribe', { query: { token } });
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('<script>');
  });

  it('escapes a hostile path in the 404 answer (JSON, never HTML)', async () => {
    const { call } = apiHarness();
    const response = await call('GET', '/<script>alert(1)</script>');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/json');
  });

  it('serves the page with the CSP header and no inline script', async () => {
    const { call } = apiHarness();
    const page = await call('GET', '/');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await call('GET', '/app.js')).headers['content-type']).toContain('text/javascript');
    expect((await call('GET', '/app.css')).headers['content-type']).toContain('text/css');
  });
});
