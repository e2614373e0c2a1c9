import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ChangeLog } from '../../functions/adapters/s3-change-log.ts';
import { S3SnapshotStore } from '../../functions/adapters/s3-snapshot-store.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import { type LocalAws, startLocalAws } from './support.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

describe('S3ChangeLog', () => {
  it('writes segments that list in the order they were written and read back as written', async () => {
    let now = 1_000;
    const log = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, 'test/changes-a/', {
      now: () => now,
      settleMs: 0,
    });
    expect(await log.latest()).toBeUndefined();
    expect(await log.keysAfter(undefined, 10)).toEqual([]);
    const first = await log.append([
      { kind: 'put', subscription: aSubscription({ id: 'a', query: 'fishing' }) },
    ]);
    now = 2_000;
    const second = await log.append([
      { kind: 'remove', id: 'a' },
      { kind: 'put', subscription: aSubscription({ id: 'b', status: 'paused' }) },
    ]);
    now = 10_000;
    const third = await log.append([]);
    expect(await log.keysAfter(undefined, 10)).toEqual([first, second, third]);
    expect(await log.keysAfter(first, 10)).toEqual([second, third]);
    expect(await log.keysAfter(undefined, 2)).toEqual([first, second]);
    expect(await log.latest()).toBe(third);
    expect(await log.read(first)).toEqual([
      { kind: 'put', subscription: aSubscription({ id: 'a', query: 'fishing' }) },
    ]);
    expect(await log.read(second)).toEqual([
      { kind: 'remove', id: 'a' },
      { kind: 'put', subscription: aSubscription({ id: 'b', status: 'paused' }) },
    ]);
  });

  it('pages through more than one listing page', async () => {
    let now = 0;
    const log = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, 'test/changes-b/', {
      now: () => now++,
      pageSize: 2,
      settleMs: 0,
    });
    const keys: string[] = [];
    for (let i = 0; i < 7; i++) keys.push(await log.append([{ kind: 'remove', id: `s${i}` }]));
    expect(await log.keysAfter(undefined, 100)).toEqual(keys);
    expect(await log.keysAfter(keys[1], 3)).toEqual(keys.slice(2, 5));
    expect(await log.latest()).toBe(keys[6]);
  });

  it('lists a key only once it is older than the settling time, and writes again a segment whose write was slow', async () => {
    let now = 100_000;
    let slowPuts = 0;
    const log = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, 'test/changes-d/', {
      now: () => now,
      settleMs: 5_000,
    });
    const everything = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, 'test/changes-d/', {
      settleMs: 0,
    });
    aws.clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'PutObjectCommand' && slowPuts > 0) {
          slowPuts--;
          now += 6_000; // slower than the settling time
        }
        return result;
      },
      { step: 'initialize', name: 'slowPuts' },
    );
    try {
      const first = await log.append([{ kind: 'remove', id: 'a' }]);
      expect(await log.keysAfter(undefined, 10)).toEqual([]); // too fresh: an earlier one may still come
      expect(await log.latest()).toBe(first); // a compaction names it all the same
      now += 5_001;
      expect(await log.keysAfter(undefined, 10)).toEqual([first]);

      slowPuts = 1;
      const second = await log.append([{ kind: 'remove', id: 'b' }]);
      const written = await everything.keysAfter(first, 10);
      expect(written).toHaveLength(2); // the slow write, and the same segment again
      expect(written[1]).toBe(second);
      expect(await everything.read(written[0] ?? '')).toEqual(await everything.read(second));

      slowPuts = 4;
      await expect(log.append([{ kind: 'remove', id: 'c' }])).rejects.toThrow(/longer than 5000 ms 4 times/);
    } finally {
      aws.clients.s3.middlewareStack.remove('slowPuts');
    }
  });

  it('turns an item that is not a subscription into its removal, and refuses a segment that is not one', async () => {
    const log = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, 'test/changes-c/');
    const put = (key: string, body: string) =>
      aws.clients.s3.send(
        new PutObjectCommand({ Bucket: aws.resources.snapshotBucket, Key: key, Body: body }),
      );
    await put(
      'test/changes-c/1',
      JSON.stringify({ updates: [{ put: { id: 'x', query: 42 } }, { other: 1 }] }),
    );
    expect(await log.read('test/changes-c/1')).toEqual([{ kind: 'remove', id: 'x' }]);
    await put('test/changes-c/2', '{"nothing": true}');
    await expect(log.read('test/changes-c/2')).rejects.toThrow('has no "updates" list');
  });
});

describe('S3SnapshotStore with a change log', () => {
  it('keeps the last segment folded into the snapshot', async () => {
    const store = new S3SnapshotStore(
      aws.clients.s3,
      aws.resources.snapshotBucket,
      'test/snapshot-log.json.gz',
    );
    await store.write([aSubscription({ id: 'a' })], undefined, 'test/changes/000000000001000-abc.json');
    expect(await store.read()).toMatchObject({
      kind: 'loaded',
      changesThrough: 'test/changes/000000000001000-abc.json',
    });
    await store.write([aSubscription({ id: 'a' }), aSubscription({ id: 'b' })]);
    expect(await store.read()).not.toHaveProperty('changesThrough');
  });
});
