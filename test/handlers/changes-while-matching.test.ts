/**
 * Issue 18: subscriptions change, pause, resume and go while stories flow, through the real handlers against
 * the stand-ins: the table (dynalite) -> its keys-only stream -> the change-log writer -> S3 -> the matcher's
 * SubscriptionSnapshotCache, with a compaction in the middle and a matcher that starts late. Every story is
 * checked against the subscriptions as they stood at the change-log position the matcher had applied when it
 * matched it: before a change reached the matcher, the old ones; after, the new ones. Deterministic: it waits
 * for the matcher's applied position, never for a time.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANGE_LOG_PREFIX } from '../../definitions/resources.ts';
import { S3ChangeLog } from '../../functions/adapters/s3-change-log.ts';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { decodeDeliveryMessage } from '../../functions/core/deliveries/codec.ts';
import { jobsOf } from '../../functions/core/deliveries/types.ts';
import type { Subscription } from '../../functions/core/subscriptions/subscription.ts';
import { drainQueue, type LocalAws, startLocalAws } from '../adapters/support.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import {
  lambdaContext,
  type SqsBatchHandler,
  sqsEvent,
  sqsRecord,
  subscriptionStreamEvent,
} from '../support/lambda-events.ts';
import { envelope } from './stories.ts';
import { captureOutput, setLocalHandlerEnv } from './support.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
interface Matcher {
  readonly handler: SqsBatchHandler;
  readonly appliedChangesPosition: () => string | undefined;
}

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let writer: Handler;
let compaction: Handler;
let log: S3ChangeLog;

async function importMatcher(): Promise<Matcher> {
  vi.resetModules();
  const module = await import('../../functions/handlers/matcher.ts');
  return {
    handler: module.handler as unknown as SqsBatchHandler,
    appliedChangesPosition: module.appliedChangesPosition,
  };
}

beforeAll(async () => {
  aws = await startLocalAws();
  restoreEnv = setLocalHandlerEnv(aws, { snapshotCheckSeconds: 1 });
  output = captureOutput();
  writer = (await import('../../functions/handlers/change-log-writer.ts')).handler as unknown as Handler;
  compaction = (await import('../../functions/handlers/snapshot-builder.ts')).handler as unknown as Handler;
  log = new S3ChangeLog(aws.clients.s3, aws.resources.snapshotBucket, CHANGE_LOG_PREFIX, { settleMs: 0 });
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

/** Every story says the same: which subscriptions match it depends only on the subscriptions. */
let stories = 0;
async function matchOneStory(matcher: Matcher): Promise<{ position: string | undefined; matched: string }> {
  const id = `fishing-${++stories}`;
  const body = envelope({ id, headline: 'Fishing quotas agreed', body: 'Ministers agreed fishing quotas.' });
  await matcher.handler(sqsEvent(sqsRecord(body)), lambdaContext('matcher'));
  const position = matcher.appliedChangesPosition(); // one call at a time: the position it matched at
  const messages = await drainQueue(aws.clients.sqs, aws.resources.queues.deliveries.url);
  const ids = messages.flatMap((message) => jobsOf(decodeDeliveryMessage(message.Body ?? '')));
  expect(ids.every((job) => job.story.id === id)).toBe(true);
  return { position, matched: [...new Set(ids.map((job) => job.subscription.id))].sort().join(',') };
}

type Step =
  | { readonly put: Partial<Subscription> & { readonly id: string } }
  | { readonly remove: string }
  | 'compact';

describe('subscriptions changing while stories flow (real handlers, stand-ins)', () => {
  it('matches every story against the subscriptions as they stood at the position the matcher had applied', async () => {
    const matcher = await importMatcher();
    const steps: [Step, string][] = [
      [{ put: { id: 'a', query: 'fishing' } }, 'a'],
      [{ put: { id: 'b', query: 'quotas' } }, 'a,b'],
      [{ put: { id: 'a', query: 'whaling' } }, 'b'], // edited
      [{ put: { id: 'b', query: 'quotas', status: 'paused' } }, ''], // paused
      ['compact', ''],
      [{ put: { id: 'c', query: '"fishing quotas"' } }, 'c'],
      [{ put: { id: 'b', query: 'quotas', status: 'active' } }, 'b,c'], // resumed
      [{ remove: 'c' }, 'b'], // deleted
      [{ put: { id: 'a', query: 'fishing OR whaling' } }, 'a,b'],
    ];
    /** What a story must match at each change-log position (undefined: before the first segment). */
    const standing = new Map<string | undefined, string>([[undefined, '']]);
    const seen: { position: string | undefined; matched: string }[] = [];
    const beforeEachChange: string[] = [];
    const afterEachChange: string[] = [];

    for (const [step, expected] of steps) {
      if (step === 'compact') {
        await compaction(
          { source: 'aws.events', 'detail-type': 'Scheduled Event' },
          lambdaContext('compaction'),
        );
        continue;
      }
      // The table changes; the stream has not delivered it yet: the story still meets the old subscriptions.
      if ('put' in step) {
        await aws.documents.send(
          new PutCommand({
            TableName: aws.resources.tables.subscriptions,
            Item: toItem(aSubscription(step.put)),
          }),
        );
      } else {
        await aws.documents.send(
          new DeleteCommand({ TableName: aws.resources.tables.subscriptions, Key: { id: step.remove } }),
        );
      }
      const before = await matchOneStory(matcher);
      seen.push(before);
      beforeEachChange.push(before.matched);

      const id = 'put' in step ? step.put.id : step.remove;
      await writer(
        subscriptionStreamEvent([id, 'put' in step ? 'MODIFY' : 'REMOVE']),
        lambdaContext('writer'),
      );
      const segment = await log.latest();
      standing.set(segment, expected);

      // Stories keep coming; the matcher applies the segment at its next check (1 s): wait for its position.
      let after = await matchOneStory(matcher);
      seen.push(after);
      for (let waited = 0; after.position !== segment; waited++) {
        if (waited > 400) throw new Error(`the matcher never reached ${segment}; it is at ${after.position}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
        after = await matchOneStory(matcher);
        seen.push(after);
      }
      afterEachChange.push(after.matched);
    }

    for (const story of seen) expect(story.matched).toBe(standing.get(story.position));
    expect(beforeEachChange).toEqual(['', 'a', 'a,b', 'b', '', 'c', 'b,c', 'b']);
    expect(afterEachChange).toEqual(['a', 'a,b', 'b', '', 'c', 'b,c', 'b', 'a,b']);
    expect(output.logs('Subscriptions snapshot compiled')).toHaveLength(1); // changes applied in place only

    // A matcher that starts now loads the compacted snapshot and applies only the segments after it.
    const late = await importMatcher();
    const story = await matchOneStory(late);
    expect(story).toEqual({ position: await log.latest(), matched: 'a,b' });
    expect(output.logs('Subscriptions snapshot compiled').at(-1)).toMatchObject({ compiled: 1 });
    expect(output.logs('Subscription changes applied in place').at(-1)).toMatchObject({ segments: 4 });
  });
});
