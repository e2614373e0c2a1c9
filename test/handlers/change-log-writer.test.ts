import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANGE_LOG_PREFIX, ENV, SNAPSHOT_KEY } from '../../definitions/resources.ts';
import { DynamoDbPendingDigests } from '../../functions/adapters/dynamodb-digests.ts';
import { S3ChangeLog } from '../../functions/adapters/s3-change-log.ts';
import { S3SnapshotStore } from '../../functions/adapters/s3-snapshot-store.ts';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { parseDeliveryPreferences } from '../../functions/core/subscriptions/preferences.ts';
import { type LocalAws, startLocalAws } from '../adapters/support.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import { lambdaContext, subscriptionStreamEvent } from '../support/lambda-events.ts';
import { captureOutput, setEnv, setLocalHandlerEnv } from './support.ts';

type StreamHandler = (
  event: unknown,
  context: unknown,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let writer: StreamHandler;
let log: S3ChangeLog;

const write = (...changes: Parameters<typeof subscriptionStreamEvent>) =>
  writer(subscriptionStreamEvent(...changes), lambdaContext('change-log-writer'));

async function putSubscription(subscription: ReturnType<typeof aSubscription>): Promise<void> {
  await aws.documents.send(
    new PutCommand({ TableName: aws.resources.tables.subscriptions, Item: toItem(subscription) }),
  );
}

beforeAll(async () => {
  aws = await startLocalAws();
  restoreEnv = setLocalHandlerEnv(aws);
  output = captureOutput();
  vi.resetModules();
  writer = (await import('../../functions/handlers/change-log-writer.ts'))
    .handler as unknown as StreamHandler;
  log = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, CHANGE_LOG_PREFIX, { settleMs: 0 });
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('change-log writer handler (real SDK clients against the stand-ins)', () => {
  it('writes one segment a batch, each subscription as it stands now, and builds the first snapshot', async () => {
    const store = new S3SnapshotStore(aws.clients.s3, aws.resources.snapshotBucket, SNAPSHOT_KEY);
    expect(await store.exists()).toBe(false);
    await putSubscription(aSubscription({ id: 'a', query: 'fishing' }));
    await putSubscription(aSubscription({ id: 'b', query: 'quotas', status: 'paused' }));
    await putSubscription(aSubscription({ id: 'a', query: 'whaling' })); // edited since its first record

    expect(await write(['a', 'INSERT'], ['b', 'INSERT'], 'a', ['gone', 'REMOVE'])).toEqual({
      batchItemFailures: [],
    });
    const keys = await log.keysAfter(undefined, 10);
    expect(keys).toHaveLength(1);
    expect(await log.read(keys[0] ?? '')).toEqual([
      { kind: 'put', subscription: aSubscription({ id: 'a', query: 'whaling' }) },
      { kind: 'put', subscription: aSubscription({ id: 'b', query: 'quotas', status: 'paused' }) },
      { kind: 'remove', id: 'gone' },
    ]);
    // A new deployment has no snapshot: the first batch builds one for matchers to start from.
    expect(await store.read()).toMatchObject({
      kind: 'loaded',
      subscriptions: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'b' })],
      changesThrough: keys[0],
    });
    expect(output.logs('No subscriptions snapshot yet: built the first one')).toHaveLength(1);
    expect(output.metric('SubscriptionChanges')).toBe(3);
  });

  it('opens the next "no new stories" digest of a changed subscription that asked for it, and of no other', async () => {
    const emptyDigests = (id: string, sendEmpty: boolean) =>
      aSubscription({
        id,
        delivery: parseDeliveryPreferences({ timeZone: 'UTC', email: 'hourly', sendEmpty }),
      });
    await putSubscription(emptyDigests('empty-yes', true));
    await putSubscription(emptyDigests('empty-no', false));

    expect(await write(['empty-yes', 'INSERT'], ['empty-no', 'INSERT'])).toEqual({ batchItemFailures: [] });

    const pending = new DynamoDbPendingDigests(aws.documents, aws.resources.tables.digests);
    const opened: string[] = [];
    for await (const page of pending.dueWindows(Date.now() + 2 * 3_600_000, 100)) {
      opened.push(...page.map((window) => `${window.subscriptionId} ${window.destination}`));
    }
    expect(opened).toEqual(['empty-yes reader@example.com']);
  });

  it('writes the same states again when a batch is delivered again (applying twice changes nothing)', async () => {
    await aws.documents.send(
      new DeleteCommand({ TableName: aws.resources.tables.subscriptions, Key: { id: 'b' } }),
    );
    const event = subscriptionStreamEvent(['b', 'REMOVE'], 'a');
    const before = await log.latest();
    await writer(event, lambdaContext('change-log-writer'));
    await writer(event, lambdaContext('change-log-writer'));
    const [first, second] = await log.keysAfter(before, 10);
    expect(await log.read(second ?? '')).toEqual(await log.read(first ?? ''));
    expect(await log.read(first ?? '')).toEqual([
      { kind: 'remove', id: 'b' },
      { kind: 'put', subscription: aSubscription({ id: 'a', query: 'whaling' }) },
    ]);
    expect(output.logs('No subscriptions snapshot yet: built the first one')).toHaveLength(1);
  });

  it('skips a record that names no subscription, saying so, and writes nothing for a batch of only such', async () => {
    const before = await log.latest();
    const event = subscriptionStreamEvent('x');
    const record = event.Records[0];
    if (record?.dynamodb !== undefined) record.dynamodb.Keys = { pk: { S: 'not-a-subscription' } };
    expect(await writer(event, lambdaContext('change-log-writer'))).toEqual({ batchItemFailures: [] });
    expect(await log.latest()).toBe(before);
    expect(output.logs('Stream record without a subscription id; skipped')).toHaveLength(1);
  });

  it('reports the whole batch failed from its first record when the segment cannot be written', async () => {
    const restore = setEnv({ [ENV.snapshotBucket]: 'no-such-bucket' });
    vi.resetModules();
    const failing = (await import('../../functions/handlers/change-log-writer.ts'))
      .handler as unknown as StreamHandler;
    restore();
    const event = subscriptionStreamEvent('a', 'b');
    const result = await failing(event, lambdaContext('change-log-writer'));
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber }],
    });
    const [warning] = output.logs('Subscription changes not written; the stream retries the batch');
    expect(warning).toMatchObject({ level: 'WARN', records: 2, reason: expect.any(String) });
    expect(JSON.stringify(warning)).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
