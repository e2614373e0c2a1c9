/** Example subscriptions for a first local start, so that a dropped story alerts at once. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../functions/adapters/aws-errors.ts';
import { toItem } from '../functions/adapters/subscription-item.ts';
import type { Subscription } from '../functions/core/subscriptions/subscription.ts';

export const LOCAL_OWNER = 'local-dev';
export const EXAMPLE_EMAIL = 'desk@example.com';
export const EXAMPLE_PHONE = '+14155550100';

/** The examples: confirmed channels (e-mail, SMS, the alerts topic), active, owned by `local-dev`. */
export function exampleSubscriptions(now: Date = new Date()): Subscription[] {
  const at = now.toISOString();
  const common = { owner: LOCAL_OWNER, status: 'active', createdAt: at, updatedAt: at } as const;
  return [
    {
      ...common,
      id: 'local-example-deportation',
      name: 'Deportation',
      query: 'deportation',
      channels: [
        { type: 'email', address: EXAMPLE_EMAIL, confirmed: true },
        { type: 'sms', phone: EXAMPLE_PHONE, confirmed: true },
        { type: 'sns', confirmed: true },
      ],
    },
    {
      ...common,
      id: 'local-example-pena-nieto',
      name: 'Peña Nieto',
      query: 'person:"Peña Nieto"',
      channels: [
        { type: 'email', address: EXAMPLE_EMAIL, confirmed: true },
        { type: 'sns', confirmed: true },
      ],
    },
  ];
}

/**
 * Writes the examples once per data folder (a marker file remembers it, so deleting them sticks) and never
 * overwrites a subscription with the same id. Returns how many were written.
 */
export async function seedExampleSubscriptions(
  dynamodb: DynamoDBClient,
  tableName: string,
  dataDir: string | undefined,
): Promise<number> {
  const marker = dataDir === undefined ? undefined : join(dataDir, 'seeded');
  if (marker !== undefined && existsSync(marker)) return 0;
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  let written = 0;
  for (const subscription of exampleSubscriptions()) {
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(subscription),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      written++;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  if (marker !== undefined && dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(marker, `${new Date().toISOString()}\n`);
  }
  return written;
}
