import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RECENT_STORIES_PREFIX } from '../../definitions/resources.ts';
import { S3RecentStories } from '../../functions/adapters/s3-recent-stories.ts';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { decodeDeliveryMessage } from '../../functions/core/deliveries/codec.ts';
import { type DeliveryJob, jobsOf } from '../../functions/core/deliveries/types.ts';
import { drainQueue, type LocalAws, startErrorServer, startLocalAws } from '../adapters/support.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import { lambdaContext, type SqsBatchHandler, sqsEvent, sqsRecord } from '../support/lambda-events.ts';
import { harbourStory } from './stories.ts';
import { captureOutput, setEnv, setLocalHandlerEnv } from './support.ts';

type Handler = SqsBatchHandler;

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let matcher: Handler;
let snapshotBuilder: (event: unknown, context: unknown) => Promise<{ subscriptions: number }>;
let snapshotChecksAtInit = 0;
const NO_SNAPSHOT_YET =
  'No subscriptions snapshot yet: matching against zero subscriptions until one is written';

async function putSubscription(subscription: ReturnType<typeof aSubscription>): Promise<void> {
  await aws.documents.send(
    new PutCommand({ TableName: aws.resources.tables.subscriptions, Item: toItem(subscription) }),
  );
}

async function queuedJobs(): Promise<DeliveryJob[]> {
  const messages = await drainQueue(aws.clients.sqs, aws.resources.queues.deliveries.url);
  return messages.flatMap((message) => jobsOf(decodeDeliveryMessage(message.Body ?? '')));
}

async function match(...bodies: string[]) {
  const records = bodies.map((body) => sqsRecord(body));
  const result = await matcher(sqsEvent(...records), lambdaContext('matcher'));
  return { records, result };
}

