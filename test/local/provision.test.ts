import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, QUEUES, TABLES } from '../../definitions/resources.ts';
import { fromItem } from '../../functions/adapters/subscription-item.ts';
import { provisionResources, standinClients } from '../../local/provision.ts';
import { LOCAL_OWNER, seedExampleSubscriptions } from '../../local/seed.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

describe('provisionResources', () => {
  let standins: Standins;
  let clients: ReturnType<typeof standinClients>;
  beforeAll(async () => {
    standins = await startStandins();
    clients = standinClients(standins);
  });
  afterAll(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await standins?.stop();
  });

  it('creates queues with dead-letter redrive, tables with their index, the topic and the bucket', async () => {
    const resources = await provisionResources(standins, { visibilityTimeoutSeconds: 3 });

    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resources.queues.stories.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('3');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: resources.queues.stories.deadLetter.arn,
      maxReceiveCount: QUEUES.stories.maxReceiveCount,
    });
    expect(resources.queues.stories.url).toBe(`${standins.endpoints.sqs}/000000000000/stories`);

    const { Table } = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: TABLES.subscriptions.name }),
    );
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byOwner']);
    await clients.s3.send(new HeadBucketCommand({ Bucket: resources.snapshotBucket }));
    expect(resources.alertsTopicArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:alerts$/);
    expect(resources.handlerEnv[ENV.deliveriesQueueUrl]).toBe(resources.queues.deliveries.url);
  });

  it('seeds the example subscriptions once per data folder, never over an existing one', async () => {
    const resources = await provisionResources(standins);
    const dataDir = await mkdtemp(join(tmpdir(), 'wirewatch-seed-'));
    try {
      expect(await seedExampleSubscriptions(clients.dynamodb, resources.tables.subscriptions, dataDir)).toBe(
        2,
      );
      expect(await seedExampleSubscriptions(clients.dynamodb, resources.tables.subscriptions, dataDir)).toBe(
        0,
      );
      // Without the marker (another data folder, same table), existing ids are left alone.
      expect(
        await seedExampleSubscriptions(clients.dynamodb, resources.tables.subscriptions, undefined),
      ).toBe(0);
      const { Item } = await DynamoDBDocumentClient.from(clients.dynamodb).send(
        new GetCommand({
          TableName: resources.tables.subscriptions,
          Key: { id: 'local-example-pena-nieto' },
        }),
      );
      const subscription = fromItem(Item ?? {});
      expect(subscription).toMatchObject({
        owner: LOCAL_OWNER,
        query: 'person:"Peña Nieto"',
        status: 'active',
      });
      expect(subscription?.channels).toContainEqual({
        type: 'email',
        address: 'desk@example.com',
        confirmed: true,
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('is idempotent, and a second run with other settings updates the queues in place', async () => {
    const first = await provisionResources(standins, { visibilityTimeoutSeconds: 3 });
    const again = await provisionResources(standins, { visibilityTimeoutSeconds: 3 });
    expect(again).toEqual(first);

    const changed = await provisionResources(standins, { visibilityTimeoutSeconds: 7, maxReceiveCount: 2 });
    expect(changed.queues).toEqual(first.queues);
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: changed.queues.deliveries.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('7');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}').maxReceiveCount).toBe(2);
  });
});
