import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../definitions/resources.ts';
import { provisionResources, standinClients } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';
import { streamFeeder, subscriptionsWritten } from '../../local/subscription-stream.ts';

describe('the local subscriptions stream', () => {
  it('names the subscriptions of every kind of write, and only on the subscriptions table', () => {
    const id = (value: string) => ({ id: { S: value } });
    expect(
      subscriptionsWritten('DynamoDB_20120810.PutItem', { TableName: 'subscriptions', Item: id('a') }),
    ).toEqual(['a']);
    expect(
      subscriptionsWritten('DynamoDB_20120810.UpdateItem', { TableName: 'subscriptions', Key: id('b') }),
    ).toEqual(['b']);
    expect(
      subscriptionsWritten('DynamoDB_20120810.DeleteItem', { TableName: 'ledger', Key: id('c') }),
    ).toEqual([]);
    expect(
      subscriptionsWritten('DynamoDB_20120810.BatchWriteItem', {
        RequestItems: {
          subscriptions: [{ PutRequest: { Item: id('d') } }, { DeleteRequest: { Key: id('e') } }],
          ledger: [{ PutRequest: { Item: { pk: { S: 'x' } } } }],
        },
      }),
    ).toEqual(['d', 'e']);
    expect(
      subscriptionsWritten('DynamoDB_20120810.TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'subscriptions', Item: id('f') } },
          { Delete: { TableName: 'ledger', Key: id('g') } },
        ],
      }),
    ).toEqual(['f']);
  });

  describe('against dynalite', () => {
    const written: string[][] = [];
    let standins: Standins;
    let documents: DynamoDBDocumentClient;
    let clients: ReturnType<typeof standinClients>;
    beforeAll(async () => {
      standins = await startStandins({ onSubscriptionWrite: (ids) => written.push(ids) });
      await provisionResources(standins, { visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
      clients = standinClients(standins);
      documents = DynamoDBDocumentClient.from(clients.dynamodb);
    });
    afterAll(async () => {
      for (const client of Object.values(clients ?? {})) client.destroy();
      await standins?.stop();
    });

    it('sees every successful write of any client, and not a conditional write that failed', async () => {
      const table = TABLES.subscriptions.name;
      await documents.send(new PutCommand({ TableName: table, Item: { id: 'a', query: 'x' } }));
      await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: { id: 'a' },
          UpdateExpression: 'SET #q = :q',
          ExpressionAttributeNames: { '#q': 'query' },
          ExpressionAttributeValues: { ':q': 'y' },
        }),
      );
      await expect(
        documents.send(
          new PutCommand({
            TableName: table,
            Item: { id: 'a' },
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        ),
      ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      await documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: [{ PutRequest: { Item: { id: 'b' } } }, { DeleteRequest: { Key: { id: 'a' } } }],
          },
        }),
      );
      await documents.send(new DeleteCommand({ TableName: table, Key: { id: 'b' } }));
      expect(written).toEqual([['a'], ['a'], ['b', 'a'], ['b']]);
    });
  });

  it('feeds batches in order, one at a time, and retries a failed batch from the record it failed on', async () => {
    const feeder = streamFeeder({ windowMs: 10, batchSize: 2, onError: () => undefined });
    const seen: string[][] = [];
    let failOnce = true;
    feeder.push(['a', 'b', 'c']);
    feeder.start(async (event: DynamoDBStreamEvent) => {
      const ids = event.Records.map((record) => record.dynamodb?.Keys?.id?.S ?? '');
      seen.push(ids);
      if (ids.includes('b') && failOnce) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber ?? '' }] };
      }
      return { batchItemFailures: [] };
    });
    feeder.push(['d']);
    await feeder.flushed();
    await feeder.stop();
    expect(seen).toEqual([['a', 'b'], ['b', 'c'], ['d']]);
  });
});
