/**
 * `npm run bench -- same-news`: what delivery control costs per story. The near-duplicate fingerprint is
 * computed once per matched story in the matcher's plan; a query preview searches recent stories with a cap
 * on the text of each and of all. Stories are generated (seeded), so the numbers need no corpus.
 */
import { compileSubscriptions } from '../functions/core/matching/index.ts';
import {
  fingerprintText,
  isSubstantiveUpdate,
  sameNews,
  storyText,
} from '../functions/core/stories/near-duplicates.ts';
import type { Story } from '../functions/core/stories/story.ts';
import { checkAndPreview } from '../functions/core/subscriptions/preview.ts';
import type { BenchSection } from './sections.ts';
import { formatMs, markdownTable, Random } from './support.ts';

const WORDS =
  'port strike union workers ministers talks pay court harbour grain ships cargo export growth bank rates said on the a of in and to for after before while government officials report market shares'.split(
    ' ',
  );

function words(random: Random, count: number): string {
  return Array.from({ length: count }, () => random.pick(WORDS)).join(' ');
}

function aStory(id: string, body: string): Story {
  return {
    id,
    format: 'envelope',
    headline: `Story ${id}`,
    authors: [],
    dateline: '',
    body,
    summary: [],
    publishedAt: '2026-03-01T10:00:00Z',
    status: 'usable',
    version: 1,
    keywords: [],
    subjects: [],
    people: [],
    organisations: [],
  };
}

/** Mean milliseconds of `run` over enough repetitions to take about 300 ms, after 200 ms of warm-up (JIT). */
function timeIt(run: () => void): number {
  const warm = performance.now();
  while (performance.now() - warm < 200) run();
  let repetitions = 0;
  const started = performance.now();
  while (performance.now() - started < 300) {
    run();
    repetitions++;
  }
  return (performance.now() - started) / repetitions;
}

export const sameNewsSection: BenchSection = {
  name: 'same-news',
  description:
    'Near-duplicate fingerprint per story (once per matched story), comparing two fingerprints, and a query preview over twenty 1 MB stories with and without the caps.',
  async run() {
    const random = new Random(16);
    const rows: string[][] = [];
    for (const count of [300, 1000, 5000, 200_000]) {
      const text = storyText(aStory('s', words(random, count)));
      rows.push([
        `${count.toLocaleString('en')} words (${Math.round(text.length / 1024)} KiB)`,
        formatMs(timeIt(() => fingerprintText(text))),
      ]);
    }
    const a = fingerprintText(words(random, 800));
    const b = fingerprintText(words(random, 800));
    const compare = timeIt(() => {
      sameNews(a, b);
      isSubstantiveUpdate(a, b);
    });
    rows.push(['sameNews + isSubstantiveUpdate of two fingerprints', formatMs(compare)]);

    const megabyte = `The harbour strike began on Monday. ${words(random, 150_000)}`.slice(0, 1024 * 1024);
    const stories = Array.from({ length: 20 }, (_, n) => aStory(`big-${n}`, megabyte));
    const query = 'harbour AND lighthouse';
    const capped = timeIt(() => checkAndPreview(query, stories, 10));
    // What a preview did before the caps: every story matched whole.
    const { index } = compileSubscriptions([{ id: 'preview', query }]);
    const whole = timeIt(() => {
      for (const story of stories) index.match(story);
    });
    const preview = checkAndPreview(query, stories, 10);
    const scanned = preview.valid ? preview.preview.scannedChars : 0;
    return [
      markdownTable(['fingerprint', 'mean'], rows),
      '',
      markdownTable(
        ['preview of twenty 1 MB stories', 'mean', 'text searched'],
        [
          [
            'whole stories (before the caps)',
            formatMs(whole),
            `${(20 * megabyte.length).toLocaleString('en')} chars`,
          ],
          [
            'capped (20,000 a story, 1,000,000 in all)',
            formatMs(capped),
            `${scanned.toLocaleString('en')} chars`,
          ],
        ],
      ),
    ].join('\n');
  },
};
