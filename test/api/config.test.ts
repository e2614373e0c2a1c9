import { describe, expect, it } from 'vitest';
import { loadSigningSecret } from '../../functions/adapters/signing-secret.ts';
import { devJwtKey, signDevJwt, verifyDevJwt } from '../../functions/api/dev-jwt.ts';

describe('signing secret', () => {
  it('prefers the direct secret and otherwise reads the ARN once through the fetcher', async () => {
    const fetched: string[] = [];
    const fetcher = async (arn: string) => {
      fetched.push(arn);
      return 'from-secrets-manager';
    };
    expect(await loadSigningSecret({ SIGNING_SECRET: 'direct', SIGNING_SECRET_ARN: 'arn:x' }, fetcher)).toBe(
      'direct',
    );
    expect(fetched).toEqual([]);
    expect(await loadSigningSecret({ SIGNING_SECRET_ARN: 'arn:x' }, fetcher)).toBe('from-secrets-manager');
    expect(fetched).toEqual(['arn:x']);
    await expect(loadSigningSecret({}, fetcher)).rejects.toThrow(
      'Neither SIGNING_SECRET nor SIGNING_SECRET_ARN is set',
    );
    await expect(loadSigningSecret({ SIGNING_SECRET_ARN: 'arn:y' }, async () => ' ')).rejects.toThrow(
      'is empty',
    );
  });
});

describe('development JWTs (local stack only)', () => {
  const key = devJwtKey('local-secret-0123456789abcdef0123456789');

  it('round-trips and refuses expiry, other keys, other algorithms and tampering', () => {
    const token = signDevJwt({ sub: 'ana', email: 'ana@example.com' }, key, {
      nowSeconds: 1000,
      ttlSeconds: 60,
    });
    expect(verifyDevJwt(token, key, 1059)).toMatchObject({
      ok: true,
      claims: { sub: 'ana', email: 'ana@example.com' },
    });
    expect(verifyDevJwt(token, key, 1060)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyDevJwt(token, devJwtKey('another-secret-0123456789abcdef0123'), 1000)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const [, payload, signature] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.${signature}`;
    expect(verifyDevJwt(none, key, 1000)).toEqual({ ok: false, reason: 'malformed' });
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${token.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: 'root' })).toString('base64url')}.${signature}`;
    expect(verifyDevJwt(tampered, key, 1000)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyDevJwt('a.b', key)).toEqual({ ok: false, reason: 'malformed' });
    // Strict base64url: a padded signature decodes to the same bytes, and is refused all the same.
    expect(verifyDevJwt(`${token}=`, key, 1000)).toEqual({ ok: false, reason: 'malformed' });
  });
});
