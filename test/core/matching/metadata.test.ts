import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import type { Story } from '../../../functions/core/stories/story.ts';
import { aStory } from '../../support/stories.ts';
import { matchOne } from './helpers.ts';

function fixture(directory: string, name: string): Story {
  return parseStory(readFileSync(join(import.meta.dirname, directory, name)));
}

const envelope = parseStory(
  JSON.stringify({
    wirewatch: 1,
    id: 'env-meta-1',
    headline: 'Deportations rise',
    body: 'Deportations rose in March, the ministry said.',
    dateline: 'MEXICO CITY',
    language: 'es',
    status: 'correction',
    urgency: 2,
    source: 'Dow Jones Newswires',
    subjects: ['immigration', 'medtop:20000763'],
    places: ['Mexico'],
    organisations: ['Baker Hughes Co'],
    tickers: ['NYSE:BKR'],
  }),
);

// Each format with filters its metadata satisfies, and filters it does not. Fixtures are self-written.
const FORMATS: [string, Story, string[], string[]][] = [
  [
    'envelope',
    envelope,
    [
      'subject:immigration',
      'subject:medtop:20000763',
      'place:Mexico',
      'country:mexico',
      'lang:es',
      'source:"Dow Jones"',
      'provider:"dow jones newswires"',
      'urgency:<=2',
      'urgency:2',
      'status:correction',
    ],
    [
      'subject:politics',
      'subject:medtop:20000764',
      'place:Berlin',
      'lang:de',
      'lang:es-MX',
      'source:Reuters',
      'urgency:1',
      'urgency:>2',
      'status:usable',
    ],
  ],
  [
    'NITF',
    fixture('fixtures', 'metadata-nitf.xml'),
    [
      'subject:immigration',
      'subject:politics',
      'subject:subj:14003000',
      'place:Tijuana',
      'place:"Mexico City"',
      'lang:es',
      'lang:es-MX',
      'source:"Agencia Ejemplo"',
      'urgency:<=2',
      'status:correction',
    ],
    [
      'subject:sports',
      'place:Madrid',
      'lang:de',
      'lang:es-ES',
      'source:"Dow Jones"',
      'urgency:1',
      'status:killed',
    ],
  ],
  [
    'NewsML-G2',
    fixture('fixtures', 'metadata-newsml-g2.xml'),
    [
      'subject:immigration',
      'subject:medtop:20000763',
      'place:Mexico',
      'place:"Mexico City"',
      'lang:de',
      'source:"Dow Jones"',
      'urgency:<3',
      'status:correction',
    ],
    ['subject:medtop:20000764', 'place:Berlin', 'lang:es', 'source:Reuters', 'urgency:>=3', 'status:usable'],
  ],
  [
    'ninjs',
    fixture('fixtures', 'metadata-ninjs.json'),
    [
      'subject:immigration',
      'subject:medtop:20000763',
      'place:London',
      'place:"United Kingdom"',
      'lang:en',
      'lang:en-GB',
      'source:"Example Wire"',
      'urgency:1',
      'status:correction',
    ],
    [
      'subject:politics',
      'place:Kingdom United',
      'lang:es',
      'lang:en-US',
      'source:"Dow Jones"',
      'urgency:>1',
      'status:usable',
    ],
  ],
  [
    'NewsML 1',
    fixture('../stories/fixtures', 'newsml1-harbour.xml'),
    [
      'subject:Transport',
      'subject:subj:04015000',
      'place:Cardiff',
      'lang:en',
      'source:"Example Wire"',
      'urgency:3',
      'status:usable',
    ],
    ['subject:immigration', 'place:London', 'lang:cy', 'source:AP', 'urgency:<=2', 'status:correction'],
  ],
  [
    'Dow Jones',
    fixture('../stories/fixtures', 'dowjones-port.txt'),
    ['place:Gothenburg', 'lang:en', 'source:"Dow Jones"', 'status:usable'],
    ['subject:immigration', 'place:Stockholm', 'lang:de', 'source:AP', 'urgency:<=9', 'status:update'],
  ],
  [
    'ANPA-1312',
    fixture('../stories/fixtures', 'anpa-strike.tst'),
    [
      'subject:"international news"',
      'place:"Example City"',
      'source:AP',
      'urgency:3',
      'urgency:<=3',
      'status:update',
    ],
    ['subject:sports', 'lang:en', 'source:Reuters', 'urgency:<=2', 'status:usable'],
  ],
];

describe.each(FORMATS)('metadata filters on %s', (_format, story, matching, notMatching) => {
  it.each(matching)('%s matches', (query) => {
    expect(matchOne(query, story)).toBeDefined();
  });

  it.each(notMatching)('%s does not match', (query) => {
    expect(matchOne(query, story)).toBeUndefined();
  });
});

describe('metadata filters', () => {
  it('explain themselves in hits, in the metadata field, and combine with other terms', () => {
    const story = fixture('fixtures', 'metadata-nitf.xml');
    const match = matchOne('deportaciones AND subject:immigration AND urgency:<=2 AND lang:es', story);
    expect(match?.hits.map((hit) => [hit.field, hit.text])).toEqual([
      ['headline', 'deportaciones'],
      ['body', 'deportaciones'],
      ['metadata', 'urgency: 2'],
      ['metadata', 'lang: es-MX'],
      ['metadata', 'subject: immigration'],
    ]);
    expect(matchOne('person:"Peña Nieto" AND lang:es', story)).toBeUndefined();
    expect(
      matchOne(
        'person:"Peña Nieto" AND lang:es',
        aStory({ language: 'es', body: 'Enrique Peña Nieto habló.' }),
      ),
    ).toBeDefined();
    expect(matchOne('lang:es -status:correction', story)).toBeUndefined();
  });

  it('a filter alone, without any words, still matches by the index (no always-evaluated list needed)', () => {
    expect(matchOne('status:correction', envelope)?.snippet.text).toBe('Deportations rise');
  });

  it('organisations and tickers in each format’s metadata count as mentions', () => {
    for (const [format, story] of FORMATS.slice(0, 4)) {
      const bare = { ...story, headline: 'x', body: 'y', summary: [] };
      expect(matchOne('org:"Baker Hughes"', bare), format).toBeDefined();
      expect(matchOne('ticker:BKR', bare), format).toBeDefined();
    }
  });
});
