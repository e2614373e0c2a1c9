import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from '../../../functions/core/security/base64url.ts';

describe('decodeBase64Url', () => {
  it('decodes canonical unpadded base64url', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x10, 0x3e]);
    expect(decodeBase64Url(bytes.toString('base64url'))).toEqual(bytes);
    expect(decodeBase64Url('')).toEqual(Buffer.alloc(0));
  });

  it.each([
    ['padding', 'YQ=='],
    ['the standard alphabet', '-_+/'],
    ['spaces', 'YW Jj'],
    ['an impossible length', 'YWJjZ'],
    ['stray bits in the last character', 'YR'],
  ])('refuses %s', (_label, text) => {
    expect(decodeBase64Url(text)).toBeUndefined();
  });
});
