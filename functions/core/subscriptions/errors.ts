/**
 * Why a subscription request cannot be done. Codes are stable (clients and tests switch on them); the message
 * is one sentence saying what is wrong and what to do. The HTTP layer maps codes onto status codes.
 */
export type SubscriptionErrorCode =
  /** The request is malformed or a field is invalid (`field`, and `position` for a query). */
  | 'invalid-input'
  /** No such subscription for this user (another user's subscription is also "not found"). */
  | 'not-found'
  /** A signed link is forged, expired, or for another purpose. */
  | 'invalid-token'
  /** The link was valid but what it points at changed (channel removed or address changed). */
  | 'link-stale'
  /** Too many subscriptions, or too many confirmation messages in a time window. */
  | 'limit-exceeded'
  /** Too many wrong SMS codes: a new code must be requested. */
  | 'too-many-attempts'
  /** The SMS code is wrong. */
  | 'wrong-code'
  /** No SMS code is pending, or it expired. */
  | 'no-pending-code'
  /** The destination opted out (SMS STOP); it must opt in again (START) first. */
  | 'opted-out'
  /** The request conflicts with the subscription's state (e.g. confirming a channel it does not have). */
  | 'conflict';

export class SubscriptionError extends Error {
  override readonly name = 'SubscriptionError';
  constructor(
    readonly code: SubscriptionErrorCode,
    message: string,
    readonly details: {
      readonly field?: string;
      readonly position?: number;
      readonly retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
  }
}

export function invalidInput(field: string, message: string, position?: number): SubscriptionError {
  return new SubscriptionError(
    'invalid-input',
    message,
    position === undefined ? { field } : { field, position },
  );
}
