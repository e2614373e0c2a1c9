import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalescedReads } from '../../functions/adapters/dynamodb-coalesced-reads.ts';
import { DynamoDbDeliveryMemory } from '../../functions/adapters/dynamodb-delivery-memory.ts';
import { DynamoDbDeliveryClaims, DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-ledger.ts';
import { type LocalAws, startErrorServer, startLocalAws } from './support.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

const ttl = { ttlSeconds: 600 };

/** A document client on its own DynamoDB client (so its own coalescing reader), counting requests by command. */
function countingDocuments(endpoint: string): {
  documents: DynamoDBDocumentClient;
  counts: Map<string, number>;
} {
  const counts = new Map<string, number>();
  const client = new DynamoDBClient({
    endpoint,
    region: aws.standins.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'testRequestCounter' },
  );
  return { documents: DynamoDBDocumentClient.from(client), counts };
}

describe('coalescedReads (against the local DynamoDB)', () => {
  it("answers the claims', suppressions' and delivery memory's reads asked at once with one BatchGetItem", async () => {
    const table = aws.resources.tables.ledger;
    const writer = new DynamoDbDeliveryClaims(aws.documents, table);
    await writer.settle(['sub-1#email#story-c'], ttl);
    await writer.withdraw('story-killed', ttl);
    await new DynamoDbSuppressionList(aws.documents, table).suppress('gone@example.com', 'bounced');
    const writtenMemory = new DynamoDbDeliveryMemory(aws.documents, table);
    await writtenMemory.setGroup('story-c', 'story-a', ttl);
    await writtenMemory.claimBands(['band-1'], { storyId: 'story-a', fingerprint: 'm1.2.3' }, ttl);

    const { documents, counts } = countingDocuments(aws.standins.endpoints.dynamodb);
    const claims = new DynamoDbDeliveryClaims(documents, table);
    const suppressions = new DynamoDbSuppressionList(documents, table);
    const memory = new DynamoDbDeliveryMemory(documents, table);
    const [prior, suppressed, group, owners] = await Promise.all([
      claims.lookUp(['sub-1#email#story-c', 'sub-2#email#story-c'], ['story-c', 'story-killed']),
      suppressions.suppressedAmong(['gone@example.com', 'here@example.com']),
      memory.groupOf('story-c'),
      memory.bandOwners(['band-1', 'band-2']),
    ]);

    expect([...prior.settled]).toEqual(['sub-1#email#story-c']);
    expect([...prior.withdrawn]).toEqual(['story-killed']);
    expect([...suppressed]).toEqual(['gone@example.com']);
    expect(group).toBe('story-a');
    expect(Object.fromEntries(owners)).toEqual({ 'band-1': { storyId: 'story-a', fingerprint: 'm1.2.3' } });
    expect(Object.fromEntries(counts)).toEqual({ BatchGetItemCommand: 1 });

    // Reads one after another are requests of their own.
    await memory.groupOf('story-c');
    await claims.lookUp(['sub-1#email#story-c'], []);
    expect(Object.fromEntries(counts)).toEqual({ BatchGetItemCommand: 3 });
    documents.destroy();
  });

  it('splits a turn of more than 100 keys into BatchGetItem requests of 100', async () => {
    const table = aws.resources.tables.ledger;
    const { documents, counts } = countingDocuments(aws.standins.endpoints.dynamodb);
    const reads = coalescedReads(documents, table);
    expect(coalescedReads(documents, table)).toBe(reads);
    const keys = (prefix: string) => Array.from({ length: 70 }, (_, n) => `${prefix}-${n}`);
    const [first, second] = await Promise.all([reads.read(keys('none-a')), reads.read(keys('none-b'))]);
    expect(first.size + second.size).toBe(0);
    expect(counts.get('BatchGetItemCommand')).toBe(2);
    documents.destroy();
  });

  it('rejects every read of a turn whose request failed, with the error', async () => {
    const failing = await startErrorServer('InternalServerError', 500, 'injected fault');
    const { documents } = countingDocuments(failing.url);
    try {
      const reads = coalescedReads(documents, aws.resources.tables.ledger);
      const results = await Promise.allSettled([reads.read(['a']), reads.read(['b'])]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(failing.requests()).toBe(1);
    } finally {
      documents.destroy();
      await failing.close();
    }
  });
});