beforeAll(async () => {
  aws = await startLocalAws();
  restoreEnv = setLocalHandlerEnv(aws, { snapshotCheckSeconds: 1 });
  output = captureOutput();
  vi.resetModules();
  matcher = (await import('../../functions/handlers/matcher.ts')).handler as unknown as Handler;
  snapshotChecksAtInit = output.logs(NO_SNAPSHOT_YET).length;
  snapshotBuilder = (await import('../../functions/handlers/snapshot-builder.ts')).handler as never;
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('matcher handler (real SDK clients against the stand-ins)', () => {
  it('looks for the snapshot while it initialises, then matches against zero subscriptions while there is none', async () => {
    expect(snapshotChecksAtInit).toBe(1);
    const { result } = await match(harbourStory());
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await queuedJobs()).toEqual([]);
    expect(output.logs(NO_SNAPSHOT_YET)).toHaveLength(1);
  });

  it('picks up a new snapshot within the check interval', async () => {
    await putSubscription(
      aSubscription({
        id: 'sub-harbour',
        name: 'Harbours',
        query: 'harbour',
        channels: [
          { type: 'email', address: 'reader@example.com', confirmed: true },
          { type: 'sms', phone: '+14155550123', confirmed: true },
          { type: 'sns', confirmed: true },
        ],
      }),
    );
    await putSubscription(aSubscription({ id: 'sub-paused', query: 'harbour', status: 'paused' }));
    const summary = await snapshotBuilder({ Records: [] }, lambdaContext('snapshot-builder'));
    expect(summary).toMatchObject({ subscriptions: 2, active: 1, skipped: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1100));

    await match(harbourStory());
    // Indexed from the plans the snapshot builder wrote, not from the queries.
    expect(output.logs('Subscriptions snapshot compiled').at(-1)).toMatchObject({
      compiled: 1,
      fromPlans: 1,
    });
    const jobs = await queuedJobs();
    expect(jobs.map((job) => [job.subscription.id, job.channel, job.destination])).toEqual([
      ['sub-harbour', 'email', 'reader@example.com'],
      ['sub-harbour', 'sms', '+14155550123'],
      ['sub-harbour', 'sns', undefined],
    ]);
    expect(jobs[0]).toMatchObject({
      story: { id: 'harbour-1', version: 1, status: 'usable', headline: 'Harbour <strike> ends' },
      matchedTerms: ['harbour'],
    });
  });

  it('fails only the story that cannot be parsed, logging its reason and message id', async () => {
    const parsedBefore = output.metric('StoriesParsed');
    const { records, result } = await match(
      harbourStory({ id: 'harbour-2' }),
      '<nitf><head>not closed',
      harbourStory({ id: 'unrelated', headline: 'Volcano quiet', body: 'Nothing to report.' }),
    );
    const poison = records[1]?.messageId;
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: poison }] });
    expect((await queuedJobs()).map((job) => job.story.id)).toEqual(['harbour-2', 'harbour-2', 'harbour-2']);

    const [rejected] = output.logs('Story rejected');
    expect(rejected).toMatchObject({
      level: 'WARN',
      messageId: poison,
      code: expect.any(String),
      reason: expect.any(String),
    });
    expect(JSON.stringify(rejected)).not.toMatch(/\bat .*\.ts:\d+/); // a reason, not a stack trace
    expect(output.metric('StoriesRejected')).toBe(1);
    expect(output.metric('StoriesParsed') - parsedBefore).toBe(2);
  });

  it('reads a format hint from the message attribute "format"', async () => {
    const hinted = (format: string) =>
      sqsRecord(harbourStory({ id: 'hinted' }), {
        messageAttributes: { format: { dataType: 'String', stringValue: format } },
      });
    const wrong = hinted('nitf');
    const right = hinted('envelope');
    const result = await matcher(sqsEvent(wrong, right), lambdaContext('matcher'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: wrong.messageId }] });
    expect((await queuedJobs()).map((job) => job.story.id)).toEqual(['hinted', 'hinted', 'hinted']);
  });

  it('plans nothing for kills and embargoed stories; updates are planned (the notifier dedupes them)', async () => {
    await match(
      harbourStory({ id: 'harbour-3', status: 'killed' }),
      harbourStory({ id: 'harbour-4', status: 'withheld' }),
    );
    expect(await queuedJobs()).toEqual([]);
    await match(harbourStory({ id: 'harbour-2', version: 2, status: 'update' }));
    expect((await queuedJobs()).map((job) => [job.story.id, job.story.version])).toEqual([
      ['harbour-2', 2],
      ['harbour-2', 2],
      ['harbour-2', 2],
    ]);
  });

  it('keeps parsed stories for query previews, newest first, without kills or embargoed stories', async () => {
    const recent = new S3RecentStories(aws.clients.s3, aws.resources.snapshotBucket, RECENT_STORIES_PREFIX);
    const stories = await recent.list(10);
    expect(stories.map((story) => [story.id, story.version])).toEqual([
      ['harbour-2', 2],
      ['hinted', 1],
      ['unrelated', 1],
      ['harbour-1', 1],
    ]);
  });

  it('reads a base64 body marked contentEncoding=base64 (ANPA control characters cannot travel as text)', async () => {
    const anpa = readFileSync(new URL('../core/stories/fixtures/anpa-strike.tst', import.meta.url));
    const base64 = (body: string) =>
      sqsRecord(body, {
        messageAttributes: { contentEncoding: { dataType: 'String', stringValue: 'base64' } },
      });
    const good = base64(anpa.toString('base64'));
    const corrupt = base64('not base64!');
    const result = await matcher(sqsEvent(good, corrupt), lambdaContext('matcher'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: corrupt.messageId }] });
    const jobs = await queuedJobs();
    expect(jobs.map((job) => job.story.headline)).toEqual(
      Array(3).fill('Dock workers end strike at Example Harbour'),
    );
    expect(output.logs('Story rejected').at(-1)).toMatchObject({
      messageId: corrupt.messageId,
      code: 'invalid-field',
      reason: expect.stringContaining('not base64'),
    });
  });

  it('emits the match metrics', () => {
    expect(output.metric('Matches')).toBeGreaterThanOrEqual(3);
    const latency = output.lines.find((line) => 'MatchLatency' in line);
    expect(latency).toBeDefined();
  });

  it('fails only the story whose alerts cannot be queued, logging which story and why', async () => {
    const refusing = await startErrorServer('InternalError', 500, 'queue unavailable');
    const restore = setEnv({ AWS_ENDPOINT_URL_SQS: refusing.url, AWS_MAX_ATTEMPTS: '1' });
    try {
      vi.resetModules();
      const unqueueing = (await import('../../functions/handlers/matcher.ts')).handler as unknown as Handler;
      const record = sqsRecord(harbourStory({ id: 'harbour-unqueued' }));
      const result = await unqueueing(sqsEvent(record), lambdaContext('matcher'));
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(refusing.requests()).toBeGreaterThan(0);
      expect(output.logs('Alerts not queued; the story will be retried').at(-1)).toMatchObject({
        messageId: record.messageId,
        storyId: 'harbour-unqueued',
        reason: expect.stringMatching(/queue unavailable|InternalError|500/),
      });
    } finally {
      restore();
      await refusing.close();
    }
  });
});
