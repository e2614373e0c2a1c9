import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSubscriptions } from '../functions/core/matching/index.ts';
import { loadWorkload } from './matching-workload.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');
const n = Number(process.argv[2] ?? 1000000);
const kind = process.argv[3] ?? 'topical';
const w = loadWorkload(REUTERS_DIR, 2026);
const subs = kind === 'topical' ? w.makeSubscriptions(n, 7) : w.makeLongTailSubscriptions(n, 7);
let t = performance.now();
(globalThis as any).T = [0, 0, 0, 0, 0];
const { index } = compileSubscriptions(subs);
console.log('compile', ((performance.now() - t) / 1000).toFixed(2), 's');
for (const s of w.stories) index.match(s);
const times: number[] = [];
let matches = 0;
const cpu0 = process.cpuUsage();
for (let r = 0; r < 3; r++)
  for (const s of w.stories) {
    t = performance.now();
    const m = index.match(s);
    times.push(performance.now() - t);
    matches += m.length;
  }
const cpu = process.cpuUsage(cpu0);
console.log('cpu ms/story', ((cpu.user + cpu.system) / 1000 / times.length).toFixed(3));
times.sort((a, b) => a - b);
console.log(
  kind,
  n,
  'stories',
  w.stories.length,
  'mean',
  (times.reduce((a, b) => a + b, 0) / times.length).toFixed(3),
  'p50',
  times[times.length >> 1]?.toFixed(3),
  'matches/story',
  (matches / times.length).toFixed(1),
);
console.log((globalThis as any).T.map((x: number) => (x / (4 * w.stories.length)).toFixed(3)));
