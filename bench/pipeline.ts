/**
 * The local pipeline under load: stand-ins, pollers and the real matcher and notifier in one process, 10,000
 * subscriptions (the matching bench's workload, each with a confirmed e-mail channel) in DynamoDB.
 * Measures enqueue -> e-mail latency one probe story at a time, then throughput for two subscription mixes
 * (topical: every query from the stories' own words; long tail: 1,000 of those and 9,000 on names not in the
 * news): the matcher on a queue full of stories, the notifier on their jobs, and both at once end to end.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PurgeQueueCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toItem } from '../functions/adapters/subscription-item.ts';
import { decodeDeliveryMessage } from '../functions/core/deliveries/codec.ts';
import { planDeliveries } from '../functions/core/deliveries/plan.ts';
import { deliveryCount } from '../functions/core/deliveries/types.ts';
import { compileSubscriptions } from '../functions/core/matching/index.ts';
import { parseStories } from '../functions/core/stories/parse.ts';
import type { Story } from '../functions/core/stories/story.ts';
import type { Subscription } from '../functions/core/subscriptions/subscription.ts';
import { type SqsLambdaHandler, startPoller } from '../local/poller.ts';
import { standinClients } from '../local/provision.ts';
import { type LocalStack, startLocalStack } from '../local/stack.ts';
import { loadWorkload, type Workload } from './matching-workload.ts';
import { countStandinRequests, countsBetween, requestCounts } from './request-counts.ts';
import type { BenchSection } from './sections.ts';
import { formatMs, markdownTable, percentile } from './support.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');
const WORKLOAD_SEED = 2026;
const SUBSCRIPTION_SEED = 7;
export const SUBSCRIPTIONS = 10_000;
const PROBES = Number(process.env.WIREWATCH_BENCH_PROBES ?? 100);
const THROUGHPUT_STORIES = Number(process.env.WIREWATCH_BENCH_STORIES ?? 1000);
const NOTIFIER_JOBS = Number(process.env.WIREWATCH_BENCH_JOBS ?? 3000);
const END_TO_END_STORIES = Number(process.env.WIREWATCH_BENCH_E2E_STORIES ?? 100);
/** Progress on stderr (the report is stdout). */
const progress = (line: string) => process.stderr.write(`pipeline bench: ${line}\n`);
/** Words in no dictionary: only the probe subscription matches the probe stories. */
const PROBE_WORD = 'zyxquorp';

export function benchWorkload(): Workload {
  return loadWorkload(REUTERS_DIR, WORKLOAD_SEED);
}

/**
 * The workload's queries as active subscriptions, each with a confirmed e-mail channel and the alerts topic
 * (`sns: true`): an e-mail and a topic alert per match, the same work per match as before the topic carried
 * only the subscriptions that chose it, so figures compare across that change.
 */
