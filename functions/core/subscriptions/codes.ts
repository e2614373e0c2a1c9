import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** SMS confirmation codes: 6 random digits, stored only as an HMAC bound to the subscription and number. */
export const SMS_CODE_PATTERN = /^[0-9]{6}$/;

export function newSmsCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function hashSmsCode(secret: string, subscriptionId: string, phone: string, code: string): string {
  return createHmac('sha256', secret)
    .update(`sms-code\n${subscriptionId}\n${phone}\n${code}`)
    .digest('base64url');
}

export function smsCodeMatches(
  secret: string,
  subscriptionId: string,
  phone: string,
  code: string,
  storedHash: string,
): boolean {
  const given = Buffer.from(hashSmsCode(secret, subscriptionId, phone, code));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}
