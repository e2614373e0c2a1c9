import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DeliveryClaims, PriorDeliveries } from '../core/deliveries/ports.ts';
import type { SuppressionList } from '../core/ports.ts';
import { suppressionKey } from '../core/subscriptions/ledger-keys.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { batchPut } from './dynamodb-batch.ts';
import { coalescedReads } from './dynamodb-coalesced-reads.ts';

/**
 * Delivery claims and suppressions in the ledger table (partition key `pk`, TTL attribute `expiresAt`).
 *
 * A claim item is `{ pk: "delivery#<key>", state: "sending" | "done", token, claimedAt, expiresAt }`, the key
 * an alert's `deliveryKey` or, for the channels of one match claimed together, their `matchClaimKey`.
 * The claim is a conditional put that succeeds when there is no item, when the item's TTL has passed (DynamoDB
 * deletes expired items only eventually), or when it is a `sending` claim older than the lease (its owner
 * died). A release deletes the claim only while it is `sending` with the releaser's token. A kill is
 * `{ pk: "withdrawn#<storyId>", withdrawnAt, expiresAt }`. Suppressions are `{ pk: "suppressed#<destination>", reason, suppressedAt }`, the key the
 * subscription service also writes on an SMS STOP reply.
 */
export class DynamoDbDeliveryClaims implements DeliveryClaims {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async claim(
    key: string,
    options: { readonly ttlSeconds: number; readonly leaseSeconds: number; readonly token: string },
  ): Promise<ClaimResult> {
    const now = this.nowSeconds();
    const pk = claimKey(key);
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk,
            state: 'sending',
            token: options.token,
            claimedAt: now,
            expiresAt: now + options.ttlSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :sending AND claimedAt < :staleBefore)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':now': now,
            ':sending': 'sending',
            ':staleBefore': now - options.leaseSeconds,
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
    );
    // Gone since the put (released by its owner): someone is retrying; let the queue bring this copy back.
    return Item?.state === 'done' ? 'done' : 'in-flight';
  }

  async lookUp(keys: readonly string[], storyIds: readonly string[]): Promise<PriorDeliveries> {
    const now = this.nowSeconds();
    // Claims and tombstones share the table: one BatchGetItem (per 100 keys) answers both, and whatever else
    // is read at the same moment (coalescedReads).
    const items = await coalescedReads(this.documents, this.tableName).read([
      ...keys.map(claimKey),
      ...storyIds.map(withdrawnKey),
    ]);
    const settled = new Set<string>();
    const withdrawn = new Set<string>();
    for (const [pk, item] of items) {
      if (typeof item.expiresAt === 'number' && item.expiresAt < now) continue;
      if (pk.startsWith(CLAIM_PREFIX)) {
        if (item.state === 'done') settled.add(pk.slice(CLAIM_PREFIX.length));
      } else if (pk.startsWith(WITHDRAWN_PREFIX)) withdrawn.add(pk.slice(WITHDRAWN_PREFIX.length));
    }
    return { settled, withdrawn };
  }

  async settle(keys: readonly string[], options: { readonly ttlSeconds: number }): Promise<void> {
    const now = this.nowSeconds();
    // A whole item rather than an update, so that many settle in one BatchWriteItem.
    await batchPut(
      this.documents,
      this.tableName,
      keys.map((key) => ({
        pk: claimKey(key),
        state: 'done',
        settledAt: now,
        expiresAt: now + options.ttlSeconds,
      })),
    );
  }

  async release(keys: readonly string[], token: string): Promise<void> {
    // One conditional delete each (BatchWriteItem takes no conditions); releases follow failures only.
    const results = await Promise.allSettled(
      keys.map((key) =>
        this.documents.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: claimKey(key) },
            ConditionExpression: '#state = :sending AND #token = :token',
            ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
            ExpressionAttributeValues: { ':sending': 'sending', ':token': token },
          }),
        ),
      ),
    );
    const failure = results.find(
      (result): result is PromiseRejectedResult =>
        result.status === 'rejected' && !isConditionalCheckFailed(result.reason),
    );
    if (failure !== undefined) throw failure.reason;
  }

  async withdraw(storyId: string, options: { readonly ttlSeconds: number }): Promise<void> {
    const now = this.nowSeconds();
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: withdrawnKey(storyId), withdrawnAt: now, expiresAt: now + options.ttlSeconds },
      }),
    );
  }
}

const CLAIM_PREFIX = 'delivery#';

export function claimKey(deliveryKey: string): string {
  return `${CLAIM_PREFIX}${deliveryKey}`;
}

const WITHDRAWN_PREFIX = 'withdrawn#';

function withdrawnKey(storyId: string): string {
  return `${WITHDRAWN_PREFIX}${storyId}`;
}

/** Suppressed destinations in the ledger table. They never expire: an opt-out holds until lifted. */
export class DynamoDbSuppressionList implements SuppressionList {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async suppressedAmong(destinations: readonly string[]): Promise<ReadonlySet<string>> {
    // Two spellings of one address (domain case) share a key.
    const byKey = new Map<string, string[]>();
    for (const destination of destinations) {
      const key = suppressionKey(destination);
      byKey.set(key, [...(byKey.get(key) ?? []), destination]);
    }
    // Strongly consistent: an SMS sent right after a STOP reply must not go out.
    const items = await coalescedReads(this.documents, this.tableName).read([...byKey.keys()]);
    const suppressed = new Set<string>();
    for (const pk of items.keys()) {
      for (const destination of byKey.get(pk) ?? []) suppressed.add(destination);
    }
    return suppressed;
  }

  async suppress(destination: string, reason: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: suppressionKey(destination),
          reason: reason.slice(0, 500),
          suppressedAt: this.now().toISOString(),
        },
      }),
    );
  }
}
