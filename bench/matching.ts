/**
 * Matching bench: compile 1k / 100k / 1M subscriptions, match real stories on one core, and
 * compare with brute force (which must give the same matches: the bench throws if not).
 *
 * Two subscription sets (see matching-workload.ts):
 *  - topical: every subscription drawn from the corpus vocabulary, so matches per story grow
 *    with the number of subscriptions (about 0.4% of subscriptions match each story);
 *  - long tail: the same 1,000 topical subscriptions plus queries on names absent from the
 *    corpus, so matches stay constant and the table shows what the index itself costs.
 * Targets: topical 1M at or under 0.8 ms a story (warm mean), long tail 1M under 0.5 ms, compile of 1M
 * under 5 s and 1.5 GB heap; 1k -> 1M costs at most 3x per story when matches stay few. A story's matches
 * come back unexplained: hits and snippets are worked out when read (the brute-force check reads them all).
 * WIREWATCH_BENCH_SIZES=1000,100000 limits the sizes (default 1000,100000,1000000); WIREWATCH_BENCH_SETS=longtail
 * (or topical) runs one set (default both).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileSubscriptions,
  createBruteForceMatcher,
  type Match,
  planQueries,
  type QuerySource,
} from '../functions/core/matching/index.ts';
import type { Story } from '../functions/core/stories/story.ts';
import { loadWorkload } from './matching-workload.ts';
import type { BenchSection } from './sections.ts';
import { benchSizes, formatBytes, formatMs, heapUsedBytes, markdownTable, percentile } from './support.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');
const WORKLOAD_SEED = 2026;
const SUBSCRIPTION_SEED = 7;
const ROUNDS = 3;

/** Stories matched by brute force per size (it is slow at 1M by design). */
function bruteForceSample(size: number): number {
  if (size <= 1_000) return 200;
  if (size <= 100_000) return 40;
  return 10;
}

const sizes = () => benchSizes([1_000, 100_000, 1_000_000]);

const SETS = ['topical', 'longtail'] as const;

function sets(): readonly string[] {
  const configured = process.env.WIREWATCH_BENCH_SETS;
  if (configured === undefined || configured.trim() === '') return SETS;
  return configured.split(',').map((set) => {
    const name = set.trim();
    if (!(SETS as readonly string[]).includes(name)) {
      throw new Error(`WIREWATCH_BENCH_SETS: '${set}' is not a set: use ${SETS.join(', ')}`);
    }
    return name;
  });
}

/** Same subscriptions, hits and snippets (a Match serialises its lazily worked-out explanation). */
function sameMatches(a: readonly Match[], b: readonly Match[]): boolean {
  return a.length === b.length && a.every((match, i) => JSON.stringify(match) === JSON.stringify(b[i]));
}

