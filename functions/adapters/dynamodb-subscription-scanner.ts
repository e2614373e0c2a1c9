import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionScanner } from '../core/pipeline/ports.ts';
import type { Subscription } from '../core/subscriptions/subscription.ts';
import { fromItem } from './subscription-item.ts';

/**
 * Every subscription in the subscriptions table, by a paginated Scan (1 MB a page). Items that are not valid
 * subscriptions are counted and skipped, never fatal: one corrupt item must not stop every alert.
 */
export class DynamoDbSubscriptionScanner implements SubscriptionScanner {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Items per Scan page; default: as many as fit in DynamoDB's 1 MB page. */
    private readonly pageSize?: number,
  ) {}

  async scanAll(): Promise<{ subscriptions: Subscription[]; skipped: number }> {
    const subscriptions: Subscription[] = [];
    let skipped = 0;
    // Strongly consistent: a change that triggered this rebuild must be in it.
    const pages = paginateScan(
      { client: this.documents, pageSize: this.pageSize },
      { TableName: this.tableName, ConsistentRead: true },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const subscription = fromItem(item);
        if (subscription === undefined) skipped++;
        else subscriptions.push(subscription);
      }
    }
    return { subscriptions, skipped };
  }
}
