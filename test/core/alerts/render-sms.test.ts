import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSms, SMS_SEGMENT_BYTES } from '../../../functions/core/alerts/render-sms.ts';
import { fitsOneSegment, gsm7Septets } from '../../../functions/core/alerts/sms-encoding.ts';
import { aDeliveryJob, isWellFormed } from './factories.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function smsJob(headline: string, url?: string, name = 'Ports') {
  const base = aDeliveryJob({ channel: 'sms', destination: '+14155550123' });
  return { ...base, story: { ...base.story, headline, url }, subscription: { ...base.subscription, name } };
}

describe('renderSms', () => {
  it('sends a short alert whole: subscription, matched term, source, time, title and link', () => {
    expect(renderSms(smsJob('Harbour strike ends', 'https://ex.example/s/42'))).toBe(
      'Wirewatch: Ports "harbour", Test Wire 03:04 UTC: Harbour strike ends https://ex.example/s/42',
    );
  });

  it('leaves out what the story does not have', () => {
    const job = smsJob('Harbour strike ends');
    const bare = {
      ...job,
      story: { ...job.story, source: undefined, publishedAt: undefined },
      matchedTerms: [],
    };
    expect(renderSms(bare)).toBe('Wirewatch: Ports: Harbour strike ends');
  });

  it('cuts a long ASCII headline to 140 bytes, keeping the link', () => {
    const text = renderSms(smsJob('Strike '.repeat(40), 'https://ex.example/s/42'));
    expect(bytes(text)).toBeLessThanOrEqual(SMS_SEGMENT_BYTES);
    expect(text).toMatch(
      /^Wirewatch: Ports "harbour", Test Wire 03:04 UTC: Strike .*\.\.\. https:\/\/ex\.example\/s\/42$/,
    );
    expect(bytes(text)).toBeGreaterThan(SMS_SEGMENT_BYTES - 10);
  });

  it('cuts multibyte text on a character boundary within one UCS-2 segment', () => {
    const text = renderSms(smsJob('Ação urgente: 港口罢工结束 😀😀😀 '.repeat(10)));
    expect(bytes(text)).toBeLessThanOrEqual(SMS_SEGMENT_BYTES);
    expect(isWellFormed(text)).toBe(true);
    expect(gsm7Septets(text)).toBeUndefined();
    expect(text.length).toBeLessThanOrEqual(70);
    expect(text.endsWith('...')).toBe(true);
  });

  it('turns typographic quotes and dashes into GSM-7 so that the message is not halved', () => {
    const text = renderSms(smsJob('“Strike” ends — port reopens’s gates'));
    expect(text).toBe(
      'Wirewatch: Ports "harbour", Test Wire 03:04 UTC: "Strike" ends - port reopens\'s gates',
    );
    expect(gsm7Septets(text)).toBeDefined();
  });

  it('drops a link that is too long rather than the headline', () => {
    const text = renderSms(smsJob('Harbour strike ends', `https://news.example.com/${'x'.repeat(80)}`));
    expect(text).toBe('Wirewatch: Ports "harbour", Test Wire 03:04 UTC: Harbour strike ends');
  });

  it('keeps every message in one segment, whatever the headline (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400, unit: 'grapheme' }),
        fc.string({ maxLength: 60 }),
        (headline, name) => {
          const text = renderSms(smsJob(headline, 'https://ex.example/s/1', name));
          expect(fitsOneSegment(text)).toBe(true);
          expect(isWellFormed(text)).toBe(true);
          expect(text).not.toMatch(/[\r\n]/);
          expect(text.startsWith('Wirewatch: ')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fitsOneSegment', () => {
  it('counts GSM-7 extension characters twice and switches to UCS-2 for other characters', () => {
    expect(gsm7Septets('a[b]')).toBe(6);
    expect(fitsOneSegment('[]'.repeat(40))).toBe(true); // 160 septets in 80 bytes
    expect(fitsOneSegment('['.repeat(81))).toBe(false); // 162 septets
    expect(fitsOneSegment('ж'.repeat(70))).toBe(true); // UCS-2: 70 units, 140 bytes of UTF-8
    expect(fitsOneSegment('ж'.repeat(71))).toBe(false);
    expect(fitsOneSegment('a'.repeat(141))).toBe(false); // GSM-7 would hold 160, the 140-byte bound does not
  });
});
