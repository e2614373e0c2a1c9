import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../../functions/core/security/signed-token.ts';

const SECRET = 'a-signing-secret-of-at-least-32-bytes!';

describe('signed tokens', () => {
  const token = signToken({ purpose: 'unsubscribe', sub: 'sub-1', ch: 'email' }, SECRET);
  const [body, signature] = token.split('.') as [string, string];

  it('round-trips', () => {
    expect(verifyToken(token, SECRET, 'unsubscribe')).toEqual({
      ok: true,
      payload: { purpose: 'unsubscribe', sub: 'sub-1', ch: 'email' },
    });
  });

  it('refuses a padded or re-spelled signature or body, which decode to the same bytes', () => {
    for (const spelling of [
      `${body}.${signature}=`,
      `${body}==.${signature}`,
      `${body}.${signature.slice(0, -1)}/`,
      `${body}.${signature.slice(0, -1)}+`,
      `${body}.${signature} `,
    ]) {
      expect(verifyToken(spelling, SECRET, 'unsubscribe'), spelling).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });
});
