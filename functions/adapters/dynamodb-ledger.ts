import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DeliveryClaims } from '../core/pipeline/ports.ts';
import type { SuppressionList } from '../core/ports.ts';
import { suppressionKey } from '../core/subscriptions/ledger-keys.ts';

/**
 * Delivery claims and suppressions in the ledger table (partition key `pk`, TTL attribute `expiresAt`).
 *
 * A claim item is `{ pk: "delivery#<deliveryKey>", state: "sending" | "done", claimedAt, expiresAt }`. The
 * claim is a conditional put that succeeds when there is no item, when the item's TTL has passed (DynamoDB
 * deletes expired items only eventually), or when it is a `sending` claim older than the lease (its owner
 * died). Suppressions are `{ pk: "suppressed#<destination>", reason, suppressedAt }`, the key the
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
    options: { readonly ttlSeconds: number; readonly leaseSeconds: number },
  ): Promise<ClaimResult> {
    const now = this.nowSeconds();
    const pk = claimKey(key);
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, state: 'sending', claimedAt: now, expiresAt: now + options.ttlSeconds },
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
      if (!(error instanceof ConditionalCheckFailedException || isConditionalFailure(error))) throw error;
    }
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
    );
    // Gone since the put (released by its owner): someone is retrying; let the queue bring this copy back.
    return Item?.state === 'done' ? 'done' : 'in-flight';
  }

  async settle(key: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: claimKey(key) },
        UpdateExpression: 'SET #state = :done, settledAt = :now',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':now': this.nowSeconds() },
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: claimKey(key) } }));
  }
}

export function claimKey(deliveryKey: string): string {
  return `delivery#${deliveryKey}`;
}

function isConditionalFailure(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** Suppressed destinations in the ledger table. They never expire: an opt-out holds until lifted. */
export class DynamoDbSuppressionList implements SuppressionList {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isSuppressed(destination: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: suppressionKey(destination) },
        ProjectionExpression: 'pk',
      }),
    );
    return Item !== undefined;
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
