import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RECENT_STORIES_PREFIX, SNAPSHOT_KEY } from '../../definitions/resources.ts';
import {
  claimKey,
  DynamoDbDeliveryClaims,
  DynamoDbSuppressionList,
} from '../../functions/adapters/dynamodb-ledger.ts';
import { DynamoDbSubscriptionScanner } from '../../functions/adapters/dynamodb-subscription-scanner.ts';
import { S3RecentStories } from '../../functions/adapters/s3-recent-stories.ts';
import { S3SnapshotStore } from '../../functions/adapters/s3-snapshot-store.ts';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.ts';
import { SnsAlertPublisher, SnsSmsSender } from '../../functions/adapters/sns-senders.ts';
import { SqsDeliveryQueue } from '../../functions/adapters/sqs-delivery-queue.ts';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { decodeDeliveryMessage } from '../../functions/core/deliveries/codec.ts';
import { DestinationRejectedError, SenderRejectedError } from '../../functions/core/deliveries/errors.ts';
import { jobsOf } from '../../functions/core/deliveries/types.ts';
import { planQueries } from '../../functions/core/matching/index.ts';
import { PermanentSendError, TransientSendError } from '../../functions/core/ports.ts';
import { aDeliveryJob, aSubscription, storyAlerts } from '../core/alerts/factories.ts';
import { aStory } from '../support/stories.ts';
import {
  drainQueue,
  type LocalAws,
  sentMails,
  startErrorServer,
  startLocalAws,
  subscribeTopicTap,
} from './support.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

describe('DynamoDbDeliveryClaims', () => {
  it('claims once, reports copies in flight, settles, releases and honours the lease and TTL', async () => {
    let now = 1_000;
    const claims = new DynamoDbDeliveryClaims(aws.documents, aws.resources.tables.ledger, () => now);
    const options = { ttlSeconds: 600, leaseSeconds: 60, token: 'worker-1' };
    expect(await claims.claim('sub#email#a', options)).toBe('claimed');
    expect(await claims.claim('sub#email#a', options)).toBe('in-flight');
    now += 61; // lease over: the first claimant is presumed dead
    expect(await claims.claim('sub#email#a', options)).toBe('claimed');
    await claims.settle(['sub#email#a'], options);
    now += 120;
    expect(await claims.claim('sub#email#a', options)).toBe('done');
    now += 600; // TTL over, even if DynamoDB has not deleted the item yet
    expect(await claims.claim('sub#email#a', options)).toBe('claimed');

    expect(await claims.claim('sub#email#b', options)).toBe('claimed');
    await claims.release(['sub#email#b'], 'worker-1');
    expect(await claims.claim('sub#email#b', options)).toBe('claimed');
    expect(claimKey('x')).toBe('delivery#x');

    // A stale worker that wakes up after its lease cannot release the claim another worker took over.
    now += 61;
    expect(await claims.claim('sub#email#b', { ...options, token: 'worker-2' })).toBe('claimed');
    await claims.release(['sub#email#b'], 'worker-1');
    expect(await claims.claim('sub#email#b', { ...options, token: 'worker-3' })).toBe('in-flight');
    await claims.release(['sub#email#b'], 'worker-2');
    expect(await claims.claim('sub#email#b', { ...options, token: 'worker-3' })).toBe('claimed');
  });

  it('finds the settled deliveries among many keys in batches, leaving out claims in flight and expired ones', async () => {
    let now = 5_000;
    const claims = new DynamoDbDeliveryClaims(aws.documents, aws.resources.tables.ledger, () => now);
    const options = { ttlSeconds: 600, leaseSeconds: 60, token: 'worker-1' };
    // More keys than one BatchGetItem (100) or BatchWriteItem (25) takes.
    const keys = Array.from({ length: 130 }, (_, i) => `sub-${i}#email#many`);
    await claims.settle(keys.slice(0, 120), options);
    expect(await claims.claim(keys[125]!, options)).toBe('claimed');
    const { settled } = await claims.lookUp(keys, []);
    expect(settled.size).toBe(120);
    expect(settled.has(keys[0]!)).toBe(true);
    expect(settled.has(keys[125]!)).toBe(false);
    expect(await claims.claim(keys[3]!, options)).toBe('done');

    // A release never undoes a settle (it deletes only its own claims in flight).
    await claims.release(keys.slice(0, 60), 'worker-1');
    expect((await claims.lookUp(keys, [])).settled.size).toBe(120);
    now += 601;
    expect((await claims.lookUp(keys, [])).settled.size).toBe(0);
  });
});

