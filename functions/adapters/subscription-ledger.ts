import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { rateKey, smsCodeKey, suppressionKey } from '../core/subscriptions/ledger-keys.ts';
import type { ConfirmationLedger, PendingSmsCode } from '../core/subscriptions/ports.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';

/**
 * The subscription API's items in the ledger table (`pk`, TTL on `expiresAt`): pending SMS codes, rate-limit
 * counters per fixed window, and SMS opt-out suppressions. TTL deletion is lazy (up to days late in AWS, never
 * in dynalite), so every read checks `expiresAt` itself and counters are keyed by their window.
 */
export class DynamoConfirmationLedger implements ConfirmationLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putSmsCode(code: PendingSmsCode): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: smsCodeKey(code.subscriptionId), ...code } }),
    );
  }

  async getSmsCode(subscriptionId: string): Promise<PendingSmsCode | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: smsCodeKey(subscriptionId) },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    const { phone, codeHash, attempts, expiresAt } = Item;
    if (
      typeof phone !== 'string' ||
      typeof codeHash !== 'string' ||
      typeof attempts !== 'number' ||
      typeof expiresAt !== 'number'
    ) {
      return undefined;
    }
    return { subscriptionId, phone, codeHash, attempts, expiresAt };
  }

  async addSmsCodeAttempt(subscriptionId: string): Promise<number> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: smsCodeKey(subscriptionId) },
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts = Attributes?.attempts;
      return typeof attempts === 'number' ? attempts : Number.POSITIVE_INFINITY;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return Number.POSITIVE_INFINITY;
      throw error;
    }
  }

  async deleteSmsCode(subscriptionId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: smsCodeKey(subscriptionId) } }),
    );
  }

  async consume(key: string, limit: number, windowSeconds: number, nowSeconds: number): Promise<boolean> {
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: rateKey(key, windowStart) },
          UpdateExpression: 'SET expiresAt = :expires ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + windowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async isSuppressed(destination: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: suppressionKey(destination) },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async suppress(destination: string, reason: string, nowSeconds: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: suppressionKey(destination),
          destination,
          reason,
          suppressedAt: new Date(nowSeconds * 1000).toISOString(),
        },
      }),
    );
  }

  async unsuppress(destination: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: suppressionKey(destination) } }),
    );
  }
}
