/**
 * Subscriptions and stories for the matching bench. With ../shared/corpus/reuters21578 the
 * vocabulary, phrases, names and stories come from real Reuters copy; without it, from a
 * seeded generator, so the bench always runs. Everything is deterministic for a given seed.
 *
 * Subscription mix (weights, out of 100):
 *   25 keyword  5 headline:keyword  15 "two-word phrase"  8 person:"Given Surname"
 *    7 person:Surname  15 a AND b (co-occurring)  5 (a OR b) AND c  10 a OR b [OR c]
 *    5 a -b  5 a NEAR/5 b (co-occurring)
 * Keywords are specific words, as alert keywords are (names, places, companies, topics): words
 * found in 3 to 60 of the 19,043 Reuters documents (at most 0.3%), drawn uniformly. Generic words
 * (`unchanged`, `continued`) would make every subscription match several per cent of all stories,
 * which no one would keep as an alert.
 */
import type { QuerySource } from '../functions/core/matching/types.ts';
import type { Story } from '../functions/core/stories/story.ts';
import { type ReutersDocument, readReuters } from './reuters.ts';
import { Random, WeightedPicker } from './support.ts';

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

interface Vocabulary {
  readonly keywords: WeightedPicker<string>;
  /** Every word the stories use (lower case), so that long-tail words can avoid them. */
  readonly known: ReadonlySet<string>;
  readonly isKeyword: (word: string) => boolean;
  /** Sentences as arrays of words (pure letters), for phrases and co-occurrence. */
  readonly sentences: readonly (readonly string[])[];
  readonly fullNames: readonly string[];
  readonly surnames: readonly string[];
}

const STOP = new Set(
  `the of to and a in that is for on it with said as was he be at by from his has have an are but not
  this its which had were they will would been or who their year more also after new one about than up
  last two over other first pct mln billion dlrs told says could some into there when can all may
  those these them such only while what where because under against between during before since`.split(/\s+/),
);

const GIVEN_NAMES = new Set(
  `james john robert michael william david richard charles joseph thomas paul mark george kenneth
  steven edward brian ronald anthony kevin jason jeff gary timothy larry frank scott eric stephen
  andrew raymond gregory joshua jerry dennis walter peter harold douglas henry carl arthur ryan
  roger joe juan jack albert jonathan justin terry gerald keith samuel willie ralph lawrence nicholas
  roy benjamin bruce brandon adam harry fred wayne billy steve louis jeremy aaron randy howard eugene
  carlos russell bobby victor martin ernest phillip todd jesse craig alan shawn clarence sean philip
  chris johnny earl jimmy antonio danny bryan tony luis mike stanley leonard nathan dale manuel rodney
  curtis norman allen marvin vincent glenn jeffrey travis jacques helmut karl otto gerhard francois
  margaret mary patricia linda barbara elizabeth jennifer maria susan dorothy lisa nancy karen betty
  helen sandra donna carol ruth sharon michelle laura sarah kimberly deborah jessica shirley cynthia
  angela melissa brenda amy anna rebecca virginia kathleen pamela martha debra amanda stephanie
  corazon yasuhiro nakasone mikhail jose`.split(/\s+/),
);

const GIVEN_NAME_LIST = [...GIVEN_NAMES];

