/**
 * kill -9: the real notifier handler in a child process (test/support/notifier-process.ts), against the
 * stand-ins this test starts on loopback ports, is SIGKILLed between a claim and its send, between a send and
 * its settle, and during a settle; a fresh notifier process then takes the message when the queue brings it
 * back. Every alert must arrive, and at most the alerts in flight (2 x DELIVERY_CONCURRENCY) twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import type { StoryAlerts } from '../../functions/core/deliveries/types.ts';
import { localHandlerEnv } from '../../local/provision.ts';
import {
  drainQueue,
  type LocalAws,
  sentMails,
  startLocalAws,
  subscribeTopicTap,
} from '../adapters/support.ts';
import { aDeliveryJob, SECRET, storyAlerts } from '../core/alerts/factories.ts';

const CONCURRENCY = 4;
const ALERTS = 24;

let aws: LocalAws;
let env: Record<string, string>;
/** A queue subscribed to the alerts topic (raw delivery): what the topic published. */
let topicTapUrl: string;

beforeAll(async () => {
  // The killed worker's message comes back after 2 s; its claims can be taken over after their 1 s lease.
  aws = await startLocalAws({ visibilityTimeoutSeconds: 2, maxReceiveCount: 10 });
  const deliveries = aws.resources.queues.deliveries;
  env = {
    PATH: process.env.PATH ?? '',
    ...localHandlerEnv(aws.standins, aws.resources, {
      signingSecret: SECRET,
      publicBaseUrl: 'https://alerts.example.com',
      claimLeaseSeconds: 1,
    }),
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    AWS_MAX_ATTEMPTS: '1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    NOTIFIER_QUEUE_URL: deliveries.url,
    NOTIFIER_QUEUE_ARN: deliveries.arn,
  };
  topicTapUrl = await subscribeTopicTap(aws.clients, aws.resources.alertsTopicArn, 'kill-alerts-tap');
});

afterAll(async () => {
  await aws?.stop();
});

/**
 * `ALERTS` e-mail alerts of one story, to `<story>-<i>@example.com`; with `topic`, each subscription's alert
 * goes to the alerts topic too (one match, two channels, claimed as one).
 */
function alertsOf(storyId: string, topic = false): StoryAlerts {
  const base = aDeliveryJob();
  return storyAlerts(
    Array.from({ length: ALERTS }, (_, i) => {
      const mail = aDeliveryJob({
        story: { ...base.story, id: storyId },
        subscription: { ...base.subscription, id: `${storyId}-sub-${i}` },
        destination: `${storyId}-${i}@example.com`,
      });
      return topic ? [mail, { ...mail, channel: 'sns' as const, destination: undefined }] : [mail];
    }).flat(),
  );
}

async function mailsTo(storyId: string): Promise<string[]> {
  return (await sentMails(aws.standins))
    .flatMap((mail) => mail.destination.to)
    .filter((to) => to.startsWith(`${storyId}-`));
}

function startNotifier(extraEnv: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/notifier-process.ts'], {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Queues the story's alerts, kills a notifier at `pauseAt`, lets a fresh one finish; the mails per address. */
async function killAt(
  storyId: string,
  pauseAt: string,
  topic = false,
): Promise<{ beforeKill: number; mails: string[] }> {
  const [body, ...more] = encodeDeliveryMessages(alertsOf(storyId, topic));
  expect(more).toEqual([]);
  await aws.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: aws.resources.queues.deliveries.url, MessageBody: body }),
  );
  const doomed = startNotifier({ NOTIFIER_PAUSE_AT: pauseAt });
  try {
    await until(
      () => doomed.output().includes('PAUSED') || doomed.child.exitCode !== null,
      60_000,
      () => `the notifier to reach ${pauseAt}: ${doomed.output().slice(-2000)}`,
    );
    expect(doomed.output()).toContain(`PAUSED ${pauseAt.split(':')[0]}`);
  } finally {
    doomed.child.kill('SIGKILL');
  }
  expect((await exitOf(doomed.child)).signal).toBe('SIGKILL');
  const beforeKill = (await mailsTo(storyId)).length;

  const fresh = startNotifier({ NOTIFIER_UNTIL_EMPTY: '1' });
  const exited = exitOf(fresh.child);
  const timeout = setTimeout(() => fresh.child.kill('SIGKILL'), 90_000);
  const { code } = await exited;
  clearTimeout(timeout);
  expect(code, fresh.output().slice(-2000)).toBe(0);
  return { beforeKill, mails: await mailsTo(storyId) };
}

/** Nothing lost (every address at least once), and the number of alerts sent twice. */
function doubledOf(storyId: string, mails: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const to of mails) counts.set(to, (counts.get(to) ?? 0) + 1);
  for (let i = 0; i < ALERTS; i++) expect(counts.get(`${storyId}-${i}@example.com`) ?? 0).toBeGreaterThan(0);
  for (const count of counts.values()) expect(count).toBeLessThanOrEqual(2);
  return mails.length - ALERTS;
}

describe('notifier killed with SIGKILL mid-message (child process, real handler, stand-ins)', () => {
  it('between a claim and its send: every alert arrives, at most the alerts in flight twice', async () => {
    const { beforeKill, mails } = await killAt('kill-claim', 'claim-sent:9');
    // Killed mid-message: some went out, most did not.
    expect(beforeKill).toBeGreaterThan(0);
    expect(beforeKill).toBeLessThan(ALERTS);
    expect(doubledOf('kill-claim', mails)).toBeLessThanOrEqual(2 * CONCURRENCY);
  }, 180_000);

  it('between a send and its settle: every alert arrives, at most the alerts in flight twice', async () => {
    const { beforeKill, mails } = await killAt('kill-sent', 'send-done:10');
    expect(beforeKill).toBeGreaterThanOrEqual(10);
    expect(beforeKill).toBeLessThan(ALERTS);
    expect(doubledOf('kill-sent', mails)).toBeLessThanOrEqual(2 * CONCURRENCY);
  }, 180_000);

  it('during a settle: every alert arrives, at most the alerts in flight twice', async () => {
    const { beforeKill, mails } = await killAt('kill-settle', 'settle:2');
    expect(beforeKill).toBeGreaterThan(CONCURRENCY);
    expect(beforeKill).toBeLessThan(ALERTS);
    expect(doubledOf('kill-settle', mails)).toBeLessThanOrEqual(2 * CONCURRENCY);
  }, 180_000);

  it('between a send and its settle, e-mail and topic alerts of a match claimed as one: each arrives, at most the matches in flight twice', async () => {
    await drainQueue(aws.clients.sqs, topicTapUrl);
    const { beforeKill, mails } = await killAt('kill-both', 'send-done:6', true);
    expect(beforeKill).toBeGreaterThanOrEqual(6);
    expect(beforeKill).toBeLessThan(ALERTS);
    expect(doubledOf('kill-both', mails)).toBeLessThanOrEqual(2 * CONCURRENCY);
    const published = (await drainQueue(aws.clients.sqs, topicTapUrl)).map(
      (message) => `${message.MessageAttributes?.subscriptionId?.StringValue}@topic`,
    );
    const bySubscription = published.map((id) =>
      id.replace(/^kill-both-sub-(\d+)@topic$/, 'kill-both-$1@example.com'),
    );
    expect(doubledOf('kill-both', bySubscription)).toBeLessThanOrEqual(2 * CONCURRENCY);
  }, 180_000);
});
