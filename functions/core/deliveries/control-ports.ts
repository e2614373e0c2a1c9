/**
 * What delivery control (update policy, near-duplicate groups, kill notices) needs from the ledger, beside
 * the claims of ports.ts. functions/adapters/dynamodb-delivery-memory.ts implements it over the ledger table.
 */
import type { ChannelType } from '../subscriptions/subscription.ts';

/** The version of a story (and its text's fingerprint) last alerted under one delivery key. */
export interface AlertedVersion {
  readonly version: number;
  readonly fingerprint?: string | undefined;
}

/** Someone who received a story's alert, as a withdrawal notice needs them. */
export interface Recipient {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly channel: ChannelType;
  /** E-mail address or E.164 number; absent for the alerts topic. */
  readonly destination?: string | undefined;
}

/** A story that claimed a near-duplicate band first, within the window. */
export interface BandOwner {
  readonly storyId: string;
  readonly fingerprint: string;
}

export interface DeliveryMemory {
  /** Of `keys` (delivery keys of first alerts), what each last alerted; keys never alerted are left out. */
  alertedAmong(keys: readonly string[]): Promise<ReadonlyMap<string, AlertedVersion>>;
  /** Remembers what was alerted; an entry older than the version already remembered changes nothing. */
  rememberAlerted(
    entries: readonly (AlertedVersion & { readonly key: string })[],
    options: { readonly ttlSeconds: number },
  ): Promise<void>;

  /** Adds to the recipients of a story (several calls add up; a recipient added twice is kept once). */
  addRecipients(
    storyId: string,
    headline: string,
    recipients: readonly Recipient[],
    options: { readonly ttlSeconds: number },
  ): Promise<void>;
  /** Everyone a story's alert was sent to, with the headline they got; empty when nobody received it. */
  recipientsOf(storyId: string): Promise<{ readonly headline: string; readonly recipients: Recipient[] }>;

  /** The near-duplicate group a story was put in, if it was already resolved (and not expired). */
  groupOf(storyId: string): Promise<string | undefined>;
  /** Records a story's group unless one is recorded already; returns the one recorded (first writer wins). */
  setGroup(storyId: string, group: string, options: { readonly ttlSeconds: number }): Promise<string>;
  /** The stories that own these band keys (not expired). */
  bandOwners(bands: readonly string[]): Promise<ReadonlyMap<string, BandOwner>>;
  /** Claims the bands not owned yet for this story (the first story of a group owns its bands). */
  claimBands(
    bands: readonly string[],
    owner: BandOwner,
    options: { readonly ttlSeconds: number },
  ): Promise<void>;
}
