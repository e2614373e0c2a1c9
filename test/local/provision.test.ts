import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, QUEUES, TABLES } from '../../infra/definitions.ts';
import { provisionResources, standinClients } from '../../infra/local/provision.ts';
import { type Standins, startStandins } from '../../infra/local/standins.ts';

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
