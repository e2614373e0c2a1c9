import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CadenceSwitch } from '../core/digests/ports.ts';
import { type Cadence, formatCadence } from '../core/subscriptions/preferences.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';

/**
 * The daily cap's switch on the subscriptions table: one conditional `UpdateItem` of `delivery.email` (and
 * `updatedAt`, so that an edit read before it fails its own condition and is made again on the new state).
 * It touches only `id`, `delivery` and `updatedAt`: the notifier's IAM grant allows no other attribute.
 */
export class DynamoDbCadenceSwitch implements CadenceSwitch {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async switchToDaily(
    subscriptionId: string,
    daily: Extract<Cadence, { kind: 'daily' }>,
    now: number,
  ): Promise<'switched' | 'unchanged'> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: subscriptionId },
          UpdateExpression: 'SET #delivery.#email = :daily, #updatedAt = :now',
          // No `email` in stored preferences reads as immediate.
          ConditionExpression:
            'attribute_exists(#delivery) AND (attribute_not_exists(#delivery.#email) OR #delivery.#email IN (:immediate, :daily))',
          ExpressionAttributeNames: { '#delivery': 'delivery', '#email': 'email', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: {
            ':daily': formatCadence(daily),
            ':immediate': formatCadence({ kind: 'immediate' }),
            ':now': new Date(now).toISOString(),
          },
        }),
      );
      return 'switched';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'unchanged';
      throw error;
    }
  }
}
