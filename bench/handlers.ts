/**
 * The Lambda bundles: each handler bundled with esbuild as the CDK construct does (infra/constructs/
 * wirewatch-function.ts), its size, and its cold start in a fresh Node process: module initialisation (for the
 * matcher: loading and indexing a snapshot of 10,000 subscriptions from the local S3 bucket), then the first
 * invocation, which matches one story.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { SNAPSHOT_KEY } from '../definitions/resources.ts';
import { S3SnapshotStore } from '../functions/adapters/s3-snapshot-store.ts';
import { planQueries } from '../functions/core/matching/plans.ts';
import type { Story } from '../functions/core/stories/story.ts';
import { constructBuildOptions } from '../infra/constructs/bundling.ts';
import { localHandlerEnv, provisionResources, standinClients } from '../local/provision.ts';
import { startStandins } from '../local/standins.ts';
import { sqsEvent, sqsRecord } from '../test/support/lambda-events.ts';
import { benchSubscriptions, benchWorkload, SUBSCRIPTIONS, storyEnvelope } from './pipeline.ts';
import type { BenchSection } from './sections.ts';
import { formatMs, markdownTable, percentile } from './support.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Inside the repository, next to its node_modules, like the CDK's own bundling output. */
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'wirewatch-bench', 'handlers');
const HANDLERS = ['matcher', 'notifier', 'snapshot-builder', 'api', 'mail-feedback'] as const;
const COLD_RUNS = Number(process.env.WIREWATCH_BENCH_COLD_RUNS ?? 5);
/** The Lambda runtime is Node 24; use it when installed (see research.md), else this Node. */
const NODE24 = join(homedir(), '.cache', 'node24', 'node_modules', '.bin', 'node');

/** Fails when the construct's bundling no longer says what constructBuildOptions (bundling.ts) mirrors. */
async function sameAsConstruct(): Promise<void> {
  const construct = await readFile(join(ROOT, 'infra', 'constructs', 'wirewatch-function.ts'), 'utf8');
  const expected = [
    'banner: ESM_REQUIRE_BANNER',
    "'--alias': Object.entries(builtinAliases())",
    'format: OutputFormat.ESM',
    "target: 'node24'",
    "mainFields: ['module', 'main']",
    'minify: true',
    'sourceMap: true',
    'externalModules: []',
  ];
  const missing = expected.filter((fragment) => !construct.includes(fragment));
  if (missing.length > 0) {
    throw new Error(
      `constructBuildOptions in infra/constructs/bundling.ts bundles differently from the CDK construct now; update it: ${missing.join(', ')}`,
    );
  }
}

async function bundle(name: string): Promise<{ file: string; bytes: number; gzipBytes: number }> {
  const file = join(OUT_DIR, `${name}.mjs`);
  // The construct's bundling: ESM, node24, module-first main fields, require banner, built-ins through require,
  // minified, source map, AWS SDK v3 bundled in. From the project root, as the construct runs esbuild.
  await build({
    ...constructBuildOptions(),
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'functions', 'handlers', `${name}.ts`)],
    outfile: file,
  });
  const bytes = (await stat(file)).size;
  return { file, bytes, gzipBytes: gzipSync(await readFile(file)).length };
}

interface ColdStart {
  readonly importMs: number;
  readonly firstMs: number;
  readonly warmMs: number;
}

/**
 * Imports the bundle in a fresh process and invokes it twice with `event`; returns the child's timings.
 * Asynchronous: the stand-ins it talks to run in this process.
 */
