/**
 * Compile bench: compileSubscriptions alone (no stories matched), from query strings and from plans,
 * with wall time, process CPU time, GC pauses and the heap the index retains. Target: 1M subscriptions
 * compiled in under 5 s.
 *
 * Sets: the matching bench's topical and long-tail subscriptions (WIREWATCH_BENCH_SIZES, default 1000000),
 * and, when WIREWATCH_BENCH_SUBSCRIPTIONS names a JSON file of [{ id, query }] (e.g. the Lucene comparison's
 * generated subscriptions), that file, read and parsed inside the timing as `wirewatch match` does.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { compileSubscriptions, planQueries, type QuerySource } from '../functions/core/matching/index.ts';
import { loadWorkload } from './matching-workload.ts';
import type { BenchSection } from './sections.ts';
import { benchSizes, formatBytes, heapUsedBytes, markdownTable } from './support.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');
const WORKLOAD_SEED = 2026;
const SUBSCRIPTION_SEED = 7;

const sizes = () => benchSizes([1_000_000]);

interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly gcMs: number;
}

/** Sums GC pauses reported while it is open (entries arrive asynchronously: read after a tick). */
class GcClock {
  private total = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.total += entry.duration;
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  async stop(): Promise<number> {
    await new Promise((done) => setTimeout(done, 100)); // GC entries are delivered on a later turn
    this.observer.disconnect();
    return this.total;
  }
}

async function measure<T>(work: () => T): Promise<{ result: T } & Measured> {
  const gc = new GcClock();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, gcMs: await gc.stop() };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cells = (m: Measured) => [seconds(m.wallMs), seconds(m.cpuMs), seconds(m.gcMs)];

async function benchSet(name: string, load: () => QuerySource[]): Promise<string[]> {
  const loaded = await measure(load);
  const subs = loaded.result;
  const heapBefore = heapUsedBytes();
  const compiled = await measure(() => compileSubscriptions(subs));
  const heapAfter = heapUsedBytes() - heapBefore;
  const { errors } = compiled.result;
  const distinct = new Set(subs.map((sub) => sub.query)).size;
  const plans = planQueries(subs.map((sub) => sub.query));
  const fromPlans = await measure(() => compileSubscriptions(subs, { plans }));
  if (fromPlans.result.errors.length !== errors.length) throw new Error(`${name}: plans changed the errors`);
  return [
    name,
    subs.length.toLocaleString('en-US'),
    distinct.toLocaleString('en-US'),
    seconds(loaded.wallMs),
    ...cells(compiled),
    formatBytes(heapAfter),
    ...cells(fromPlans),
  ];
}

export const compileSection: BenchSection = {
  name: 'compile',
  description:
    'compileSubscriptions alone: wall, process CPU and GC time, retained heap; from query strings and from plans.',
  async run() {
    const workload = loadWorkload(REUTERS_DIR, WORKLOAD_SEED);
    const rows: string[][] = [];
    for (const size of sizes()) {
      rows.push(await benchSet('topical', () => workload.makeSubscriptions(size, SUBSCRIPTION_SEED)));
      rows.push(
        await benchSet('long tail', () => workload.makeLongTailSubscriptions(size, SUBSCRIPTION_SEED)),
      );
    }
    const file = process.env.WIREWATCH_BENCH_SUBSCRIPTIONS;
    if (file !== undefined && file !== '') {
      const read = () => JSON.parse(readFileSync(file, 'utf8')) as QuerySource[];
      rows.push(await benchSet(file.split('/').pop() ?? file, read));
    }
    return [
      `Workload: ${workload.source}.`,
      '',
      markdownTable(
        [
          'set',
          'subscriptions',
          'distinct queries',
          'load',
          'compile wall',
          'CPU',
          'GC',
          'index heap',
          'from plans wall',
          'CPU',
          'GC',
        ],
        rows,
      ),
      '',
      '"load": making the subscription list (or reading and parsing the file). "CPU": process CPU time, GC threads included.',
    ].join('\n');
  },
};
