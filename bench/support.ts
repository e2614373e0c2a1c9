/** Small helpers shared by bench sections: a seeded PRNG, percentiles, Markdown tables, heap. */
import { availableParallelism, cpus } from 'node:os';

/** Deterministic PRNG (mulberry32): the same seed gives the same workload on every run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: empty list');
    return items[this.int(items.length)] as T;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/** Picks items with probability proportional to their weight, in O(log n) per draw. */
export class WeightedPicker<T> {
  private readonly cumulative: Float64Array;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    weights.forEach((weight, i) => {
      total += weight;
      this.cumulative[i] = total;
    });
  }

  pick(random: Random): T {
    const target = random.next() * (this.cumulative[this.cumulative.length - 1] ?? 0);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return this.items[low] as T;
  }
}

/** The p-th percentile (0-100) of the values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Heap in use after a full collection when `--expose-gc` is on (the harness turns it on). */
export function heapUsedBytes(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect !== undefined) {
    collect();
    collect();
  }
  return process.memoryUsage().heapUsed;
}

export function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

/** One line describing the machine, for the top of the report. */
export function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `Node ${process.version}, ${availableParallelism()} cores (${model}), ${process.platform}/${process.arch}`;
}

/** Subscription counts from WIREWATCH_BENCH_SIZES (`1000,100000`), or `defaults` when it is unset. */
export function benchSizes(defaults: readonly number[]): number[] {
  const configured = process.env.WIREWATCH_BENCH_SIZES;
  if (configured === undefined || configured.trim() === '') return [...defaults];
  return configured.split(',').map((size) => {
    const value = Number(size.trim());
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`WIREWATCH_BENCH_SIZES: '${size}' is not a positive integer`);
    }
    return value;
  });
}
