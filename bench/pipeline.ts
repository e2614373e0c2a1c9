/**
 * The local pipeline under load: stand-ins, pollers and the real matcher and notifier in one process, 10,000
 * subscriptions (the matching bench's workload, each with a confirmed e-mail channel) in DynamoDB.
 * Measures enqueue -> e-mail latency one probe story at a time, then throughput with a queue full of stories.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toItem } from '../functions/adapters/subscription-item.ts';
import { decodeDeliveryMessage } from '../functions/core/alerts/decode-job.ts';
import { compileSubscriptions } from '../functions/core/matching/index.ts';
import { planDeliveries } from '../functions/core/pipeline/plan-deliveries.ts';
import type { Story } from '../functions/core/stories/story.ts';
import type { Subscription } from '../functions/core/subscriptions/subscription.ts';
import { type SqsLambdaHandler, startPoller } from '../infra/local/poller.ts';
import { standinClients } from '../infra/local/provision.ts';
import { type LocalStack, startLocalStack } from '../infra/local/stack.ts';
import { loadWorkload, type Workload } from './matching-workload.ts';
import type { BenchSection } from './sections.ts';
import { formatMs, markdownTable, percentile } from './support.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');
const WORKLOAD_SEED = 2026;
const SUBSCRIPTION_SEED = 7;
export const SUBSCRIPTIONS = 10_000;
const PROBES = Number(process.env.WIREWATCH_BENCH_PROBES ?? 100);
const THROUGHPUT_STORIES = Number(process.env.WIREWATCH_BENCH_STORIES ?? 1000);
const NOTIFIER_JOBS = Number(process.env.WIREWATCH_BENCH_JOBS ?? 2000);
/** Progress on stderr (the report is stdout). */
const progress = (line: string) => process.stderr.write(`pipeline bench: ${line}\n`);
/** Words in no dictionary: only the probe subscription matches the probe stories. */
const PROBE_WORD = 'zyxquorp';

export function benchWorkload(): Workload {
  return loadWorkload(REUTERS_DIR, WORKLOAD_SEED);
}

/** The workload's queries as active subscriptions with one confirmed e-mail channel each. */
export function benchSubscriptions(workload: Workload, count: number = SUBSCRIPTIONS): Subscription[] {
  const at = '2026-01-01T00:00:00.000Z';
  return workload.makeSubscriptions(count, SUBSCRIPTION_SEED).map((source, index) => ({
    id: source.id,
    owner: `bench-owner-${index % 500}`,
    name: `Bench ${index}`,
    query: source.query,
    channels: [{ type: 'email', address: `reader-${index}@example.com`, confirmed: true }],
    status: 'active',
    createdAt: at,
    updatedAt: at,
  }));
}

/** A story as a Wirewatch JSON envelope, the simplest wire format, with its own id. */
export function storyEnvelope(story: Story, id: string = story.id): string {
  return JSON.stringify({
    wirewatch: 1,
    id,
    headline: story.headline,
    body: story.body,
    publishedAt: story.publishedAt ?? undefined,
    source: story.source ?? undefined,
  });
}

/** Delivery jobs these stories make, planned in process with the pure core (the matcher queues the same). */
function plannedJobs(stories: readonly Story[], subscriptions: readonly Subscription[]): number {
  const { index } = compileSubscriptions(subscriptions.map(({ id, query }) => ({ id, query })));
  const byId = new Map(subscriptions.map((subscription) => [subscription.id, subscription]));
  return stories.reduce((sum, story) => sum + planDeliveries(story, index, byId).jobs.length, 0);
}