describe('DynamoDbDeliveryClaims: kills', () => {
  it('remembers a killed story until its tombstone expires, read with the claims in one lookup', async () => {
    let now = 9_000;
    const claims = new DynamoDbDeliveryClaims(aws.documents, aws.resources.tables.ledger, () => now);
    const options = { ttlSeconds: 600, leaseSeconds: 60, token: 'worker-1' };
    const withdrawn = async () =>
      (await claims.lookUp(['sub#email#story-killed'], ['story-killed', 'story-other'])).withdrawn;
    expect([...(await withdrawn())]).toEqual([]);
    await claims.withdraw('story-killed', { ttlSeconds: 600 });
    await claims.settle(['sub#email#story-killed'], options);
    const prior = await claims.lookUp(['sub#email#story-killed'], ['story-killed', 'story-other']);
    expect([...prior.withdrawn]).toEqual(['story-killed']);
    expect([...prior.settled]).toEqual(['sub#email#story-killed']);
    now += 601;
    expect([...(await withdrawn())]).toEqual([]);
  });
});

describe('DynamoDbSuppressionList', () => {
  it('suppresses destinations under the shared key, e-mail domains case-insensitively', async () => {
    const list = new DynamoDbSuppressionList(aws.documents, aws.resources.tables.ledger);
    expect(await list.suppressedAmong(['+14155550100'])).toEqual(new Set());
    await list.suppress('+14155550100', 'OptedOut');
    await list.suppress('Reader@Example.COM', 'bounce');
    const others = Array.from({ length: 150 }, (_, i) => `other-${i}@example.com`);
    expect(
      await list.suppressedAmong([
        '+14155550100',
        'Reader@example.com',
        'Reader@EXAMPLE.com',
        'reader@example.com',
        ...others,
      ]),
    ).toEqual(new Set(['+14155550100', 'Reader@example.com', 'Reader@EXAMPLE.com']));
    expect(await list.suppressedAmong([])).toEqual(new Set());
  });
});

describe('SqsDeliveryQueue', () => {
  it('writes every job, up to 50 a message', async () => {
    const queue = new SqsDeliveryQueue(aws.clients.sqs, aws.resources.queues.deliveries.url);
    const jobs = Array.from({ length: 123 }, (_, i) =>
      aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` } }),
    );
    await queue.send(storyAlerts(jobs));
    const messages = await drainQueue(aws.clients.sqs, aws.resources.queues.deliveries.url);
    const decoded = messages.map((message) => jobsOf(decodeDeliveryMessage(message.Body ?? '')));
    expect(decoded.map((message) => message.length).sort((a, b) => a - b)).toEqual([23, 50, 50]);
    expect(
      decoded
        .flat()
        .map((job) => job.subscription.id)
        .sort(),
    ).toEqual(jobs.map((job) => job.subscription.id).sort());
    expect(decoded.flat()[0]).toEqual(
      jobs.find((job) => job.subscription.id === decoded.flat()[0]?.subscription.id),
    );
  });

  it('retries only the entries SQS refused, then throws if some still fail', async () => {
    const calls: string[][] = [];
    let refuse = 2; // refuse entry "1" twice, then accept it
    const sqs = {
      send: async (command: { input: { Entries: { Id: string }[] } }) => {
        const ids = command.input.Entries.map((entry) => entry.Id);
        calls.push(ids);
        const failed =
          ids.includes('1') && refuse-- > 0 ? [{ Id: '1', Code: 'InternalError', SenderFault: false }] : [];
        return {
          Successful: ids.filter((id) => !failed.some((f) => f.Id === id)).map((Id) => ({ Id })),
          Failed: failed,
        };
      },
    } as unknown as SQSClient;
    const queue = new SqsDeliveryQueue(sqs, 'https://queue', { retryDelayMs: 1 });
    // 150 jobs: three messages of 50.
    const jobs = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` } }),
      );
    await queue.send(storyAlerts(jobs(150)));
    expect(calls).toEqual([['0', '1', '2'], ['1'], ['1']]);

    refuse = 10;
    await expect(
      new SqsDeliveryQueue(sqs, 'https://queue', { retryDelayMs: 1 }).send(storyAlerts(jobs(100))),
    ).rejects.toThrow(/Could not queue 1 of 2 delivery messages \(InternalError/);
  });
  it('lets calls made together share requests, failing only the call whose message SQS refused', async () => {
    const requests: string[][] = [];
    const sqs = {
      send: async (command: { input: { Entries: { Id: string; MessageBody: string }[] } }) => {
        const entries = command.input.Entries;
        requests.push(entries.map((entry) => JSON.parse(entry.MessageBody).story.id));
        const refused = entries.filter((entry) => JSON.parse(entry.MessageBody).story.id === 'story-refused');
        return {
          Successful: entries.filter((entry) => !refused.includes(entry)).map(({ Id }) => ({ Id })),
          Failed: refused.map(({ Id }) => ({ Id, Code: 'InvalidMessageContents', SenderFault: true })),
        };
      },
    } as unknown as SQSClient;
    const queue = new SqsDeliveryQueue(sqs, 'https://queue', { retryDelayMs: 1 });
    const storyJobs = (id: string) => [aDeliveryJob({ story: { ...aDeliveryJob().story, id } })];
    const results = await Promise.allSettled(
      ['story-a', 'story-refused', 'story-b', 'story-c'].map((id) => queue.send(storyAlerts(storyJobs(id)))),
    );
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(results[1]).toMatchObject({
      reason: { message: expect.stringMatching(/1 of 1 .*InvalidMessageContents/) },
    });
    expect(requests).toEqual([['story-a', 'story-refused', 'story-b', 'story-c']]);
    await queue.send({ story: aDeliveryJob().story, matches: [] });
    expect(requests).toHaveLength(1);
  });
});

