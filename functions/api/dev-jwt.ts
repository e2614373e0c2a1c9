import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url } from '../core/security/base64url.ts';

/**
 * Development JWTs for the local stack only (HS256, issuer and audience `wirewatch-local`). In AWS the API
 * Gateway JWT authorizer checks Cognito's tokens instead and this code is not deployed.
 */
export const DEV_ISSUER = 'wirewatch-local';

export interface DevClaims {
  readonly sub: string;
  readonly email?: string;
  readonly iss: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
}

export type DevJwtCheck =
  | { readonly ok: true; readonly claims: DevClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-issuer' };

/** The key of dev tokens, derived from the local signing secret (so one secret configures the local stack). */
export function devJwtKey(signingSecret: string): Buffer {
  return createHmac('sha256', signingSecret).update('wirewatch local development jwt').digest();
}

export function signDevJwt(
  claims: { readonly sub: string; readonly email?: string },
  key: Buffer,
  options: { readonly nowSeconds?: number; readonly ttlSeconds?: number } = {},
): string {
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const payload: DevClaims = {
    ...claims,
    iss: DEV_ISSUER,
    aud: DEV_ISSUER,
    iat,
    exp: iat + (options.ttlSeconds ?? 7 * 24 * 3600),
  };
  const head = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

/**
 * The token of an `Authorization: Bearer <token>` header, or why there is none (for a 401): no header, another
 * scheme, or the scheme with no token after it.
 */
export function bearerToken(
  authorization: string | undefined,
): { readonly token: string } | { readonly problem: string } {
  const value = authorization?.trim() ?? '';
  if (value === '') return { problem: 'Sign in first: send the header Authorization: Bearer <token>.' };
  const [scheme = '', ...rest] = value.split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer') {
    return { problem: 'Send the token with the Bearer scheme: Authorization: Bearer <token>.' };
  }
  const token = rest.join(' ');
  if (token === '') {
    return {
      problem: 'The Authorization header says Bearer but carries no token: Authorization: Bearer <token>.',
    };
  }
  return { token };
}

export function verifyDevJwt(
  token: string,
  key: Buffer,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): DevJwtCheck {
  const parts = token.split('.');
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || !header || !payload || !signature || token.length > 4096)
    return { ok: false, reason: 'malformed' };
  const decodedHeader = decode(header);
  // Only HS256: never `none`, never an algorithm the token picks for itself.
  if (decodedHeader?.alg !== 'HS256') return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = decodeBase64Url(signature);
  if (given === undefined) return { ok: false, reason: 'malformed' };
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  const claims = decode(payload);
  if (
    claims === undefined ||
    typeof claims.sub !== 'string' ||
    claims.sub === '' ||
    typeof claims.exp !== 'number' ||
    typeof claims.iat !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.iss !== DEV_ISSUER || claims.aud !== DEV_ISSUER) return { ok: false, reason: 'wrong-issuer' };
  if (claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as unknown as DevClaims };
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(part: string): Record<string, unknown> | undefined {
  const json = decodeBase64Url(part);
  if (json === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(json.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