const WORD = /^[A-Za-z]+$/;

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function storyFromReuters(doc: ReutersDocument): Story {
  return {
    id: doc.id,
    format: 'envelope',
    headline: doc.title,
    authors: [],
    dateline: doc.dateline,
    body: doc.body,
    summary: [],
    language: 'en',
    status: 'usable',
    version: 1,
    keywords: [],
    subjects: doc.topics,
    people: doc.people,
    organisations: doc.orgs,
    source: 'Reuters',
  };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

function sentencesOf(body: string): string[][] {
  return body
    .split(/[.;:!?]\s|\n\n/)
    .map((sentence) => sentence.split(/\s+/).filter((word) => word.length > 0));
}

function vocabularyFromReuters(docs: readonly ReutersDocument[], random: Random): Vocabulary {
  const documentFrequency = new Map<string, number>();
  const sentences: string[][] = [];
  const nameCounts = new Map<string, number>();
  const surnameCodes = new Set<string>();
  for (const doc of docs) for (const code of doc.people) if (!code.includes('-')) surnameCodes.add(code);
  for (const doc of docs) {
    const seen = new Set<string>();
    for (const match of doc.body.matchAll(/[A-Za-z]+/g)) {
      const word = match[0].toLowerCase();
      if (word.length >= 3 && !seen.has(word)) {
        seen.add(word);
        documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
      }
    }
    // Real names: a common given name followed by a capitalised word.
    for (const match of doc.body.matchAll(/\b([A-Z][a-z]+) ([A-Z][a-z]{2,})\b/g)) {
      const given = (match[1] as string).toLowerCase();
      if (GIVEN_NAMES.has(given))
        nameCounts.set(`${match[1]} ${match[2]}`, (nameCounts.get(`${match[1]} ${match[2]}`) ?? 0) + 1);
    }
    if (random.chance(0.25))
      sentences.push(...sentencesOf(doc.body).filter((sentence) => sentence.length >= 4));
  }
  const keywords: string[] = [];
  const weights: number[] = [];
  for (const [word, df] of documentFrequency) {
    if (df >= 3 && df <= 60 && !STOP.has(word)) {
      keywords.push(word);
      weights.push(1);
    }
  }
  const keywordSet = new Set(keywords);
  const fullNames = [...nameCounts].filter(([, count]) => count >= 2).map(([name]) => name);
  for (const doc of docs) {
    for (const code of doc.people)
      if (code.includes('-')) fullNames.push(code.split('-').map(titleCase).join(' '));
  }
  return {
    keywords: new WeightedPicker(keywords, weights),
    known: new Set(documentFrequency.keys()),
    isKeyword: (word) => keywordSet.has(word.toLowerCase()),
    sentences,
    fullNames: [...new Set(fullNames)],
    surnames: [...surnameCodes].map(titleCase),
  };
}

/** A pronounceable pseudo-word from a seeded generator. */
function pseudoWord(random: Random): string {
  const consonants = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let word = '';
  const syllables = 2 + random.int(3);
  for (let i = 0; i < syllables; i++)
    word += consonants.charAt(random.int(16)) + vowels.charAt(random.int(5));
  return word;
}

function generatedWorkload(random: Random): { vocabulary: Vocabulary; stories: Story[] } {
  const words = Array.from({ length: 30_000 }, () => pseudoWord(random));
  const zipf = new WeightedPicker(
    words,
    words.map((_, rank) => 1 / (rank + 1)),
  );
  const surnames = Array.from({ length: 400 }, () => titleCase(pseudoWord(random)));
  const givens = Array.from({ length: 100 }, () => titleCase(pseudoWord(random)));
  const fullNames = surnames.map((surname) => `${random.pick(givens)} ${surname}`);
  const stories: Story[] = [];
  const sentences: string[][] = [];
  for (let s = 0; s < 300; s++) {
    const paragraphs: string[] = [];
    let total = 0;
    const target = 400 + random.int(400);
    while (total < target) {
      const sentence = Array.from({ length: 8 + random.int(20) }, () => zipf.pick(random));
      if (random.chance(0.3)) sentence.splice(random.int(sentence.length), 0, random.pick(fullNames));
      if (random.chance(0.3)) sentence.splice(random.int(sentence.length), 0, `Mr. ${random.pick(surnames)}`);
      sentences.push(sentence);
      total += sentence.length;
      paragraphs.push(`${titleCase(sentence.join(' '))}.`);
    }
    stories.push({
      id: `generated-${s}`,
      format: 'envelope',
      headline: Array.from({ length: 6 }, () => zipf.pick(random))
        .join(' ')
        .toUpperCase(),
      authors: [],
      dateline: 'NOWHERE',
      body: paragraphs.join('\n\n'),
      summary: [],
      status: 'usable',
      version: 1,
      keywords: [],
      subjects: [],
      people: [],
      organisations: [],
    });
  }
  const keywords = words.slice(50);
  const keywordSet = new Set(keywords);
  return {
    vocabulary: {
      keywords: new WeightedPicker(
        keywords,
        keywords.map((_, rank) => 1 / Math.sqrt(rank + 50)),
      ),
      known: new Set(words),
      isKeyword: (word) => keywordSet.has(word.toLowerCase()),
      sentences,
      fullNames,
      surnames,
    },
    stories,
  };
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

function makeQuery(vocabulary: Vocabulary, random: Random): string {
  const keyword = () => vocabulary.keywords.pick(random);
  const roll = random.int(100);
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
