import { signToken, type TokenCheck, verifyToken } from '../security/signed-token.ts';
import type { ChannelType } from './subscription.ts';

/**
 * The signed links Wirewatch sends. Alert e-mails carry an unsubscribe link (and the RFC 8058 headers) made
 * here; confirmation e-mails carry a confirm link. Both land on the public routes of the subscription API.
 */
export const CONFIRM_PURPOSE = 'confirm';
export const UNSUBSCRIBE_PURPOSE = 'unsubscribe';

/** Confirmation links work for 48 hours. */
export const CONFIRM_LINK_TTL_SECONDS = 48 * 60 * 60;

/** `ch` of a confirm token: the address it confirms, so that a link for an old address confirms nothing. */
export function confirmEmailToken(
  subscriptionId: string,
  address: string,
  secret: string,
  nowSeconds: number,
  ttlSeconds: number = CONFIRM_LINK_TTL_SECONDS,
): string {
  return signToken(
    { purpose: CONFIRM_PURPOSE, sub: subscriptionId, ch: `email:${address}`, exp: nowSeconds + ttlSeconds },
    secret,
  );
}

/** The address a verified confirm token is for, or undefined when the token holds none. */
export function confirmedAddress(check: TokenCheck): string | undefined {
  if (!check.ok || !check.payload.ch?.startsWith('email:')) return undefined;
  return check.payload.ch.slice('email:'.length);
}

/**
 * The unsubscribe token of one channel of a subscription: `sub` = subscription id, `ch` = channel type.
 * It does not expire: a link in an old alert must still work (RFC 8058).
 */
export function unsubscribeToken(subscriptionId: string, channel: ChannelType, secret: string): string {
  return signToken({ purpose: UNSUBSCRIBE_PURPOSE, sub: subscriptionId, ch: channel }, secret);
}

export function verifyUnsubscribeToken(token: string, secret: string, nowSeconds?: number): TokenCheck {
  return verifyToken(token, secret, UNSUBSCRIBE_PURPOSE, nowSeconds);
}

export function verifyConfirmToken(token: string, secret: string, nowSeconds?: number): TokenCheck {
  return verifyToken(token, secret, CONFIRM_PURPOSE, nowSeconds);
}

/** `https://api.example.com/confirm?token=...` (the base URL without a trailing slash is fine either way). */
export function confirmUrl(publicBaseUrl: string, token: string): string {
  return `${trimSlash(publicBaseUrl)}/confirm?token=${encodeURIComponent(token)}`;
}

/** The link for the body of an alert e-mail and for its `List-Unsubscribe` header. */
export function unsubscribeUrl(publicBaseUrl: string, token: string): string {
  return `${trimSlash(publicBaseUrl)}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** The RFC 8058 headers of an alert e-mail for this subscription channel. */
export function listUnsubscribeHeaders(
  publicBaseUrl: string,
  subscriptionId: string,
  channel: ChannelType,
  secret: string,
): Readonly<Record<string, string>> {
  const url = unsubscribeUrl(publicBaseUrl, unsubscribeToken(subscriptionId, channel, secret));
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
