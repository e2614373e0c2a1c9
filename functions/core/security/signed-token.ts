import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url } from './base64url.ts';

/**
 * Compact signed tokens for links in e-mails (unsubscribe, confirm): `base64url(json).base64url(hmac)`.
 * HMAC-SHA256 over the payload part; compared in constant time. No encryption: payloads hold ids, not secrets.
 */
export interface TokenPayload {
  /** What the token allows, e.g. `unsubscribe` or `confirm`; a token for one purpose never works for another. */
  readonly purpose: string;
  /** Subject of the action, e.g. a subscription id. */
  readonly sub: string;
  /** Extra claim, e.g. the channel. */
  readonly ch?: string;
  /** Expiry, epoch seconds; absent = does not expire. */
  readonly exp?: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly payload: TokenPayload }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

const MIN_SECRET_BYTES = 32;

function assertSecret(secret: string): void {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new Error(
      `Signing secret is too short (${Buffer.byteLength(secret)} bytes): use at least ${MIN_SECRET_BYTES} random bytes.`,
    );
  }
}

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signToken(payload: TokenPayload, secret: string): string {
  assertSecret(secret);
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export function verifyToken(
  token: string,
  secret: string,
  purpose: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): TokenCheck {
  assertSecret(secret);
  const parts = token.split('.');
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature || token.length > 2048)
    return { ok: false, reason: 'malformed' };
  // Strict base64url: one spelling per token (no padding, no other alphabet), checked before the signature.
  const json = decodeBase64Url(body);
  const given = decodeBase64Url(signature);
  if (json === undefined || given === undefined) return { ok: false, reason: 'malformed' };
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isPayload(payload)) return { ok: false, reason: 'malformed' };
  if (payload.purpose !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (payload.exp !== undefined && payload.exp < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}

function isPayload(value: unknown): value is TokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.purpose === 'string' &&
    typeof record.sub === 'string' &&
    (record.ch === undefined || typeof record.ch === 'string') &&
    (record.exp === undefined || typeof record.exp === 'number')
  );
}
