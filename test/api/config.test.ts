import { describe, expect, it } from 'vitest';
import { loadSigningSecret } from '../../functions/adapters/signing-secret.ts';
import { readApiConfig } from '../../functions/api/config.ts';
import { devJwtKey, signDevJwt, verifyDevJwt } from '../../functions/api/dev-jwt.ts';

const complete = {
  SUBSCRIPTIONS_TABLE_NAME: 'subs',
  LEDGER_TABLE_NAME: 'ledger',
  SENDER_ADDRESS: 'alerts@example.com',
  PUBLIC_BASE_URL: 'https://alerts.example.com/',
  SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
  ALLOWED_SMS_COUNTRIES: '+1,+44',
};

describe('API configuration from the environment', () => {
  it('reads a complete environment', () => {
    expect(readApiConfig(complete)).toMatchObject({
      subscriptionsTable: 'subs',
      publicBaseUrl: 'https://alerts.example.com',
      allowedSmsCountries: ['+1', '+44'],
      snapshotBucket: undefined,
    });
  });

  it('lists every problem in one message that says how to fix it', () => {
    expect(() =>
      readApiConfig({
        PUBLIC_BASE_URL: 'ftp://x',
        ALLOWED_SMS_COUNTRIES: '44',
        MAX_SUBSCRIPTIONS_PER_USER: 'many',
      }),
    ).toThrow(
      /SUBSCRIPTIONS_TABLE_NAME is not set.*LEDGER_TABLE_NAME is not set.*SENDER_ADDRESS is not set.*PUBLIC_BASE_URL must be an http\(s\) URL.*neither SIGNING_SECRET nor SIGNING_SECRET_ARN.*Invalid country calling code '44'.*MAX_SUBSCRIPTIONS_PER_USER must be a positive whole number.*Set these in the function's environment/,
    );
  });
});

describe("the page's sign-in settings", () => {
  it('reads the sign-in domain and client, trimming the URL', () => {
    const config = readApiConfig({
      ...complete,
      WEB_AUTH_URL: 'https://wirewatch-1.auth.eu-west-1.amazoncognito.com/',
      WEB_CLIENT_ID: '4l0ng1d',
      SMS_ORIGINATION_NUMBER: '+18885550123',
    });
    expect(config.webSignIn).toEqual({
      authUrl: 'https://wirewatch-1.auth.eu-west-1.amazoncognito.com',
      clientId: '4l0ng1d',
    });
    expect(config.smsOriginationNumber).toBe('+18885550123');
    expect(readApiConfig(complete).webSignIn).toBeUndefined();
  });

  it.each([
    [{ WEB_AUTH_URL: 'https://auth.example.com' }, /WEB_AUTH_URL and WEB_CLIENT_ID go together/],
    [{ WEB_CLIENT_ID: 'abc' }, /WEB_AUTH_URL and WEB_CLIENT_ID go together/],
    [{ WEB_AUTH_URL: 'javascript:alert(1)', WEB_CLIENT_ID: 'abc' }, /WEB_AUTH_URL must be an http\(s\) URL/],
    [
      { WEB_AUTH_URL: 'https://a.example.com', WEB_CLIENT_ID: 'a"b' },
      /WEB_CLIENT_ID must be an app client id/,
    ],
    [
      { SMS_ORIGINATION_NUMBER: 'TOLLFREE' },
      /SMS_ORIGINATION_NUMBER must be an E.164 number or a short code/,
    ],
  ])('refuses %j', (override, message) => {
    expect(() => readApiConfig({ ...complete, ...override })).toThrow(message);
  });
});

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
  });
});