async function putSubscriptions(stack: LocalStack, subscriptions: readonly Subscription[]): Promise<void> {
  const clients = standinClients(stack.standins);
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const batches: Subscription[][] = [];
  for (let start = 0; start < subscriptions.length; start += 25)
    batches.push(subscriptions.slice(start, start + 25));
  const worker = async (): Promise<void> => {
    for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
      let items: Record<string, unknown>[] | undefined = batch.map((subscription) => ({
        PutRequest: { Item: toItem(subscription) },
      }));
      while (items !== undefined && items.length > 0) {
        const table: string = stack.resources.tables.subscriptions;
        const { UnprocessedItems } = await documents.send(
          new BatchWriteCommand({ RequestItems: { [table]: items as never } }),
        );
        items = UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (const client of Object.values(clients)) client.destroy();
}

async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`pipeline bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Sends one probe story and waits for its e-mail; returns milliseconds from SendMessage to the stored mail. */
async function probe(
  stack: LocalStack,
  sqs: ReturnType<typeof standinClients>['sqs'],
  n: number,
): Promise<number> {
  const marker = `${PROBE_WORD} ${n} vexlint`;
  const body = JSON.stringify({
    wirewatch: 1,
    id: `bench-probe-${n}`,
    headline: `Probe ${marker}`,
    body: `Plombic ${marker} trandule.`,
  });
  const seen = stack.standins.sentEmails().length;
  const started = performance.now();
  await sqs.send(new SendMessageCommand({ QueueUrl: stack.resources.queues.stories.url, MessageBody: body }));
  // The SES stand-in's store, read in process: checking costs nothing, so it hardly disturbs what it measures.
  await until(
    () =>
      stack.standins
        .sentEmails()
        .slice(seen)
        .some((mail) => mail.subject.includes(marker)),
    10_000,
    `probe ${n}`,
  );
  return performance.now() - started;
}

type Sqs = ReturnType<typeof standinClients>['sqs'];

async function queueDepth(sqs: Sqs, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Sends the stories as envelopes with fresh ids, 10 a request, 8 requests at a time. */
async function enqueue(sqs: Sqs, queueUrl: string, stories: readonly Story[]): Promise<void> {
  const batches: { Id: string; MessageBody: string }[][] = [];
  for (let start = 0; start < stories.length; start += 10) {
    batches.push(
      stories.slice(start, start + 10).map((story, index) => ({
        Id: String(index),
        MessageBody: storyEnvelope(story, `bench-${Date.now()}-${start + index}`),
      })),
    );
  }
  const worker = async (): Promise<void> => {
    for (let entries = batches.shift(); entries !== undefined; entries = batches.shift()) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Alerts handed to SES, SNS SMS or the topic so far (this bench's subscriptions only use e-mail). */
function sentAlerts(stack: LocalStack): number {
  return stack.standins.sentEmails().length + stack.standins.smsOutbox.messages.length;
}

async function run(): Promise<string> {
  const workload = benchWorkload();
  const subscriptions = benchSubscriptions(workload);
  subscriptions.push({
    ...(subscriptions[0] as Subscription),
    id: 'bench-probe',
    name: 'Probe',
    query: PROBE_WORD,
    channels: [{ type: 'email', address: 'probe@example.com', confirmed: true }],
  });

  const stack = await startLocalStack({
    seed: false,
    visibilityTimeoutSeconds: 30,
    snapshotEverySeconds: 3600,
    concurrency: 4,
  });
  const clients = standinClients(stack.standins);
  try {
    const loadStarted = performance.now();
    await putSubscriptions(stack, subscriptions);
    const loadMs = performance.now() - loadStarted;
    progress(`${subscriptions.length} subscriptions in DynamoDB after ${formatMs(loadMs)}`);
    const snapshotStarted = performance.now();
    const summary = await stack.rebuildSnapshot();
    const snapshotMs = performance.now() - snapshotStarted;

    // Warm-up: the first probe also waits for the matcher to load and compile the new snapshot.
    const firstProbeMs = await probe(stack, clients.sqs, 0);
    progress(
      `snapshot built in ${formatMs(snapshotMs)}; first probe alerted after ${formatMs(firstProbeMs)}`,
    );
    const latencies: number[] = [];
    for (let n = 1; n <= PROBES; n++) latencies.push(await probe(stack, clients.sqs, n));

    progress(`${PROBES} probes: p50 ${formatMs(percentile(latencies, 50))}`);

    // Matcher alone, on a queue full of stories (as after a burst on the wire): both pollers stop, the stories
    // are queued, then a matcher poller drains them; their jobs wait in the deliveries queue.
    await Promise.all([stack.pollers.notifier.stop(), stack.pollers.matcher.stop()]);
    const stories = Array.from(
      { length: THROUGHPUT_STORIES },
      (_, i) => workload.stories[i % workload.stories.length] as Story,
    );
    const enqueueStarted = performance.now();
    await enqueue(clients.sqs, stack.resources.queues.stories.url, stories);
    const enqueuedMs = performance.now() - enqueueStarted;
    const { handler: matcher } = await import('../functions/handlers/matcher.ts');
    const started = performance.now();
    const matcherPoller = startPoller({
      sqs: clients.sqs,
      queueUrl: stack.resources.queues.stories.url,
      queueArn: stack.resources.queues.stories.arn,
      handler: matcher as SqsLambdaHandler,
      functionName: 'wirewatch-matcher',
      concurrency: 4,
    });
    await until(
      () => matcherPoller.stats.succeeded >= stories.length,
      600_000,
      'the matcher to take every story',
    );
    const matchedMs = performance.now() - started;
    await matcherPoller.stop();
    const messages = await queueDepth(clients.sqs, stack.resources.queues.deliveries.url);
    const jobs = plannedJobs(stories, subscriptions);
    progress(
      `matched ${stories.length} stories in ${formatMs(matchedMs)}; ${jobs} delivery jobs queued in ${messages} messages`,
    );

    // Notifier alone, on the jobs those stories made (the first NOTIFIER_JOBS of them).
    const { handler: notifier } = await import('../functions/handlers/notifier.ts');
    // Counts the jobs in each message handed to the notifier (a message holds up to 50).
    let jobsHandled = 0;
    const countingNotifier: SqsLambdaHandler = async (event, context) => {
      let jobsInBatch = 0;
      for (const record of event.Records) jobsInBatch += decodeDeliveryMessage(record.body).length;
      const result = await (notifier as SqsLambdaHandler)(event, context);
      jobsHandled += jobsInBatch;
      return result;
    };
    const mailsBefore = stack.standins.sentEmails().length;
    const sendsBefore = sentAlerts(stack);
    const notifyStarted = performance.now();
    const notifierPoller = startPoller({
      sqs: clients.sqs,
      queueUrl: stack.resources.queues.deliveries.url,
      queueArn: stack.resources.queues.deliveries.arn,
      handler: countingNotifier,
      functionName: 'wirewatch-notifier',
      concurrency: 4,
    });
    const target = Math.min(NOTIFIER_JOBS, jobs);
    // Jobs are counted as their message is handed over: wait for those messages to be done.
    await until(() => jobsHandled >= target, 600_000, 'the notifier');
    const notifiedMs = performance.now() - notifyStarted;
    const alertsSent = sentAlerts(stack) - sendsBefore;
    const mailsSent = stack.standins.sentEmails().length - mailsBefore;
    await notifierPoller.stop();
    progress(`notifier sent ${alertsSent} alerts in ${formatMs(notifiedMs)}`);

    const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms).toLocaleString('en-US');
    const jobsPerStory = jobs / stories.length;
    const jobsPerSecond = (jobsHandled * 1000) / notifiedMs;
    return [
      `Workload: ${workload.source}. ${summary.active.toLocaleString('en-US')} active subscriptions, each with ` +
        `one e-mail channel (into DynamoDB in ${formatMs(loadMs)}; snapshot built in ${formatMs(snapshotMs)}, ` +
        `${(summary.bytes / 1024).toFixed(0)} KiB gzipped). Pollers: 4 concurrent batches of 10 per function.`,
      '',
      markdownTable(
        ['enqueue -> e-mail', 'p50', 'p99', 'max', 'first (loads the snapshot)'],
        [
          [
            `${PROBES} probe stories, one at a time`,
            formatMs(percentile(latencies, 50)),
            formatMs(percentile(latencies, 99)),
            formatMs(Math.max(...latencies)),
            formatMs(firstProbeMs),
          ],
        ],
      ),
      '',
      markdownTable(
        ['stage', 'work', 'time', 'rate'],
        [
          [
            'matcher (parse, match, queue jobs)',
            `${stories.length.toLocaleString('en-US')} queued stories (queued in ${formatMs(enqueuedMs)} beforehand)`,
            formatMs(matchedMs),
            `${perSecond(stories.length, matchedMs)} stories/s`,
          ],
          [
            'notifier (claim, render, SES, settle)',
            `${jobsHandled.toLocaleString('en-US')} jobs in ${notifierPoller.stats.succeeded} messages (${mailsSent} e-mails, the rest topic messages)`,
            formatMs(notifiedMs),
            `${Math.round(jobsPerSecond).toLocaleString('en-US')} jobs/s`,
          ],
          [
            'whole pipeline, one process (the slower stage)',
            `${jobsPerStory.toFixed(1)} delivery jobs per story`,
            '',
            `${Math.min(stories.length / (matchedMs / 1000), jobsPerSecond / jobsPerStory).toFixed(0)} stories/s`,
          ],
        ],
      ),
      '',
      'Targets: >= 300 stories/s through the pipeline; enqueue -> e-mail p50 < 100 ms. Everything (stand-ins, ' +
        'pollers, handlers, SDK clients on both ends of every call) shares one Node process here; in AWS each ' +
        'function scales out on its own and the services are not emulated in the same process.',
    ].join('\n');
  } finally {
    for (const client of Object.values(clients)) client.destroy();
    await stack.stop();
  }
}

export const pipelineSection: BenchSection = {
  name: 'pipeline',
  description:
    'The local pipeline (stand-ins + pollers + real handlers, one process) with 10,000 subscriptions: enqueue -> e-mail latency and throughput.',
  run,
};
