/**
 * Vocabulary and stories for the matching bench: from Reuters-21578 when present (words, real
 * phrases and sentences, people's names), from a seeded generator otherwise.
 */
import type { Story } from '../functions/core/stories/story.ts';
import type { ReutersDocument } from './reuters.ts';
import { type Random, WeightedPicker } from './support.ts';

export interface Vocabulary {
  readonly keywords: WeightedPicker<string>;
  /** Every word the stories use (lower case), so that long-tail words can avoid them. */
  readonly known: ReadonlySet<string>;
  readonly isKeyword: (word: string) => boolean;
  /** Sentences as arrays of words (pure letters), for phrases and co-occurrence. */
  readonly sentences: readonly (readonly string[])[];
  readonly fullNames: readonly string[];
  readonly surnames: readonly string[];
  /** Company names as the stories write them before a legal suffix (`Baker Hughes` of `Baker Hughes Inc`). */
  readonly companies: readonly string[];
  /** Ticker symbols the stories write in brackets after a company (`<IBM>`). */
  readonly tickers: readonly string[];
  /** Subject codes, places and sources the stories carry as metadata. */
  readonly subjects: readonly string[];
  readonly places: readonly string[];
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

export const GIVEN_NAME_LIST = [...GIVEN_NAMES];

export const WORD = /^[A-Za-z]+$/;

export function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function storyFromReuters(doc: ReutersDocument): Story {
  return {
    id: doc.id,
    format: 'envelope',
    headline: doc.title,
    authors: [],
    dateline: doc.dateline,
    places: doc.places,
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

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

function sentencesOf(body: string): string[][] {
  return body
    .split(/[.;:!?]\s|\n\n/)
    .map((sentence) => sentence.split(/\s+/).filter((word) => word.length > 0));
}

export function vocabularyFromReuters(docs: readonly ReutersDocument[], random: Random): Vocabulary {
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
  const companies = new Set<string>();
  const tickers = new Set<string>();
  const subjects = new Set<string>();
  const places = new Set<string>();
  for (const doc of docs) {
    for (const match of doc.body.matchAll(/\b((?:[A-Z][a-z]+ ){1,3})(?:Inc|Corp|Co|Ltd|Plc|PLC)\b/g)) {
      companies.add((match[1] as string).trim());
    }
    for (const match of doc.body.matchAll(/[A-Z][a-z]+ <([A-Z]{2,5})>/g)) tickers.add(match[1] as string);
    for (const topic of doc.topics) subjects.add(topic);
    for (const place of doc.places) places.add(place);
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
    companies: [...companies],
    tickers: [...tickers],
    subjects: [...subjects],
    places: [...places],
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

export function generatedWorkload(random: Random): { vocabulary: Vocabulary; stories: Story[] } {
  const words = Array.from({ length: 30_000 }, () => pseudoWord(random));
  const zipf = new WeightedPicker(
    words,
    words.map((_, rank) => 1 / (rank + 1)),
  );
  const surnames = Array.from({ length: 400 }, () => titleCase(pseudoWord(random)));
  const givens = Array.from({ length: 100 }, () => titleCase(pseudoWord(random)));
  const fullNames = surnames.map((surname) => `${random.pick(givens)} ${surname}`);
  const companies = Array.from(
    { length: 200 },
    () => `${titleCase(pseudoWord(random))} ${titleCase(pseudoWord(random))}`,
  );
  const tickers = companies.map((company) => `${company.replace(/[^A-Z]/g, '')}X`);
  const subjects = ['acq', 'earn', 'crude', 'trade'];
  const places = ['usa', 'uk', 'japan'];
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
      if (random.chance(0.2)) {
        const at = random.int(companies.length);
        sentence.splice(random.int(sentence.length), 0, `${companies[at]} Inc <${tickers[at]}>`);
      }
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
      language: 'en',
      status: 'usable',
      version: 1,
      keywords: [],
      subjects: [random.pick(subjects)],
      places: [random.pick(places)],
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
      companies,
      tickers,
      subjects,
      places,
    },
    stories,
  };
}
