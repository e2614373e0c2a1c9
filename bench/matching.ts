/**
 * Matching bench: compile 1k / 100k / 1M subscriptions of a realistic mix, match real stories,
 * and compare with brute force (which must give the same matches: the bench throws if not).
 *
 * Targets: 1M subscriptions match a 400-800-word story in < 1 ms median on one core, compile in
 * < 20 s and < 1.5 GB heap; 1k -> 1M costs at most 3x per story.
 * WIREWATCH_BENCH_SIZES=1000,100000 limits the sizes (default 1000,100000,1000000).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSubscriptions, createBruteForceMatcher, type Match } from '../functions/core/matching/index.ts';
import type { Story } from '../functions/core/stories/story.ts';
import { loadWorkload } from './matching-workload.ts';
import type { BenchSection } from './sections.ts';
import { formatBytes, formatMs, heapUsedBytes, markdownTable, percentile } from './support.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');
const WORKLOAD_SEED = 2026;
const SUBSCRIPTION_SEED = 7;

/** Stories matched by brute force per size (it is slow at 1M by design). */
function bruteForceSample(size: number): number {
  if (size <= 1_000) return 200;
  if (size <= 100_000) return 40;
  return 10;
}

function sizes(): number[] {
  const configured = process.env.WIREWATCH_BENCH_SIZES;
  if (configured === undefined || configured.trim() === '') return [1_000, 100_000, 1_000_000];
  return configured.split(',').map((size) => {
    const value = Number(size.trim());
    if (!Number.isInteger(value) || value < 1) throw new Error(`WIREWATCH_BENCH_SIZES: '${size}' is not a positive integer`);
    return value;
  });
}

function sameMatches(a: readonly Match[], b: readonly Match[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((match, i) => JSON.stringify(match) === JSON.stringify(b[i]));
}

function time<T>(work: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

interface SizeResult {
  readonly row: string[];
  readonly p50: number;
}

function benchSize(size: number, stories: readonly Story[], makeSubs: (n: number) => { id: string; query: string }[]): SizeResult {
  const subs = makeSubs(size);
  const heapBefore = heapUsedBytes();
  const compiled = time(() => compileSubscriptions(subs));
  const { index, errors } = compiled.result;
  const heapAfter = heapUsedBytes();
  if (errors.length > 0) {
    throw new Error(`the workload produced ${errors.length} invalid queries, e.g. ${errors[0]?.id}: ${errors[0]?.error.message}`);
  }
  for (const story of stories) index.match(story); // warm up
  const times: number[] = [];
  let matchCount = 0;
  const rounds = 3;
  for (let round = 0; round < rounds; round++) {
    for (const story of stories) {
      const { result, ms } = time(() => index.match(story));
      times.push(ms);
      if (round === 0) matchCount += result.length;
    }
  }
  const p50 = percentile(times, 50);
  const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;

  const brute = createBruteForceMatcher(subs);
  const sample = stories.slice(0, bruteForceSample(size));
  const bruteTimes: number[] = [];
  const indexTimes: number[] = [];
  for (const story of sample) {
    const expected = time(() => brute(story));
    const actual = time(() => index.match(story));
    if (!sameMatches(actual.result, expected.result)) {
      throw new Error(`index and brute force disagree on story ${story.id} with ${size} subscriptions`);
    }
    bruteTimes.push(expected.ms);
    indexTimes.push(actual.ms);
  }
  const speedUp = percentile(bruteTimes, 50) / percentile(indexTimes, 50);
  return {
    p50,
    row: [
      size.toLocaleString('en-US'),
      (compiled.result.index.size === size ? size : compiled.result.index.size).toLocaleString('en-US'),
      `${(compiled.ms / 1000).toFixed(2)} s`,
      formatBytes(heapAfter - heapBefore),
      formatBytes(heapAfter),
      formatMs(p50),
      formatMs(percentile(times, 99)),
      Math.round(1000 / mean).toLocaleString('en-US'),
      (matchCount / stories.length).toFixed(1),
      `${speedUp.toFixed(0)}x (${formatMs(percentile(bruteTimes, 50))}, ${sample.length} stories)`,
    ],
  };
}

export const matchingSection: BenchSection = {
  name: 'matching',
  description:
    'Subscriptions compiled into one index, matched against real stories on one core; brute force evaluates every subscription.',
  async run() {
    const loaded = time(() => loadWorkload(REUTERS_DIR, WORKLOAD_SEED));
    const workload = loaded.result;
    const example = workload.makeSubscriptions(12, SUBSCRIPTION_SEED).map((sub) => `\`${sub.query}\``);
    const results: SizeResult[] = [];
    for (const size of sizes()) {
      results.push(benchSize(size, workload.stories, (n) => workload.makeSubscriptions(n, SUBSCRIPTION_SEED)));
    }
    const table = markdownTable(
      [
        'subscriptions',
        'compiled',
        'compile',
        'index heap',
        'heap used',
        'p50 / story',
        'p99 / story',
        'stories/s',
        'matches / story',
        'speed-up vs brute force (its p50)',
      ],
      results.map((result) => result.row),
    );
    const first = results[0];
    const last = results[results.length - 1];
    const ratio =
      first !== undefined && last !== undefined && results.length > 1
        ? `\n\nCost per story from the smallest to the largest set: ${(last.p50 / first.p50).toFixed(2)}x (p50).`
        : '';
    return [
      `Workload: ${workload.source} (loaded in ${(loaded.ms / 1000).toFixed(1)} s).`,
      `Example subscriptions: ${example.join(', ')}.`,
      '',
      table + ratio,
      '',
      '"index heap" is the heap retained by the compiled index (after a full GC); "heap used" includes the',
      'subscription list itself. Index and brute force gave identical matches on every sampled story.',
    ].join('\n');
  },
};
