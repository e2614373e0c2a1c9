/**
 * `npm run bench [-- section...]`: runs the named bench sections (all when none is named) and
 * prints Markdown. Speed targets live here, never in timed tests.
 *
 * Large sections need a bigger heap and an explicit GC for honest heap numbers, so the harness
 * re-runs itself once with `--max-old-space-size=4096 --expose-gc` unless they are already set
 * (set WIREWATCH_BENCH_CHILD=1 to stop that, e.g. when you pass your own NODE_OPTIONS).
 */
import { spawnSync } from 'node:child_process';
import { getHeapStatistics } from 'node:v8';
import { SECTIONS } from './sections.ts';
import { machineLine } from './support.ts';

const HEAP_MB = 4096;

function needsRespawn(): boolean {
  if (process.env.WIREWATCH_BENCH_CHILD === '1') return false;
  const heapLimitMb = getHeapStatistics().heap_size_limit / 1024 / 1024;
  return heapLimitMb < HEAP_MB * 0.9 || typeof (globalThis as { gc?: unknown }).gc !== 'function';
}

function respawn(): number {
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--max-old-space-size=${HEAP_MB}`, '--expose-gc']
    .join(' ')
    .trim();
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions, WIREWATCH_BENCH_CHILD: '1' },
  });
  return result.status ?? 1;
}

async function main(names: readonly string[]): Promise<number> {
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown section ${unknown.map((name) => `'${name}'`).join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const selected = names.length === 0 ? SECTIONS : SECTIONS.filter((section) => names.includes(section.name));
  process.stdout.write(`# Wirewatch bench\n\n${machineLine()}\n`);
  for (const section of selected) {
    process.stdout.write(`\n## ${section.name}\n\n${section.description}\n\n`);
    const started = performance.now();
    const report = await section.run();
    process.stdout.write(
      `${report}\n\n_(section took ${((performance.now() - started) / 1000).toFixed(1)} s)_\n`,
    );
  }
  return 0;
}

if (needsRespawn()) {
  process.exitCode = respawn();
} else {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(
        `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
