import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../definitions/resources.ts';
import type { SubscriptionRepository } from '../core/subscriptions/ports.ts';
import type { Subscription } from '../core/subscriptions/subscription.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { fromItem, toItem } from './subscription-item.ts';

const BY_OWNER = TABLES.subscriptions.globalIndexes[0].name;

/**
 * The subscriptions table (key `id`, index `byOwner` on owner + createdAt) through the shared item codec.
 * Writes are conditional: `create` never overwrites, `replace` only succeeds on the version that was read.
 */
export class DynamoSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Subscription | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item);
  }

  /** Through the index: eventually consistent in AWS (a write may take a moment to show here). */
  async listByOwner(owner: string): Promise<readonly Subscription[]> {
    const subscriptions: Subscription[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: BY_OWNER,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const subscription = fromItem(item);
        if (subscription !== undefined) subscriptions.push(subscription);
      }
    }
    return subscriptions;
  }

  async create(subscription: Subscription): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(subscription),
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  async replace(subscription: Subscription, expectedUpdatedAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(subscription),
          ConditionExpression: 'updatedAt = :expected',
          ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id } }));
  }

  /** A full scan: only for SMS opt-outs, which are rare; the table has no index on phone numbers. */
  async findByPhone(phone: string): Promise<readonly Subscription[]> {
    const found: Subscription[] = [];
    for await (const page of paginateScan({ client: this.client }, { TableName: this.tableName })) {
      for (const item of page.Items ?? []) {
        const subscription = fromItem(item);
        if (subscription?.channels.some((c) => c.type === 'sms' && c.phone === phone))
          found.push(subscription);
      }
    }
    return found;
  }
}
