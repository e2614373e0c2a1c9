import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../definitions/resources.ts';
import type { SubscriptionLookup } from '../core/pipeline/ports.ts';
import type { Subscription } from '../core/subscriptions/subscription.ts';
import { batchGet } from './dynamodb-batch.ts';
import { fromItem } from './subscription-item.ts';

/**
 * Subscriptions by id as they stand now: BatchGetItem, strongly consistent (a change the stream just reported
 * is in what it reads), 100 keys a request. An item that is not a valid subscription is left out, as the
 * snapshot leaves it out, so a matcher takes it out too.
 */
export class DynamoDbSubscriptionLookup implements SubscriptionLookup {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async currentStates(ids: readonly string[]): Promise<ReadonlyMap<string, Subscription>> {
    const items = await batchGet(this.documents, this.tableName, ids, {
      consistentRead: true,
      keyAttribute: TABLES.subscriptions.partitionKey,
    });
    const states = new Map<string, Subscription>();
    for (const item of items) {
      const subscription = fromItem(item);
      if (subscription !== undefined) states.set(subscription.id, subscription);
    }
    return states;
  }
}