describe('S3SnapshotStore', () => {
  it('reports a missing snapshot, then reads what was written, conditionally on its ETag', async () => {
    const store = new S3SnapshotStore(
      aws.clients.s3,
      aws.resources.snapshotBucket,
      'test/snapshot-a.json.gz',
    );
    expect(await store.read()).toEqual({ kind: 'missing' });
    const subscriptions = [aSubscription({ id: 'b' }), aSubscription({ id: 'a', status: 'paused' })];
    const { version, bytes } = await store.write(subscriptions);
    expect(bytes).toBeGreaterThan(0);
    const read = await store.read();
    expect(read).toEqual({
      kind: 'loaded',
      version,
      subscriptions: [subscriptions[1], subscriptions[0]],
      skipped: 0,
    });
    expect(await store.read(version)).toEqual({ kind: 'unchanged' });
    // The same subscriptions give the same bytes, so the matcher does not recompile.
    expect((await store.write([...subscriptions].reverse())).version).toBe(version);
    const changed = await store.write([aSubscription({ id: 'c' })]);
    expect(changed.version).not.toBe(version);
    expect(await store.read(version)).toMatchObject({ kind: 'loaded', version: changed.version });
  });

  it('keeps the query plans with the subscriptions, and reads a snapshot without them', async () => {
    const store = new S3SnapshotStore(
      aws.clients.s3,
      aws.resources.snapshotBucket,
      'test/snapshot-c.json.gz',
    );
    const subscriptions = [aSubscription({ id: 'a', query: 'deportation' })];
    const plans = planQueries(['deportation']);
    await store.write(subscriptions, plans);
    expect(await store.read()).toMatchObject({ kind: 'loaded', subscriptions, plans });
    await store.write(subscriptions);
    const withoutPlans = await store.read();
    expect(withoutPlans).toMatchObject({ kind: 'loaded', subscriptions });
    expect(withoutPlans).not.toHaveProperty('plans.engine');
  });

  it('skips invalid items and refuses an object that is not a snapshot', async () => {
    const { gzipSync } = await import('node:zlib');
    const key = 'test/snapshot-b.json.gz';
    const store = new S3SnapshotStore(aws.clients.s3, aws.resources.snapshotBucket, key);
    const put = (body: unknown) =>
      aws.clients.s3.send(
        new PutObjectCommand({
          Bucket: aws.resources.snapshotBucket,
          Key: key,
          Body: gzipSync(JSON.stringify(body)),
        }),
      );
    await put({
      format: 'wirewatch-subscriptions',
      version: 1,
      subscriptions: [toItem(aSubscription()), { id: 7 }, null],
    });
    expect(await store.read()).toMatchObject({
      kind: 'loaded',
      skipped: 2,
      subscriptions: [{ id: 'sub-1' }],
    });
    await put({ something: 'else' });
    await expect(store.read()).rejects.toThrow(/not a wirewatch-subscriptions document of version 1, 2, 3/);
    expect(SNAPSHOT_KEY).toMatch(/\.json\.gz$/);
  });
});