export function benchSubscriptions(workload: Workload, count: number = SUBSCRIPTIONS): Subscription[] {
  const at = '2026-01-01T00:00:00.000Z';
  return workload.makeSubscriptions(count, SUBSCRIPTION_SEED).map((source, index) => ({
    id: source.id,
    owner: `bench-owner-${index % 500}`,
    name: `Bench ${index}`,
    query: source.query,
    channels: [
      { type: 'email', address: `reader-${index}@example.com`, confirmed: true },
      { type: 'sns', confirmed: true },
    ],
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

/**
 * Waits until `count()` reaches `target`; fails, saying how far it got, once it stops moving for `stallMs`
 * (WIREWATCH_BENCH_STALL_MS: a loaded machine may take longer than 30 s for the first batches).
 */
async function untilCount(
  count: () => number,
  target: number,
  what: string,
  stallMs = Number(process.env.WIREWATCH_BENCH_STALL_MS ?? 30_000),
): Promise<void> {
  let last = count();
  let movedAt = Date.now();
  while (count() < target) {
    if (count() !== last) {
      last = count();
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      throw new Error(`pipeline bench: ${what} stopped at ${last} of ${target}`);
    }
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
  // Words of its own in every probe: otherwise probes differing by a number are near-duplicates of each other,
  // and a subscriber gets one alert per group of the same news.
  const own = Array.from({ length: 8 }, (_, k) => `probe${n}w${k}`).join(' ');
  const body = JSON.stringify({
    wirewatch: 1,
    id: `bench-probe-${n}`,
    headline: `Probe ${marker} ${own}`,
    body: `Plombic ${marker} trandule ${own}.`,
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

/** The workload's queries as subscriptions; the long-tail mix when `longTail` (see matching-workload.ts). */
function subscriptionsOf(workload: Workload, longTail: boolean): Subscription[] {
  const base = benchSubscriptions(workload);
  if (!longTail) return base;
  const queries = workload.makeLongTailSubscriptions(SUBSCRIPTIONS, SUBSCRIPTION_SEED);
  return base.map((subscription, index) => ({
    ...subscription,
    query: queries[index]?.query ?? subscription.query,
  }));
}

function withProbe(subscriptions: Subscription[]): Subscription[] {
  return [
    ...subscriptions,
    {
      ...(subscriptions[0] as Subscription),
      id: 'bench-probe',
      name: 'Probe',
      query: PROBE_WORD,
      channels: [{ type: 'email', address: 'probe@example.com', confirmed: true }],
    },
  ];
}

interface Throughput {
  readonly label: string;
  readonly matchesPerStory: number;
  readonly jobsPerStory: number;
  readonly matcherStoriesPerSecond: number;
  readonly notifierJobsPerSecond: number;
  /** Jobs per second of this process's CPU time (user + system) while the notifier ran alone: less sensitive to other load. */
  readonly notifierJobsPerCpuSecond: number;
  /** Requests the stand-ins received while the notifier ran alone, by operation, and the jobs and messages. */
  readonly notifierRequests: { readonly byOperation: [string, number][]; jobs: number; messages: number };
  readonly endToEndStories: number;
  readonly endToEndMs: number;
}

type Handlers = { readonly matcher: SqsLambdaHandler; readonly notifier: SqsLambdaHandler };

/** The notifier handler, counting the jobs of each batch once it is done (a message holds up to 50). */
function countingNotifier(notifier: SqsLambdaHandler): {
  handler: SqsLambdaHandler;
  jobs: () => number;
  messages: () => number;
} {
  let jobs = 0;
  let messages = 0;
  return {
    handler: async (event, context) => {
      let inBatch = 0;
      for (const record of event.Records) inBatch += deliveryCount(decodeDeliveryMessage(record.body));
      const result = await notifier(event, context);
      jobs += inBatch;
      messages += event.Records.length;
      return result;
    },
    jobs: () => jobs,
    messages: () => messages,
  };
}

/**
 * Throughput with the subscriptions now in the snapshot, the stack's own pollers stopped: the matcher alone on
 * a queue full of stories, the notifier alone on the jobs they made, then both at once from enqueue to the last
 * alert.
 */
async function throughput(
  stack: LocalStack,
  handlers: Handlers,
  label: string,
  subscriptions: readonly Subscription[],
  workload: Workload,
): Promise<Throughput> {
  const clients = standinClients(stack.standins);
  const { queues } = stack.resources;
  const poller = (queue: 'stories' | 'deliveries', handler: SqsLambdaHandler) =>
    startPoller({
      sqs: clients.sqs,
      queueUrl: queues[queue].url,
      queueArn: queues[queue].arn,
      handler,
      functionName: `wirewatch-${queue}`,
      concurrency: 4,
    });
  const stories = (count: number, offset = 0) =>
    Array.from(
      { length: count },
      (_, i) => workload.stories[(offset + i) % workload.stories.length] as Story,
    );
  try {
    // Matcher alone, on a queue full of stories (as after a burst on the wire).
    const queued = stories(THROUGHPUT_STORIES);
    await enqueue(clients.sqs, queues.stories.url, queued);
    const matchStarted = performance.now();
    const matcherPoller = poller('stories', handlers.matcher);
    await untilCount(() => matcherPoller.stats.succeeded, queued.length, 'the matcher');
    const matchedMs = performance.now() - matchStarted;
    await matcherPoller.stop();
    const planned = plannedWork(queued, subscriptions);
    progress(`${label}: matched ${queued.length} stories in ${formatMs(matchedMs)}`);

    // Notifier alone, on the first NOTIFIER_JOBS of those jobs; the rest are purged.
    const counting = countingNotifier(handlers.notifier);
    const requestsBefore = requestCounts();
    const cpuBefore = process.cpuUsage();
    const notifyStarted = performance.now();
    const notifierPoller = poller('deliveries', counting.handler);
    const target = Math.min(NOTIFIER_JOBS, planned.jobs);
    await untilCount(counting.jobs, target, 'the notifier');
    const notifiedMs = performance.now() - notifyStarted;
    const notifierCpu = process.cpuUsage(cpuBefore);
    await notifierPoller.stop();
    const notifierRequests = {
      byOperation: countsBetween(requestsBefore, requestCounts()),
      jobs: counting.jobs(),
      messages: counting.messages(),
    };
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queues.deliveries.url }));
    const cpuMs = (notifierCpu.user + notifierCpu.system) / 1000;
    progress(
      `${label}: notifier handled ${counting.jobs()} jobs in ${formatMs(notifiedMs)} (${formatMs(cpuMs)} of CPU)`,
    );

    // Both at once: stories in, every alert out.
    const flow = stories(END_TO_END_STORIES, THROUGHPUT_STORIES);
    const expected = plannedWork(flow, subscriptions).jobs;
    const flowCounting = countingNotifier(handlers.notifier);
    const both = [poller('stories', handlers.matcher), poller('deliveries', flowCounting.handler)];
    const flowStarted = performance.now();
    await enqueue(clients.sqs, queues.stories.url, flow);
    await untilCount(flowCounting.jobs, expected, 'the alerts of the end-to-end stories');
    const endToEndMs = performance.now() - flowStarted;
    await Promise.all(both.map((p) => p.stop()));
    progress(`${label}: ${flow.length} stories end to end in ${formatMs(endToEndMs)}`);

    return {
      label,
      matchesPerStory: planned.matches / queued.length,
      jobsPerStory: planned.jobs / queued.length,
      matcherStoriesPerSecond: (queued.length * 1000) / matchedMs,
      notifierJobsPerSecond: (counting.jobs() * 1000) / notifiedMs,
      notifierJobsPerCpuSecond: (counting.jobs() * 1e6) / (notifierCpu.user + notifierCpu.system),
      notifierRequests,
      endToEndStories: flow.length,
      endToEndMs,
    };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

/**
 * Matches and delivery jobs these stories make, planned in process with the pure core: each story as the matcher
 * sees it, parsed from its envelope (which carries fewer fields than the corpus story).
 */
function plannedWork(stories: readonly Story[], subscriptions: readonly Subscription[]) {
  const { index } = compileSubscriptions(subscriptions.map(({ id, query }) => ({ id, query })));
  const byId = new Map(subscriptions.map((subscription) => [subscription.id, subscription]));
  let matches = 0;
  let jobs = 0;
  for (const story of stories.flatMap((original) => parseStories(storyEnvelope(original)))) {
    const plan = planDeliveries(story, index, byId);
    matches += plan.matches.length;
    jobs += deliveryCount(plan);
  }
  return { matches, jobs };
}

/**
 * Loads subscriptions into DynamoDB, waits until the change log holds every write (the matcher applies it at
 * its next check, before the next story), and compacts it into a new snapshot.
 */
async function load(stack: LocalStack, subscriptions: readonly Subscription[]) {
  const loadStarted = performance.now();
  await putSubscriptions(stack, subscriptions);
  await stack.changesWritten();
  const loadMs = performance.now() - loadStarted;
  const snapshotStarted = performance.now();
  const summary = await stack.rebuildSnapshot();
  return { loadMs, snapshotMs: performance.now() - snapshotStarted, summary };
}

async function run(): Promise<string> {
  countStandinRequests();
  const workload = benchWorkload();
  const topical = withProbe(subscriptionsOf(workload, false));
  const stack = await startLocalStack({
    seed: false,
    visibilityTimeoutSeconds: 30,
    snapshotEverySeconds: 3600,
    concurrency: 4,
  });
  const clients = standinClients(stack.standins);
  try {
    const { loadMs, snapshotMs, summary } = await load(stack, topical);
    progress(`${topical.length} subscriptions in DynamoDB after ${formatMs(loadMs)}`);
    // Warm-up: the first probe also waits for the matcher to load and compile the new snapshot.
    const firstProbeMs = await probe(stack, clients.sqs, 0);
    progress(
      `snapshot built in ${formatMs(snapshotMs)}; first probe alerted after ${formatMs(firstProbeMs)}`,
    );
    const latencies: number[] = [];
    for (let n = 1; n <= PROBES; n++) latencies.push(await probe(stack, clients.sqs, n));
    progress(`${PROBES} probes: p50 ${formatMs(percentile(latencies, 50))}`);

    await Promise.all([stack.pollers.notifier.stop(), stack.pollers.matcher.stop()]);
    const handlers: Handlers = {
      matcher: (await import('../functions/handlers/matcher.ts')).handler as SqsLambdaHandler,
      notifier: (await import('../functions/handlers/notifier.ts')).handler as SqsLambdaHandler,
    };
    const rows = [await throughput(stack, handlers, 'topical', topical, workload)];

    // The long tail: same count, but most subscriptions name what is not in today's news.
    const longTail = withProbe(subscriptionsOf(workload, true));
    await load(stack, longTail);
    await warmMatcher(stack, handlers.matcher);
    rows.push(await throughput(stack, handlers, 'long tail', longTail, workload));

    const perSecond = (value: number) => Math.round(value).toLocaleString('en-US');
    return [
      `Workload: ${workload.source}. ${summary.active.toLocaleString('en-US')} active subscriptions, each with ` +
        `one e-mail channel and the alerts topic (into DynamoDB in ${formatMs(loadMs)}; snapshot built in ${formatMs(snapshotMs)}, ` +
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
      `Throughput with ${SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions. Matcher: ` +
        `${THROUGHPUT_STORIES.toLocaleString('en-US')} queued stories parsed, matched and their alerts queued. ` +
        `Notifier: the first ${NOTIFIER_JOBS.toLocaleString('en-US')} of their jobs claimed, rendered, sent and ` +
        `settled. End to end: ${END_TO_END_STORIES} more stories enqueued with both stages running, until the ` +
        'last alert is out.',
      '',
      markdownTable(
        [
          'subscriptions',
          'matches / story',
          'jobs / story',
          'matcher',
          'notifier',
          'notifier per CPU second',
          'end to end',
          'end to end, alerts',
        ],
        rows.map((row) => [
          row.label,
          row.matchesPerStory.toFixed(1),
          row.jobsPerStory.toFixed(1),
          `${perSecond(row.matcherStoriesPerSecond)} stories/s`,
          `${perSecond(row.notifierJobsPerSecond)} jobs/s`,
          `${perSecond(row.notifierJobsPerCpuSecond)} jobs`,
          `${perSecond((row.endToEndStories * 1000) / row.endToEndMs)} stories/s`,
          `${perSecond((row.endToEndStories * row.jobsPerStory * 1000) / row.endToEndMs)} jobs/s`,
        ]),
      ),
      '',
      ...rows.map(({ label, notifierRequests: { byOperation, jobs, messages } }) => {
        const perJob = byOperation.map(([operation, count]) => `${operation} ${(count / jobs).toFixed(3)}`);
        const dynamo = byOperation.filter(([operation]) => operation.startsWith('DynamoDB '));
        const dynamoPerJob = dynamo.reduce((sum, [, count]) => sum + count, 0) / jobs;
        return (
          `Notifier requests per job, ${label} (${jobs} jobs in ${messages} messages; the pollers' included): ` +
          `DynamoDB ${dynamoPerJob.toFixed(3)} in all; ${perJob.join(', ')}.`
        );
      }),
      '',
      'Targets: >= 300 stories/s through the pipeline; enqueue -> e-mail p50 < 100 ms. Everything (stand-ins, ' +
        'pollers, handlers, SDK clients on both ends of every call) shares one Node process, one JavaScript ' +
        'thread, here; every alert costs at least a ledger claim and a send, so end to end the rate is the ' +
        "notifier's jobs per second over the jobs per story. In AWS each function scales out on its own.",
    ].join('\n');
  } finally {
    for (const client of Object.values(clients)) client.destroy();
    await stack.stop();
  }
}

/** Lets the matcher see a new snapshot (it checks every second locally) before anything is timed. */
async function warmMatcher(stack: LocalStack, matcher: SqsLambdaHandler): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const clients = standinClients(stack.standins);
  try {
    const { queues } = stack.resources;
    const poller = startPoller({
      sqs: clients.sqs,
      queueUrl: queues.stories.url,
      queueArn: queues.stories.arn,
      handler: matcher,
      functionName: 'wirewatch-matcher',
    });
    const body = JSON.stringify({
      wirewatch: 1,
      id: 'bench-warm',
      headline: `Warm ${PROBE_WORD}`,
      body: 'Warm.',
    });
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.stories.url, MessageBody: body }));
    await until(() => poller.stats.succeeded >= 1, 60_000, 'the matcher to load the new snapshot');
    await poller.stop();
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queues.deliveries.url }));
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

export const pipelineSection: BenchSection = {
  name: 'pipeline',
  description:
    'The local pipeline (stand-ins + pollers + real handlers, one process) with 10,000 subscriptions: enqueue -> e-mail latency and throughput.',
  run,
};