async function coldStart(
  node: string,
  file: string,
  env: Record<string, string>,
  event: unknown,
): Promise<ColdStart> {
  const script = `
    const context = { functionName: 'bench', functionVersion: '$LATEST', awsRequestId: 'bench',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench', memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 30000 };
    const event = ${JSON.stringify(event)};
    const t0 = performance.now();
    const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
    const t1 = performance.now();
    const first = await handler(event, context);
    const t2 = performance.now();
    await handler(event, context);
    const t3 = performance.now();
    if (first && Array.isArray(first.batchItemFailures) && first.batchItemFailures.length > 0) {
      throw new Error('the first invocation failed: ' + JSON.stringify(first));
    }
    process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, warmMs: t3 - t2 }));
    process.exit(0);`;
  const { stdout: output } = await promisify(execFile)(
    node,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return JSON.parse(output.slice(output.lastIndexOf('{'))) as ColdStart;
}

async function run(): Promise<string> {
  await sameAsConstruct();
  await mkdir(OUT_DIR, { recursive: true });
  const bundles = new Map<string, Awaited<ReturnType<typeof bundle>>>();
  for (const name of HANDLERS) {
    if (existsSync(join(ROOT, 'functions', 'handlers', `${name}.ts`))) bundles.set(name, await bundle(name));
  }

  const node = existsSync(NODE24) ? NODE24 : process.execPath;
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const standins = await startStandins();
  const clients = standinClients(standins);
  try {
    const resources = await provisionResources(standins);
    const workload = benchWorkload();
    const subscriptions = benchSubscriptions(workload);
    const store = new S3SnapshotStore(clients.s3, resources.snapshotBucket, SNAPSHOT_KEY);
    const env = {
      ...localHandlerEnv(standins, resources, {
        signingSecret: 'b'.repeat(43),
        publicBaseUrl: 'http://127.0.0.1:8080',
      }),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
    const story = workload.stories[0] as Story;
    const matcherFile = bundles.get('matcher')?.file;
    // The same cold start with an empty snapshot and with the full one: the difference is the snapshot's cost.
    const coldRows: string[][] = [];
    let snapshotBytes = 0;
    // As the snapshot builder writes it (with query plans), and without plans, as a matcher must compile a
    // snapshot whose plans come from another engine version.
    const variants = [
      { count: 0, planned: true, label: '0' },
      { count: SUBSCRIPTIONS, planned: true, label: `${SUBSCRIPTIONS.toLocaleString('en-US')}` },
      {
        count: SUBSCRIPTIONS,
        planned: false,
        label: `${SUBSCRIPTIONS.toLocaleString('en-US')}, no plans (compiled from the queries)`,
      },
    ];
    for (const { count, planned, label } of matcherFile === undefined ? [] : variants) {
      const loaded = subscriptions.slice(0, count);
      const plans = planned ? planQueries(loaded.map((subscription) => subscription.query)) : undefined;
      const written = await store.write(loaded, plans);
      if (planned) snapshotBytes = written.bytes;
      const runs: ColdStart[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        const event = sqsEvent(
          sqsRecord(storyEnvelope(story, `bench-cold-${Date.now()}-${i}`), {
            eventSourceARN: resources.queues.stories.arn,
          }),
        );
        runs.push(await coldStart(node, matcherFile as string, env, event));
      }
      const median = (pick: (run: ColdStart) => number) => formatMs(percentile(runs.map(pick), 50));
      coldRows.push([
        label,
        median((r) => r.importMs),
        median((r) => r.firstMs),
        median((r) => r.importMs + r.firstMs),
        median((r) => r.warmMs),
      ]);
    }
    const sizeRows = [...bundles].map(([name, { bytes, gzipBytes }]) => [
      name,
      `${(bytes / 1024).toFixed(0)} KiB`,
      `${(gzipBytes / 1024).toFixed(0)} KiB`,
      name === 'matcher' ? (bytes < 1024 * 1024 ? 'yes (< 1 MB)' : 'NO (>= 1 MB)') : '',
    ]);
    return [
      markdownTable(['bundle', 'minified ESM', 'gzipped', 'matcher target'], sizeRows),
      '',
      `Cold start of the matcher bundle in a fresh \`node ${nodeVersion} --enable-source-maps\` process, median of ` +
        `${COLD_RUNS} (the ${SUBSCRIPTIONS.toLocaleString('en-US')}-subscription snapshot, with its query plans, is ` +
        `${(snapshotBytes / 1024).toFixed(0)} KiB gzipped, in the local S3):`,
      '',
      markdownTable(
        [
          'subscriptions',
          'module init (import; load and index the snapshot)',
          'first invocation (match, queue jobs)',
          'cold total',
          'warm invocation',
        ],
        coldRows,
      ),
      '',
      'Target: cold init < 300 ms with 10,000 subscriptions. Module init is what Lambda reports as Init ' +
        'Duration: the matcher loads the snapshot (S3 GET, gunzip, index from its plans) before its first event. ' +
        'Lambda at 512 MB has about a third of a vCPU, so its times are longer than these.',
    ].join('\n');
  } finally {
    for (const client of Object.values(clients)) client.destroy();
    await standins.stop();
  }
}

export const handlersSection: BenchSection = {
  name: 'handlers',
  description:
    'Each handler bundled as the CDK construct bundles it (esbuild ESM, minified, node24, AWS SDK included): size, and the matcher cold start with 10,000 subscriptions.',
  run,
};