describe('S3RecentStories', () => {
  it('lists the newest version of each recent story, newest first, leaving out kills', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const prefix = `${RECENT_STORIES_PREFIX}test-a/`;
    const recent = new S3RecentStories(aws.clients.s3, aws.resources.snapshotBucket, prefix, () => now);
    const put = async (story: ReturnType<typeof aStory>) => {
      await recent.put([story]);
      now += 1000;
    };
    await put(aStory({ id: 'urn:one/1', headline: 'One v1' }));
    await put(aStory({ id: 'two', headline: 'Two' }));
    await put(aStory({ id: 'urn:one/1', headline: 'One v2', version: 2, status: 'update' }));
    await put(aStory({ id: 'three', headline: 'Three' }));
    await put(aStory({ id: 'three', headline: 'Three', status: 'killed', version: 2 }));
    expect((await recent.list(10)).map((story) => story.headline)).toEqual(['One v2', 'Two']);
    expect((await recent.list(1)).map((story) => story.headline)).toEqual(['One v2']);
    expect(await recent.list(0)).toEqual([]);
    expect(recent.keyFor(aStory({ id: 'a/b' }), 0)).toBe(`${prefix}9999999999999-a%2Fb.json`);
  });

  it('pages past a run of killed stories', async () => {
    let now = Date.parse('2026-03-02T10:00:00Z');
    const recent = new S3RecentStories(
      aws.clients.s3,
      aws.resources.snapshotBucket,
      `${RECENT_STORIES_PREFIX}test-b/`,
      () => now++,
    );
    await recent.put([aStory({ id: 'survivor', headline: 'Survivor' })]);
    for (let i = 0; i < 12; i++) await recent.put([aStory({ id: `killed-${i}`, status: 'killed' })]);
    expect((await recent.list(1)).map((story) => story.headline)).toEqual(['Survivor']);
  });

  it('keeps a batch in one object, later stories newer, and still reads an object of one bare story', async () => {
    const now = Date.parse('2026-03-03T10:00:00Z');
    const prefix = `${RECENT_STORIES_PREFIX}test-c/`;
    const recent = new S3RecentStories(aws.clients.s3, aws.resources.snapshotBucket, prefix, () => now);
    await aws.clients.s3.send(
      new PutObjectCommand({
        Bucket: aws.resources.snapshotBucket,
        Key: recent.keyFor(aStory({ id: 'old' }), now - 1000),
        Body: JSON.stringify(aStory({ id: 'old', headline: 'Old layout' })),
      }),
    );
    await recent.put([
      aStory({ id: 'x', headline: 'X v1' }),
      aStory({ id: 'y', headline: 'Y' }),
      aStory({ id: 'x', headline: 'X v2', version: 2, status: 'update' }),
    ]);
    await recent.put([]);
    expect((await recent.list(10)).map((story) => story.headline)).toEqual(['X v2', 'Y', 'Old layout']);
  });
});

describe('DynamoDbSubscriptionScanner', () => {
  it('reads every subscription across pages and skips items that are not subscriptions', async () => {
    const table = aws.resources.tables.subscriptions;
    for (let i = 0; i < 25; i++) {
      await aws.documents.send(
        new PutCommand({ TableName: table, Item: toItem(aSubscription({ id: `scan-${i}` })) }),
      );
    }
    await aws.documents.send(new PutCommand({ TableName: table, Item: { id: 'corrupt', owner: 'x' } }));
    const send = vi.spyOn(aws.documents, 'send');
    const { subscriptions, skipped } = await new DynamoDbSubscriptionScanner(
      aws.documents,
      table,
      7,
    ).scanAll();
    expect(send.mock.calls.length).toBeGreaterThanOrEqual(4); // 26 items, 7 a page
    send.mockRestore();
    expect(subscriptions.filter((s) => s.id.startsWith('scan-'))).toHaveLength(25);
    expect(skipped).toBe(1);
  });
});

