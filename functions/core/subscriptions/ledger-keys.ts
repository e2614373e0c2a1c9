/**
 * Keys of the subscription items in the ledger table (`pk`), next to the notifier's delivery claims.
 * The notifier should skip a destination whose `suppressionKey` exists (an SMS opt-out).
 */
export function smsCodeKey(subscriptionId: string): string {
  return `sms-code#${subscriptionId}`;
}

export function rateKey(key: string, windowStart: number): string {
  return `rate#${key}#${windowStart}`;
}

/** `destination` is an E.164 number (or an e-mail address, lower-cased domain). */
export function suppressionKey(destination: string): string {
  return `suppressed#${normalizeDestination(destination)}`;
}

/** E-mail addresses with the domain lower-cased (the local part is the mailbox owner's business). */
function normalizeDestination(destination: string): string {
  const at = destination.lastIndexOf('@');
  if (at < 0) return destination;
  return `${destination.slice(0, at)}@${destination.slice(at + 1).toLowerCase()}`;
}
