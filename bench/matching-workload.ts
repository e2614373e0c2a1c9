/**
 * Subscriptions and stories for the matching bench. With ../shared/corpus/reuters21578 the
 * vocabulary, phrases, names and stories come from real Reuters copy; without it, from a
 * seeded generator, so the bench always runs. Everything is deterministic for a given seed.
 *
 * Subscription mix (weights, out of 100):
 *   20 keyword  5 headline:keyword  12 "two-word phrase"  7 person:"Given Surname"
 *    6 person:Surname  12 a AND b (co-occurring)  4 (a OR b) AND c  8 a OR b [OR c]
 *    4 a -b  5 a NEAR/5 b (co-occurring)  7 org:"Company" (names written before Inc, Corp...)
 *    3 ticker:SYMBOL (symbols written in brackets after a company)  7 a keyword with a metadata
 *    filter: subject:, place:, lang:en, source:Reuters or urgency:<=2
 * WIREWATCH_BENCH_MIX=classic gives the mix before organisations, tickers and metadata (the
 * first ten shapes at 25 5 15 8 7 15 5 10 5 5), to compare engines on the same queries.
 * Keywords are specific words, as alert keywords are (names, places, companies, topics): words
 * found in 3 to 60 of the 19,043 Reuters documents (at most 0.3%), drawn uniformly. Generic words
 * (`unchanged`, `continued`) would make every subscription match several per cent of all stories,
 * which no one would keep as an alert.
 */
import type { QuerySource } from '../functions/core/matching/types.ts';
import type { Story } from '../functions/core/stories/story.ts';
import {
  GIVEN_NAME_LIST,
  generatedWorkload,
  storyFromReuters,
  titleCase,
  type Vocabulary,
  vocabularyFromReuters,
  WORD,
  wordCount,
} from './matching-vocabulary.ts';
import { readReuters } from './reuters.ts';
import { Random } from './support.ts';

export interface Workload {
  readonly source: string;
  /** Stories to match: real Reuters stories of 400-800 words, or generated ones. */
  readonly stories: readonly Story[];
  /** `count` subscriptions of the topical mix (see the module comment). */
  makeSubscriptions(count: number, seed: number): QuerySource[];
  /**
   * 1,000 topical subscriptions plus `count - 1000` long-tail ones: the same query shapes, but
   * anchored on names and words that do not occur in the corpus (people and companies not in
   * the news today), often combined with common real words (`(oil OR gas) AND <name>`). Matches
   * per story stay those of the 1,000, so this isolates how the index scales.
   */
  makeLongTailSubscriptions(count: number, seed: number): QuerySource[];
}

/** Two words near each other in a real sentence, both "keywords" (for AND and NEAR), or two vocabulary draws. */
function cooccurring(vocabulary: Vocabulary, random: Random, window: number): [string, string] {
  for (let attempt = 0; attempt < 20; attempt++) {
    const sentence = random.pick(vocabulary.sentences);
    const at = random.int(sentence.length);
    const other = Math.min(sentence.length - 1, at + 1 + random.int(window));
    const a = sentence[at] as string;
    const b = sentence[other] as string;
    if (other !== at && WORD.test(a) && WORD.test(b) && vocabulary.isKeyword(a) && vocabulary.isKeyword(b)) {
      return [a.toLowerCase(), b.toLowerCase()];
    }
  }
  return [vocabulary.keywords.pick(random), vocabulary.keywords.pick(random)];
}

function phrase(vocabulary: Vocabulary, random: Random): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const sentence = random.pick(vocabulary.sentences);
    const at = random.int(sentence.length - 1);
    const a = sentence[at] as string;
    const b = sentence[at + 1] as string;
    if (
      WORD.test(a) &&
      WORD.test(b) &&
      a.length >= 3 &&
      b.length >= 3 &&
      (vocabulary.isKeyword(a) || vocabulary.isKeyword(b))
    ) {
      return `"${a.toLowerCase()} ${b.toLowerCase()}"`;
    }
  }
  return `"${vocabulary.keywords.pick(random)} ${vocabulary.keywords.pick(random)}"`;
}

/** A keyword narrowed by a metadata filter, as desks write them. */
function filtered(vocabulary: Vocabulary, random: Random): string {
  const keyword = vocabulary.keywords.pick(random);
  const roll = random.int(5);
  if (roll === 0 && vocabulary.subjects.length > 0)
    return `${keyword} subject:${random.pick(vocabulary.subjects)}`;
  if (roll === 1 && vocabulary.places.length > 0) return `${keyword} place:${random.pick(vocabulary.places)}`;
  if (roll === 2) return `${keyword} AND lang:en`;
  if (roll === 3) return `${keyword} source:Reuters`;
  return `${keyword} urgency:<=2`;
}

function makeEntityQuery(vocabulary: Vocabulary, random: Random, roll: number): string {
  if (roll < 7 && vocabulary.companies.length > 0) return `org:"${random.pick(vocabulary.companies)}"`;
  if (roll < 10 && vocabulary.tickers.length > 0) return `ticker:${random.pick(vocabulary.tickers)}`;
  return filtered(vocabulary, random);
}