function time<T>(work: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

interface SizeResult {
  readonly row: string[];
  readonly p50: number;
  readonly cpu: number;
}

function benchSize(subs: readonly QuerySource[], stories: readonly Story[]): SizeResult {
  const size = subs.length;
  const heapBefore = heapUsedBytes();
  const compiled = time(() => compileSubscriptions(subs));
  const { index, errors } = compiled.result;
  const heapAfter = heapUsedBytes();
  if (errors.length > 0) {
    const first = errors[0];
    throw new Error(
      `the workload produced ${errors.length} invalid queries, e.g. ${first?.id}: ${first?.error.message}`,
    );
  }
  // What a matcher does with a snapshot from the snapshot builder: build from the plans, parse on first use.
  const plans = planQueries(subs.map((sub) => sub.query));
  const fromPlans = time(() => compileSubscriptions(subs, { plans }));
  for (const story of stories.slice(0, 20)) {
    if (!sameMatches(fromPlans.result.index.match(story), index.match(story))) {
      throw new Error(`the index built from plans disagrees on story ${story.id} with ${size} subscriptions`);
    }
  }
  for (const story of stories) index.match(story); // warm up
  const times: number[] = [];
  let matchCount = 0;
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) {
    for (const story of stories) {
      const { result, ms } = time(() => index.match(story));
      times.push(ms);
      if (round === 0) matchCount += result.length;
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerStory = (cpu.user + cpu.system) / 1000 / times.length;
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
    cpu: cpuPerStory,
    row: [
      size.toLocaleString('en-US'),
      `${(compiled.ms / 1000).toFixed(1)} s`,
      `${(fromPlans.ms / 1000).toFixed(2)} s`,
      formatBytes(heapAfter - heapBefore),
      formatMs(mean),
      formatMs(p50),
      formatMs(percentile(times, 99)),
      formatMs(cpuPerStory),
      Math.round(1000 / mean).toLocaleString('en-US'),
      (matchCount / stories.length).toFixed(1),
      `${speedUp.toFixed(0)}x (${formatMs(percentile(bruteTimes, 50))}, ${sample.length} stories)`,
    ],
  };
}

const HEADERS = [
  'subscriptions',
  'compile',
  'from plans',
  'index heap',
  'mean / story',
  'p50 / story',
  'p99 / story',
  'CPU / story',
  'stories/s',
  'matches / story',
  'vs brute force (its p50)',
];

function scalingLine(results: readonly SizeResult[]): string {
  const first = results[0];
  const last = results[results.length - 1];
  if (first === undefined || last === undefined || results.length < 2) return '';
  return `Smallest to largest set: p50 x${(last.p50 / first.p50).toFixed(2)}, CPU x${(last.cpu / first.cpu).toFixed(2)} per story.`;
}

export const matchingSection: BenchSection = {
  name: 'matching',
  description:
    'Subscriptions compiled into one index and matched against real stories, one core; brute force evaluates every subscription on the same stories.',
  async run() {
    const loaded = time(() => loadWorkload(REUTERS_DIR, WORKLOAD_SEED));
    const workload = loaded.result;
    const scenarios = [
      {
        set: 'topical',
        title: 'Topical set (matches grow with subscriptions)',
        make: (n: number) => workload.makeSubscriptions(n, SUBSCRIPTION_SEED),
      },
      {
        set: 'longtail',
        title:
          'Long-tail set (the same 1,000 topical subscriptions + queries on names absent from the stories)',
        make: (n: number) => workload.makeLongTailSubscriptions(n, SUBSCRIPTION_SEED),
      },
    ];
    const out = [
      `Workload: ${workload.source} (loaded in ${(loaded.ms / 1000).toFixed(1)} s). ${ROUNDS} rounds over all stories per size after a warm-up round.`,
      `Topical examples: ${workload
        .makeSubscriptions(10, SUBSCRIPTION_SEED)
        .map((sub) => `\`${sub.query}\``)
        .join(', ')}.`,
      `Long-tail examples: ${workload
        .makeLongTailSubscriptions(1006, SUBSCRIPTION_SEED)
        .slice(1000)
        .map((sub) => `\`${sub.query}\``)
        .join(', ')}.`,
    ];
    const chosen = sets();
    for (const scenario of scenarios.filter((candidate) => chosen.includes(candidate.set))) {
      const results = sizes().map((size) => benchSize(scenario.make(size), workload.stories));
      out.push(
        '',
        `### ${scenario.title}`,
        '',
        markdownTable(
          HEADERS,
          results.map((result) => result.row),
        ),
        '',
        scalingLine(results),
      );
    }
    out.push(
      '',
      '"index heap": heap retained by the compiled index after a full GC (the subscription list itself excluded).',
      '"from plans": the same index built from query plans (anchors made by the snapshot builder; queries are',
      'parsed when first a candidate), as a matcher does on a cold start; its matches were checked equal.',
      '"CPU / story": process CPU time (all threads, GC included) divided by stories matched. Index and brute',
      'force gave identical matches (hits and snippets included) on every sampled story.',
    );
    return out.join('\n');
  },
};
