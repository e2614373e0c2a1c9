import { PermanentSendError, TransientSendError } from '../ports.ts';

/** A deliveries-queue message that is not a valid message. Retrying cannot fix it: it belongs in the DLQ. */
export class InvalidDeliveryMessageError extends Error {
  override readonly name = 'InvalidDeliveryMessageError';
}

/**
 * Another copy of the job holds the claim and has not finished. Usually it finishes within a second; if its
 * worker died, the claim's lease runs out. Either way a short retry settles it (see the notifier's backoff).
 */
export class DeliveryInFlightError extends TransientSendError {}

/**
 * A permanent refusal by the sending service, whoever the destination (SES MessageRejected in the sandbox, an
 * unverified MAIL FROM domain, a suspended account): nothing changes until an operator acts, so the alert is
 * not settled but kept where the operator sees it (the notifier records it in the deliveries dead-letter queue,
 * from which `wirewatch dlq --redrive` sends it again once fixed).
 */
export class SenderRejectedError extends PermanentSendError {
  /** (`name` stays `PermanentSendError`: the base class fixes it.) */
  readonly senderRejected = true;
}

/**
 * A permanent failure caused by the destination itself (invalid number, opted out at the carrier, address
 * that does not exist): the notifier suppresses the destination so that no later alert tries it again.
 */
export class DestinationRejectedError extends PermanentSendError {
  /** The destination to suppress. (`name` stays `PermanentSendError`: the base class fixes it.) */
  readonly destinationRejected = true;
}
