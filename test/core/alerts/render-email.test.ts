import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_CHARS, renderEmail } from '../../../functions/core/alerts/render-email.ts';
import { verifyToken } from '../../../functions/core/security/signed-token.ts';
import { aDeliveryJob, hasLineBreakOrControl, isWellFormed, SECRET } from './factories.ts';

const links = { publicBaseUrl: 'https://alerts.example.com', signingSecret: SECRET };

function unsubscribeTokenOf(header: string): string {
  const match = /^<https:\/\/alerts\.example\.com\/unsubscribe\?token=([^>]+)>$/.exec(header);
  if (!match?.[1]) throw new Error(`unexpected List-Unsubscribe header: ${header}`);
  return decodeURIComponent(match[1]);
}

describe('renderEmail', () => {
  it('builds the subject from the subscription name and the headline', () => {
    const email = renderEmail(aDeliveryJob(), links);
    expect(email.subject).toBe('[Wirewatch] Ports: Harbour strike ends after three days');
    expect(email.to).toBe('reader@example.com');
  });

  it('strips CR, LF and other control characters from the subject', () => {
    const job = aDeliveryJob({
      story: { ...aDeliveryJob().story, headline: 'Strike\r\nBcc: victim@example.com\u0000 ends\u2028now' },
      subscription: { ...aDeliveryJob().subscription, name: 'Ports\nX-Injected: 1' },
    });
    const { subject } = renderEmail(job, links);
    expect(hasLineBreakOrControl(subject)).toBe(false);
    expect(subject).toBe('[Wirewatch] Ports X-Injected: 1: Strike Bcc: victim@example.com ends now');
  });

  it('caps a long subject on a character boundary', () => {
    const job = aDeliveryJob({ story: { ...aDeliveryJob().story, headline: '😀'.repeat(200) } });
    const { subject } = renderEmail(job, links);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
    expect(subject.endsWith('😀...')).toBe(true);
    expect(isWellFormed(subject)).toBe(true);
  });

  it('escapes third-party text in the HTML body and marks highlights after escaping', () => {
    const job = aDeliveryJob({
      story: { ...aDeliveryJob().story, headline: '<script>alert("x")</script> & more' },
      subscription: { ...aDeliveryJob().subscription, name: '<b>Ports</b>' },
      snippet: { text: 'A <harbour> & "port" story', highlights: [[2, 11]] },
      matchedTerms: ['<harbour>'],
    });
    const { html } = renderEmail(job, links);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Ports</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain(
      'A <mark style="background-color:#fde293;color:#1f1f1f;font-weight:bold;padding:0 1px">&lt;harbour&gt;</mark> &amp; &quot;port&quot; story',
    );
    expect(html).toContain(
      'Why you got this: your alert <strong>&lt;b&gt;Ports&lt;/b&gt;</strong> matched <em>&lt;harbour&gt;</em>.',
    );
  });

  it('links the story only when its URL is http(s)', () => {
    const safe = renderEmail(aDeliveryJob(), links);
    expect(safe.html).toContain('<a href="https://news.example.com/stories/42"');
    expect(safe.text).toContain('Read the story: https://news.example.com/stories/42');

    const hostile = aDeliveryJob({ story: { ...aDeliveryJob().story, url: 'javascript:alert(1)' } });
    const rendered = renderEmail(hostile, links);
    expect(rendered.html).not.toContain('javascript:');
    expect(rendered.text).not.toContain('javascript:');
  });

  it('says why the alert was sent, listing every matched term once', () => {
    const job = aDeliveryJob({ matchedTerms: ['deportation', 'person:"Peña Nieto"', 'deportation'] });
    const { html, text } = renderEmail(job, links);
    expect(text).toContain(
      'Why you got this: your alert "Ports" matched deportation and person:"Peña Nieto".',
    );
    expect(html).toContain('matched <em>deportation</em> and <em>person:&quot;Peña Nieto&quot;</em>.');
  });

  it('sets RFC 8058 one-click unsubscribe headers with a token that verifies for this channel', () => {
    const { headers, html, text } = renderEmail(aDeliveryJob(), links);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const token = unsubscribeTokenOf(headers['List-Unsubscribe'] ?? '');
    const check = verifyToken(token, SECRET, 'unsubscribe');
    expect(check).toEqual({ ok: true, payload: { purpose: 'unsubscribe', sub: 'sub-1', ch: 'email' } });
    expect(verifyToken(token, `${SECRET}-other`, 'unsubscribe').ok).toBe(false);
    for (const value of Object.values(headers)) expect(value).not.toMatch(/[\r\n]/);
    expect(html).toContain('/unsubscribe?token=');
    expect(text).toContain(
      'Unsubscribe from these e-mail alerts: https://alerts.example.com/unsubscribe?token=',
    );
  });

  it('falls back to the snippet when the story has no headline (Dow Jones text)', () => {
    const job = aDeliveryJob({ story: { ...aDeliveryJob().story, headline: '' } });
    expect(renderEmail(job, links).subject).toBe('[Wirewatch] Ports: The harbour strike ended on Friday.');
  });

  it('labels corrections and updates', () => {
    const job = aDeliveryJob({ story: { ...aDeliveryJob().story, status: 'correction' } });
    expect(renderEmail(job, links).text).toContain('Correction · Test Wire · 2026-01-02 03:04 UTC');
  });

  it('refuses a job without an address', () => {
    expect(() => renderEmail(aDeliveryJob({ destination: undefined }), links)).toThrow(/no e-mail address/);
  });
});