describe('SesEmailSender', () => {
  it('sends subject, HTML, text and the unsubscribe headers through SES v2', async () => {
    const ses = new SESv2Client({
      region: aws.standins.region,
      credentials: aws.standins.credentials,
      endpoint: aws.standins.endpoints.ses,
    });
    const sender = new SesEmailSender(ses, { from: 'alerts@example.com' });
    await sender.send({
      to: 'adapter-test@example.com',
      subject: 'Subject ü',
      html: '<p>Hello</p>',
      text: 'Hello',
      headers: {
        'List-Unsubscribe': '<https://x.example/unsubscribe?token=t>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    const mail = (await sentMails(aws.standins)).find((m) =>
      m.destination.to.includes('adapter-test@example.com'),
    );
    expect(mail).toMatchObject({
      from: 'alerts@example.com',
      subject: 'Subject ü',
      body: { html: '<p>Hello</p>', text: 'Hello' },
    });
    expect(mail?.headers).toEqual(
      expect.arrayContaining([{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }]),
    );
    await expect(
      sender.send({
        to: 'x@example.com',
        subject: 's',
        html: '',
        text: '',
        headers: { 'X-Bad': 'a\r\nBcc: y@example.com' },
      }),
    ).rejects.toBeInstanceOf(PermanentSendError);
    ses.destroy();
  });

  it.each([
    ['ThrottlingException', 400, TransientSendError],
    ['TooManyRequestsException', 429, TransientSendError],
    ['InternalServiceErrorException', 500, TransientSendError],
    ['SendingPausedException', 400, TransientSendError],
    // The sender's refusal, for the operator (recorded, not retried, the address not suppressed).
    ['MessageRejected', 400, SenderRejectedError],
    ['MailFromDomainNotVerifiedException', 400, SenderRejectedError],
    ['AccountSuspendedException', 400, SenderRejectedError],
    ['BadRequestException', 400, PermanentSendError],
  ])('maps %s to the right failure', async (errorType, status, expected) => {
    const server = await startErrorServer(errorType, status, 'no');
    const ses = new SESv2Client({
      region: 'us-east-1',
      credentials: aws.standins.credentials,
      endpoint: server.url,
      maxAttempts: 1,
    });
    const sender = new SesEmailSender(ses, { from: 'alerts@example.com' });
    const failure = await sender
      .send({ to: 'x@example.com', subject: 's', html: 'h', text: 't', headers: {} })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(expected);
    expect(failure).not.toBeInstanceOf(DestinationRejectedError);
    expect((failure as Error).message).toContain(errorType);
    ses.destroy();
    await server.close();
  });
});

describe('SNS senders', () => {
  it('sends a Transactional SMS, and rejects an invalid number as the destination', async () => {
    const sender = new SnsSmsSender(aws.clients.sns);
    await sender.send('+14155550199', 'Wirewatch: test');
    const sms = aws.standins.smsOutbox.messages.find((m) => m.phoneNumber === '+14155550199');
    expect(sms).toMatchObject({
      message: 'Wirewatch: test',
      attributes: { 'AWS.SNS.SMS.SMSType': 'Transactional' },
    });
    await expect(sender.send('12345', 'x')).rejects.toBeInstanceOf(DestinationRejectedError);
  });

  it('sends from the registered origination number when one is configured', async () => {
    const sender = new SnsSmsSender(aws.clients.sns, { originationNumber: '+18885550123' });
    await sender.send('+14155550198', 'Wirewatch: from a toll-free number');
    const sms = aws.standins.smsOutbox.messages.find((m) => m.phoneNumber === '+14155550198');
    expect(sms?.attributes).toMatchObject({
      'AWS.SNS.SMS.SMSType': 'Transactional',
      'AWS.MM.SMS.OriginationNumber': '+18885550123',
    });
  });

  it('publishes topic alerts with String attributes that reach a subscribed queue', async () => {
    const { sqs, sns } = aws.clients;
    const QueueUrl = await subscribeTopicTap(aws.clients, aws.resources.alertsTopicArn, 'adapter-topic-tap');
    const publisher = new SnsAlertPublisher(sns, aws.resources.alertsTopicArn);
    const failures = await publisher.publish(
      Array.from({ length: 10 }, (_, i) => ({
        message: `{"a":${i}}`,
        attributes: { subscriptionId: `sub-${i}` },
      })),
    );
    expect(failures).toEqual(Array(10).fill(undefined));
    const messages = await drainQueue(sqs, QueueUrl ?? '');
    expect(messages.map((message) => message.Body).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `{"a":${i}}`).sort(),
    );
    const nine = messages.find((message) => message.Body === '{"a":9}');
    expect(nine?.MessageAttributes?.subscriptionId?.StringValue).toBe('sub-9');
    await expect(publisher.publish(Array(11).fill({ message: 'x', attributes: {} }))).rejects.toThrow(
      RangeError,
    );
    expect(await publisher.publish([])).toEqual([]);
  });

  it('reports topic messages SNS refused, each as transient or permanent', async () => {
    const sns = {
      send: async () => ({
        Successful: [{ Id: '1' }],
        Failed: [
          { Id: '0', Code: 'InternalError', SenderFault: false },
          { Id: '2', Code: 'InvalidParameter', Message: 'bad attribute', SenderFault: true },
        ],
      }),
    } as unknown as SNSClient;
    const failures = await new SnsAlertPublisher(sns, 'arn:aws:sns:us-east-1:000000000000:t').publish(
      [0, 1, 2].map((i) => ({ message: String(i), attributes: {} })),
    );
    expect(failures[0]).toBeInstanceOf(TransientSendError);
    expect(failures[1]).toBeUndefined();
    expect(failures[2]).toBeInstanceOf(PermanentSendError);
    expect(failures[2]?.message).toMatch(/InvalidParameter: bad attribute/);
  });
});
