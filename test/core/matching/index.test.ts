import { describe, expect, it } from 'vitest';
import { anchorGroups } from '../../../functions/core/matching/anchors.ts';
import {
  bruteForceMatch,
  compileSubscriptions,
  createBruteForceMatcher,
  QueryError,
} from '../../../functions/core/matching/index.ts';
import { parseQuery } from '../../../functions/core/matching/query/parser.ts';
import { aStory } from '../../support/stories.ts';
import { explained } from './helpers.ts';

const story = aStory({
  headline: 'Kelly rules out mass deportations',
  body: 'Homeland Security Secretary John Kelly said the U.S. would not use military force in Mexico.',
});

function groups(query: string): string[][] {
  return anchorGroups(parseQuery(query)).map((group) => [...group]);
}

describe('anchor groups', () => {
  it.each([
    ['deportation', [['deportation']]],
    // A phrase: each two adjacent words as one key, the rarest pairs first; a one-word phrase its stem.
    ['"mass deportations"', [['mass deportations']]],
    ['"use military force in Mexico"', [['military force'], ['use military'], ['in mexico']]],
    ['"deportations"', [['deportation']]],
    // A person: one clause with a word of every form the story may use on its own.
    ['person:"Enrique Peña Nieto"', [['nieto']]],
    ['person:"Bashar al-Assad"', [['assad']]],
    ['person:"Luiz Inácio Lula da Silva"', [['lula', 'silva']]],
    ['person:"Xi Jinping"', [['jinping', 'xi']]],
    ['person:"Ruth Bader Ginsburg"', [['ginsburg']]],
    ['person:"Jean-Claude Juncker | Juncker"', [['juncker']]],
    ['said AND deportation', [['deportation']]],
    ['kelly OR tillerson', [['kelly', 'tillerson']]],
    // A keyword also offers its Spanish and German stems where they differ (costed as its English stem).
    [
      '(kelly OR tillerson) AND mexico',
      [
        ['mexic', 'mexico'],
        ['kelly', 'tillerson'],
      ],
    ],
    ['military -mexico', [['military']]],
    ['NOT mexico', []],
    ['kelly OR -mexico', []],
    ['immigration NEAR/3 raids', [['immigration'], ['raid', 'raids']]],
    ['Abschiebungen', [['abschiebungen', 'abschiebung', 'abschieb']]],
    [
      'org:"Baker Hughes"',
      [
        ['\u0001org:baker hughes', 'baker'],
        ['\u0001org:baker hughes', 'hughe'],
      ],
    ],
    ['ticker:NYSE:BKR', [['\u0001ticker:BKR', 'bkr']]],
    // A filter alone is anchored on its metadata key, not evaluated for every story...
    ['lang:es', [['\u0001lang:es']]],
    ['urgency:<=2', [['\u0001urgency:1', '\u0001urgency:2']]],
    // ...and beside a rarer word, a common filter adds no group.
    ['lang:es AND deportation', [['deportation']]],
    ['subject:"illegal immigration"', [['\u0001subject:immigration']]],
    ['a1 a2 a3 a4 a5', [['a1'], ['a2'], ['a3']]],
  ])('%s -> %j', (query, expected) => {
    expect(groups(query)).toEqual(expected);
  });
});

describe('compileSubscriptions', () => {
  it('reports queries that do not parse and matches the others', () => {
    const { index, errors } = compileSubscriptions([
      { id: 'bad', query: '(deportation' },
      { id: 'good', query: 'deportation' },
      { id: 'bad-again', query: '(deportation' },
    ]);
    expect(errors.map((error) => error.id)).toEqual(['bad', 'bad-again']);
    expect(errors[0]?.error).toBeInstanceOf(QueryError);
    expect(errors[0]?.error.position).toBe(0);
    expect(index.size).toBe(1);
    expect(index.match(story).map((match) => match.subscriptionId)).toEqual(['good']);
  });

  it('returns matches in input order, including subscriptions sharing a query', () => {
    const subs = [
      { id: 'z', query: 'mexico' },
      { id: 'a', query: 'deportations' },
      { id: 'm', query: 'mexico' },
      { id: 'none', query: 'tillerson' },
      { id: 'b', query: 'NOT tillerson' },
    ];
    const { index } = compileSubscriptions(subs);
    expect(index.size).toBe(5);
    const matches = index.match(story);
    expect(matches.map((match) => match.subscriptionId)).toEqual(['z', 'a', 'm', 'b']);
    expect(explained(matches)).toEqual(explained(bruteForceMatch(subs, story)));
  });

  it('evaluates always-list queries on stories with no anchor at all', () => {
    const { index } = compileSubscriptions([
      { id: 'not', query: '-tillerson' },
      { id: 'kw', query: 'tillerson' },
    ]);
    expect(index.match(aStory({ headline: '', body: '' })).map((match) => match.subscriptionId)).toEqual([
      'not',
    ]);
  });

  it('can be reused across many stories (candidate marks do not leak between stories)', () => {
    const { index } = compileSubscriptions([{ id: 'both', query: 'kelly AND tillerson' }]);
    const kellyOnly = aStory({ headline: '', body: 'Kelly spoke.' });
    const tillersonOnly = aStory({ headline: '', body: 'Tillerson spoke.' });
    for (let i = 0; i < 5; i++) {
      expect(index.match(kellyOnly)).toEqual([]);
      expect(index.match(tillersonOnly)).toEqual([]);
    }
    expect(index.match(aStory({ headline: '', body: 'Kelly and Tillerson spoke.' }))).toHaveLength(1);
  });

  it('the prepared brute-force matcher gives the same as bruteForceMatch', () => {
    const subs = [
      { id: '1', query: 'kelly' },
      { id: '2', query: '"mass deportations"' },
      { id: '3', query: 'x(' },
    ];
    expect(explained(createBruteForceMatcher(subs)(story))).toEqual(explained(bruteForceMatch(subs, story)));
    expect(bruteForceMatch(subs, story).map((match) => match.subscriptionId)).toEqual(['1', '2']);
  });
});
