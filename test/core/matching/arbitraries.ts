/** Random queries and stories for the property tests: small vocabularies, so that they share words often. */
import fc from 'fast-check';
import { aStory } from '../../support/stories.ts';

// Small vocabularies so that random queries and random stories share words often.
const WORDS = ['kelly', 'Kelly', 'tillerson', 'mexico', 'deportation', 'deportations', 'mass', 'immigration'];
const MORE = ['US', 'us', 'U.S.', 'said', 'the', 'Peña', 'Nieto', 'Baker', 'Hughes', 'operations', 'John'];
// Names whose references need not contain every surname word: a dropped particle, surname first,
// a surname of several words, a title with the given name, aliases.
const NAME_WORDS = [
  'al-Assad',
  'Assad',
  'Bashar',
  'Xi',
  'Jinping',
  'Lula',
  'da',
  'Silva',
  'Prince',
  'Mohammed',
  'bin',
  'Salman',
];
const NAMES = [
  'Kelly',
  'John Kelly',
  'Peña Nieto',
  'Enrique Peña Nieto',
  'James Baker',
  'Tillerson',
  'Bashar al-Assad',
  'Xi Jinping',
  'Luiz Inácio Lula da Silva',
  'Lula da Silva, Luiz',
  'Mohammed bin Salman',
  'Bashar al-Assad | Jinping',
];
const FIELDS = ['headline:', 'body:', 'byline:', 'summary:'];
// Organisations, tickers, metadata filters and Spanish and German keywords.
export const ENTITIES = [
  'org:"Baker Hughes"',
  'company:"Baker Hughes Inc."',
  'org:Baker',
  'org:"International Business Machines"',
  'ticker:BKR',
  'ticker:NYSE:BKR',
  'ticker:ON',
  'lang:es',
  'lang:de',
  'urgency:<=2',
  'urgency:>5',
  'status:correction',
  'subject:immigration',
  'subject:medtop:20000763',
  'place:mexico',
  'source:"Dow Jones"',
  'deportación',
  'Abschiebung',
];
const ENTITY_TEXT = [
  'Baker',
  'Hughes',
  'Co.',
  'Inc.',
  'Avenue',
  '(NYSE: BKR)',
  '(BKR.N)',
  '(BKR)',
  'BKR',
  'ON',
  'International',
  'Business',
  'Machines',
  '(IBM)',
  'IBM',
  'International Business Machines',
  'International Business Machines Corp. (IBM)',
  'Baker Hughes',
  'deportaciones',
  'Abschiebungen',
];

const word = fc.constantFrom(...WORDS, ...MORE);

const leaf: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: word },
  {
    weight: 2,
    arbitrary: fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => `"${words.join(' ')}"`),
  },
  { weight: 2, arbitrary: fc.constantFrom(...NAMES).map((name) => `person:"${name}"`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), word).map(([field, w]) => `${field}${w}`) },
  { weight: 3, arbitrary: fc.constantFrom(...ENTITIES) },
);

export const query: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(${a}) AND (${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(${a}) OR (${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a} ${b}`) },
    { weight: 1, arbitrary: tie('node').map((a) => `NOT (${a})`) },
    { weight: 1, arbitrary: tie('node').map((a) => `-(${a})`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(leaf, fc.integer({ min: 1, max: 6 }), leaf)
        .map(([a, n, b]) => `${a} NEAR/${n} ${b}`),
    },
  ),
})).node;

const separator = fc.constantFrom(
  ' ',
  ' ',
  ' ',
  ', ',
  '. ',
  '\n',
  '\n\n',
  '-',
  "'s ",
  ' Mr. ',
  ' Messrs. ',
  ' and ',
);
const storyText = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        ...WORDS,
        ...MORE,
        ...NAME_WORDS,
        ...ENTITY_TEXT,
        'President',
        'Megyn',
        'Howard',
        'Secretary',
      ),
      separator,
    ),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined });
export const story = fc
  .record({
    headline: storyText,
    body: storyText,
    summary: fc.array(storyText, { maxLength: 2 }),
    // Metadata people identify a person without being in the text: candidates must still find them.
    people: fc.array(fc.constantFrom('Mohammed bin Salman', 'Assad, Bashar', 'Xi Jinping'), { maxLength: 1 }),
    language: maybe(fc.constantFrom('en', 'es', 'es-MX', 'de')),
    urgency: maybe(fc.integer({ min: 1, max: 9 })),
    status: fc.constantFrom('usable' as const, 'correction' as const),
    subjects: fc.subarray(['immigration', 'politics']),
    subjectCodes: maybe(fc.subarray(['medtop:20000763'])),
    dateline: fc.constantFrom('', 'MEXICO CITY', 'BERLIN'),
    source: maybe(fc.constantFrom('Dow Jones Newswires', 'Reuters')),
    organisations: fc.subarray(['Baker Hughes Co', 'Halliburton']),
    tickers: maybe(fc.subarray(['NYSE:BKR', 'NASDAQ:BKR', 'ON'])),
  })
  .map((fields) => aStory({ ...fields, authors: ['John Kelly'] }));
