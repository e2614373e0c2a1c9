import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AlertedVersion,
  BandOwner,
  DeliveryMemory,
  Recipient,
} from '../core/deliveries/control-ports.ts';
import type { ChannelType } from '../core/subscriptions/subscription.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { batchPut } from './dynamodb-batch.ts';
import { coalescedReads } from './dynamodb-coalesced-reads.ts';

/**
 * Delivery control's items in the ledger table (partition key `pk`, TTL attribute `expiresAt`; expired items
 * are treated as absent, since DynamoDB deletes them only eventually):
 * - `alerted#<deliveryKey>`: `{ version, fingerprint }`, the version last alerted under a first-alert key.
 * - `recipients#<storyId>#<shard>`: `{ headline, recipients: string set }`, each recipient a JSON array
 *   `[subscriptionId, subscriptionName, channel, destination]`. A message's recipients go to one of
 *   RECIPIENT_SHARDS items (by its first subscription id): one UpdateItem per message of up to 50 alerts, and
 *   a story's whole audience in one BatchGetItem. Cheaper than a GSI on the claims, which would copy every
 *   claim and settle write (two per alert) for the rare kill. Each shard holds up to 400 KB: about 4,000
 *   recipients, some 60,000 for a story.
 * - `neargroup#<storyId>`: `{ group }`, the story's near-duplicate group, first writer wins.
 * - `nearband#<band>`: `{ storyId, fingerprint }`, the first story of a group that owns an LSH band.
 */
export class DynamoDbDeliveryMemory implements DeliveryMemory {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async alertedAmong(keys: readonly string[]): Promise<ReadonlyMap<string, AlertedVersion>> {
    const items = await this.live(keys.map((key) => `${ALERTED}${key}`));
    const found = new Map<string, AlertedVersion>();
    for (const item of items) {
      if (typeof item.version !== 'number') continue;
      const fingerprint = typeof item.fingerprint === 'string' ? item.fingerprint : undefined;
      found.set(String(item.pk).slice(ALERTED.length), { version: item.version, fingerprint });
    }
    return found;
  }

  async rememberAlerted(
    entries: readonly (AlertedVersion & { readonly key: string })[],
    options: { readonly ttlSeconds: number },
  ): Promise<void> {
    const now = this.nowSeconds();
    // Conditional (a late, older version must not overwrite a newer one), hence one write each.
    await Promise.all(
      entries.map((entry) =>
        this.documents
          .send(
            new PutCommand({
              TableName: this.tableName,
              Item: {
                pk: `${ALERTED}${entry.key}`,
                version: entry.version,
                ...(entry.fingerprint === undefined ? {} : { fingerprint: entry.fingerprint }),
                expiresAt: now + options.ttlSeconds,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR version < :version OR expiresAt < :now',
              ExpressionAttributeValues: { ':version': entry.version, ':now': now },
            }),
          )
          .catch((error: unknown) => {
            if (!isConditionalCheckFailed(error)) throw error;
          }),
      ),
    );
  }

  async addRecipients(
    storyId: string,
    headline: string,
    recipients: readonly Recipient[],
    options: { readonly ttlSeconds: number },
  ): Promise<void> {
    const first = recipients[0];
    if (first === undefined) return;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `${RECIPIENTS}${storyId}#${shardOf(first.subscriptionId)}` },
        UpdateExpression:
          'ADD recipients :recipients SET headline = if_not_exists(headline, :headline), expiresAt = :expiresAt',
        ExpressionAttributeValues: {
          ':recipients': new Set(recipients.map(encodeRecipient)),
          ':headline': headline.slice(0, 1000),
          ':expiresAt': this.nowSeconds() + options.ttlSeconds,
        },
      }),
    );
  }

  async recipientsOf(
    storyId: string,
  ): Promise<{ readonly headline: string; readonly recipients: Recipient[] }> {
    const keys = Array.from({ length: RECIPIENT_SHARDS }, (_, shard) => `${RECIPIENTS}${storyId}#${shard}`);
    const items = await this.live(keys);
    const recipients: Recipient[] = [];
    let headline = '';
    for (const item of items) {
      if (typeof item.headline === 'string' && headline === '') headline = item.headline;
      if (!(item.recipients instanceof Set)) continue;
      for (const entry of item.recipients) {
        const recipient = decodeRecipient(entry);
        if (recipient !== undefined) recipients.push(recipient);
      }
    }
    return { headline, recipients };
  }

  async groupOf(storyId: string): Promise<string | undefined> {
    const [item] = await this.live([`${GROUP}${storyId}`]);
    return typeof item?.group === 'string' ? item.group : undefined;
  }

  async setGroup(storyId: string, group: string, options: { readonly ttlSeconds: number }): Promise<string> {
    const now = this.nowSeconds();
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `${GROUP}${storyId}`, group, expiresAt: now + options.ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return group;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return (await this.groupOf(storyId)) ?? group;
  }

  async bandOwners(bands: readonly string[]): Promise<ReadonlyMap<string, BandOwner>> {
    const items = await this.live(bands.map((band) => `${BAND}${band}`));
    const owners = new Map<string, BandOwner>();
    for (const item of items) {
      if (typeof item.storyId !== 'string' || typeof item.fingerprint !== 'string') continue;
      owners.set(String(item.pk).slice(BAND.length), {
        storyId: item.storyId,
        fingerprint: item.fingerprint,
      });
    }
    return owners;
  }

  async claimBands(
    bands: readonly string[],
    owner: BandOwner,
    options: { readonly ttlSeconds: number },
  ): Promise<void> {
    const expiresAt = this.nowSeconds() + options.ttlSeconds;
    await batchPut(
      this.documents,
      this.tableName,
      bands.map((band) => ({ pk: `${BAND}${band}`, ...owner, expiresAt })),
    );
  }

  /**
   * The items of these keys that exist and have not expired (strongly consistent; in one BatchGetItem with
   * whatever else is read from the ledger at the same moment: coalescedReads).
   */
  private async live(pks: readonly string[]): Promise<Record<string, unknown>[]> {
    const items = await coalescedReads(this.documents, this.tableName).read([...new Set(pks)]);
    return [...items.values()].filter((item) => !this.expired(item));
  }

  private expired(item: Record<string, unknown>): boolean {
    return typeof item.expiresAt === 'number' && item.expiresAt < this.nowSeconds();
  }
}

const ALERTED = 'alerted#';
const RECIPIENTS = 'recipients#';
const GROUP = 'neargroup#';
const BAND = 'nearband#';
export const RECIPIENT_SHARDS = 16;
const CHANNELS: readonly string[] = ['email', 'sms', 'sns'] satisfies readonly ChannelType[];

function shardOf(subscriptionId: string): number {
  return createHash('sha1').update(subscriptionId).digest().readUInt16BE(0) % RECIPIENT_SHARDS;
}

function encodeRecipient(recipient: Recipient): string {
  return JSON.stringify([
    recipient.subscriptionId,
    recipient.subscriptionName,
    recipient.channel,
    recipient.destination ?? '',
  ]);
}

function decodeRecipient(entry: unknown): Recipient | undefined {
  if (typeof entry !== 'string') return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(entry);
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string')) return undefined;
  const [subscriptionId, subscriptionName, channel, destination] = fields as string[];
  if (subscriptionId === undefined || subscriptionName === undefined || !CHANNELS.includes(channel ?? '')) {
    return undefined;
  }
  return {
    subscriptionId,
    subscriptionName,
    channel: channel as ChannelType,
    destination: destination === '' || destination === undefined ? undefined : destination,
  };
}