function makeQuery(vocabulary: Vocabulary, random: Random): string {
  if (process.env.WIREWATCH_BENCH_MIX === 'classic') return makeClassicQuery(vocabulary, random);
  // 83 of 100 in the classic shapes (scaled down), 17 organisations, tickers and filters.
  const roll = random.int(100);
  if (roll >= 83) return makeEntityQuery(vocabulary, random, roll - 83);
  const classic = [20, 5, 12, 7, 6, 12, 4, 8, 4, 5];
  let at = roll;
  let shape = 0;
  while (at >= (classic[shape] as number)) at -= classic[shape++] as number;
  return classicShape(vocabulary, random, shape);
}

const CLASSIC_WEIGHTS = [25, 5, 15, 8, 7, 15, 5, 10, 5, 5];

function makeClassicQuery(vocabulary: Vocabulary, random: Random): string {
  let at = random.int(100);
  let shape = 0;
  while (at >= (CLASSIC_WEIGHTS[shape] as number)) at -= CLASSIC_WEIGHTS[shape++] as number;
  return classicShape(vocabulary, random, shape);
}

/** The classic shapes: 0 keyword, 1 headline:, 2 phrase, 3 person full, 4 surname, 5 AND, 6 OR-AND, 7 OR, 8 NOT, 9 NEAR. */
function classicShape(vocabulary: Vocabulary, random: Random, shape: number): string {
  const keyword = () => vocabulary.keywords.pick(random);
  const roll = [0, 25, 30, 45, 53, 60, 75, 80, 90, 95][shape] as number;
  if (roll < 25) return keyword();
  if (roll < 30) return `headline:${keyword()}`;
  if (roll < 45) return phrase(vocabulary, random);
  if (roll < 53) return `person:"${random.pick(vocabulary.fullNames)}"`;
  if (roll < 60) return `person:${random.pick(vocabulary.surnames)}`;
  if (roll < 75) return cooccurring(vocabulary, random, 20).join(' AND ');
  if (roll < 80) return `(${keyword()} OR ${keyword()}) AND ${keyword()}`;
  if (roll < 90) return Array.from({ length: 2 + random.int(2) }, keyword).join(' OR ');
  if (roll < 95) return `${keyword()} -${keyword()}`;
  const [a, b] = cooccurring(vocabulary, random, 5);
  return `${a} NEAR/5 ${b}`;
}

/** A seeded pseudo-word that the stories never use (4-5 syllables, so rarely a real word). */
function absentWord(vocabulary: Vocabulary, random: Random): string {
  for (;;) {
    let word = '';
    const syllables = 4 + random.int(2);
    for (let i = 0; i < syllables; i++)
      word += 'bdfgklmnprstvz'.charAt(random.int(14)) + 'aeiou'.charAt(random.int(5));
    if (!vocabulary.known.has(word)) return word;
  }
}

/** A common real word (for long-tail queries that share words with every story). */
const COMMON_REAL = [
  'oil',
  'bank',
  'trade',
  'shares',
  'company',
  'market',
  'prices',
  'government',
  'dollar',
  'stake',
];

function makeLongTailQuery(vocabulary: Vocabulary, random: Random): string {
  const absent = () => absentWord(vocabulary, random);
  const common = () => random.pick(COMMON_REAL);
  const roll = random.int(100);
  if (roll < 25) return absent();
  if (roll < 40) return random.chance(0.5) ? `"${absent()} ${common()}"` : `"${common()} ${absent()}"`;
  if (roll < 60) return `person:"${titleCase(random.pick(GIVEN_NAME_LIST))} ${titleCase(absent())}"`;
  if (roll < 75) return `${absent()} AND ${common()}`;
  if (roll < 85) return `(${common()} OR ${common()}) AND ${absent()}`;
  if (roll < 90) return `headline:${absent()}`;
  if (roll < 95) return `${absent()} NEAR/5 ${common()}`;
  return `${absent()} -${common()}`;
}

/** The workload: Reuters when `reutersDir` exists, generated otherwise. */
export function loadWorkload(reutersDir: string, seed: number): Workload {
  const random = new Random(seed);
  const docs = readReuters(reutersDir);
  let vocabulary: Vocabulary;
  let stories: Story[];
  let source: string;
  if (docs === undefined) {
    ({ vocabulary, stories } = generatedWorkload(random));
    source = `generated text (no ${reutersDir}): ${stories.length} stories of 400-800 words, 30,000-word Zipf vocabulary`;
  } else {
    vocabulary = vocabularyFromReuters(docs, random);
    stories = docs
      .filter((doc) => {
        const words = wordCount(doc.body);
        return words >= 400 && words <= 800;
      })
      .map(storyFromReuters);
    source = `Reuters-21578 (${docs.length} documents): ${stories.length} stories of 400-800 words; vocabulary, phrases and names from the corpus`;
  }
  return {
    source,
    stories,
    makeSubscriptions(count, subscriptionSeed) {
      const subsRandom = new Random(subscriptionSeed);
      return Array.from({ length: count }, (_, i) => ({
        id: `sub-${String(i).padStart(7, '0')}`,
        query: makeQuery(vocabulary, subsRandom),
      }));
    },
    makeLongTailSubscriptions(count, subscriptionSeed) {
      const topical = this.makeSubscriptions(Math.min(count, 1000), subscriptionSeed);
      const tailRandom = new Random(subscriptionSeed + 1);
      for (let i = topical.length; i < count; i++) {
        topical.push({
          id: `sub-${String(i).padStart(7, '0')}`,
          query: makeLongTailQuery(vocabulary, tailRandom),
        });
      }
      return topical;
    },
  };
}
