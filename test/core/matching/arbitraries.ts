/** Random queries and stories for the property tests: small vocabularies, so that they share words often. */
import fc from 'fast-check';
import { aStory } from '../../support/stories.ts';

// Small vocabularies so that random queries and random stories share words often.
const WORDS = ['kelly', 'Kelly', 'tillerson', 'mexico', 'deportation', 'deportations', 'mass', 'immigration'];
const MORE = ['US', 'us', 'U.S.', 'said', 'the', 'Peña', 'Nieto', 'Baker', 'Hughes', 'operations', 'John'];
const NAMES = ['Kelly', 'John Kelly', 'Peña Nieto', 'Enrique Peña Nieto', 'James Baker', 'Tillerson'];
const FIELDS = ['headline:', 'body:', 'byline:', 'summary:'];

const word = fc.constantFrom(...WORDS, ...MORE);

const leaf: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: word },
  {
    weight: 2,
    arbitrary: fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => `"${words.join(' ')}"`),
  },
  { weight: 2, arbitrary: fc.constantFrom(...NAMES).map((name) => `person:"${name}"`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), word).map(([field, w]) => `${field}${w}`) },
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
    fc.tuple(fc.constantFrom(...WORDS, ...MORE, 'President', 'Megyn', 'Howard', 'Secretary'), separator),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

export const story = fc
  .record({ headline: storyText, body: storyText, summary: fc.array(storyText, { maxLength: 2 }) })
  .map((fields) => aStory({ ...fields, authors: ['John Kelly'] }));
