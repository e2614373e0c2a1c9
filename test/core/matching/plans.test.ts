import { describe, expect, it } from 'vitest';
import {
  compileSubscriptions,
  engineFingerprint,
  planQueries,
  type QueryPlans,
} from '../../../functions/core/matching/index.ts';
import { packPlans, planEntries } from '../../../functions/core/matching/plans.ts';
import { aStory } from '../../support/stories.ts';
import { explained } from './helpers.ts';

const story = aStory({
  headline: 'Kelly rules out mass deportations',
  body: 'Homeland Security Secretary John Kelly met President Enrique Peña Nieto in Mexico City.',
});

const SUBSCRIPTIONS = [
  { id: 'kw', query: 'deportation' },
  { id: 'person', query: 'person:"Peña Nieto"' },
  { id: 'phrase', query: '"mass deportations"' },
  { id: 'not', query: 'NOT tillerson' },
  { id: 'miss', query: 'tillerson' },
  { id: 'kw-again', query: 'deportation' },
];

const ids = (plans?: QueryPlans, subs = SUBSCRIPTIONS) =>
  compileSubscriptions(subs, { plans })
    .index.match(story)
    .map((match) => match.subscriptionId);

describe('planQueries', () => {
  it('plans each distinct query that parses, with its anchor groups, under this engine', () => {
    const plans = planQueries(['deportation', '"mass deportations"', 'deportation', '(unclosed']);
    expect(plans.engine).toBe(engineFingerprint());
    expect(plans.engine).toMatch(/^plans-\d+-[0-9a-f]{8}$/);
    expect(planEntries(plans)).toEqual([
      ['deportation', [['deportation']]],
      ['"mass deportations"', [['mass deportations']]],
    ]);
    // Packed: each stem once, each group as its size then stem positions.
    expect(plans).toEqual({
      engine: engineFingerprint(),
      queries: ['deportation', '"mass deportations"'],
      stems: ['deportation', 'mass deportations'],
      groups: [
        [1, 0],
        [1, 1],
      ],
    });
    expect(planEntries(packPlans(plans.engine, planEntries(plans)))).toEqual(planEntries(plans));
  });

  it('survives a JSON round trip (it is stored in the snapshot)', () => {
    const plans = JSON.parse(JSON.stringify(planQueries(SUBSCRIPTIONS.map((sub) => sub.query))));
    expect(ids(plans)).toEqual(['kw', 'person', 'phrase', 'not', 'kw-again']);
  });
});

describe('compileSubscriptions with plans', () => {
  it('matches exactly what it matches without them, explanations included', () => {
    const plans = planQueries(SUBSCRIPTIONS.map((sub) => sub.query));
    const planned = compileSubscriptions(SUBSCRIPTIONS, { plans }).index.match(story);
    expect(explained(planned)).toEqual(explained(compileSubscriptions(SUBSCRIPTIONS).index.match(story)));
    expect(planned.map((match) => match.subscriptionId)).toEqual([
      'kw',
      'person',
      'phrase',
      'not',
      'kw-again',
    ]);
  });

  it('uses the plan rather than the query: a query is only evaluated when its planned anchors occur', () => {
    // A deliberately wrong plan (same engine): `deportation` anchored on a stem the story lacks.
    const wrong = packPlans(engineFingerprint(), [['deportation', [['zebra']]]]);
    expect(ids(wrong, [{ id: 'kw', query: 'deportation' }])).toEqual([]);
    expect(ids(undefined, [{ id: 'kw', query: 'deportation' }])).toEqual(['kw']);
  });

  it('ignores plans from another engine, or malformed ones, and compiles from the queries', () => {
    const subs = [{ id: 'kw', query: 'deportation' }];
    const foreign = packPlans('plans-0-00000000', [['deportation', [['zebra']]]]);
    expect(ids(foreign, subs)).toEqual(['kw']);
    const plans = (groups: unknown, stems: unknown = ['a', 'b', 'c', 'd']) =>
      ({ engine: engineFingerprint(), queries: ['deportation'], stems, groups: [groups] }) as QueryPlans;
    expect(ids(plans([1, 0]), subs)).toEqual([]); // well-formed (anchored on `a`): used
    const malformed = [
      plans([1, 0, 1, 1, 1, 2, 1, 3]), // four groups, one more than a query mask holds
      plans([1, 4]), // a stem position out of range
      plans([2, 0]), // a group longer than the list
      plans([0]), // an empty group
      plans([1, 0.5]),
      plans(['a']),
      plans([1, 0], [7]), // a stem that is not a string
      { engine: engineFingerprint(), queries: ['deportation'], stems: [], groups: [] } as QueryPlans,
      // a query listed twice (plans list distinct queries)
      {
        engine: engineFingerprint(),
        queries: ['deportation', 'deportation'],
        stems: ['a'],
        groups: [
          [1, 0],
          [1, 0],
        ],
      },
      { engine: engineFingerprint() } as unknown as QueryPlans,
    ];
    for (const bad of malformed) expect(ids(bad, subs)).toEqual(['kw']);
  });

  it('still reports queries missing from the plans that do not parse', () => {
    const plans = planQueries(['deportation']);
    const { index, errors } = compileSubscriptions(
      [
        { id: 'kw', query: 'deportation' },
        { id: 'bad', query: '(unclosed' },
      ],
      { plans },
    );
    expect(errors.map((error) => error.id)).toEqual(['bad']);
    expect(index.size).toBe(1);
    expect(compileSubscriptions([{ id: 'kw', query: 'deportation' }], { plans }).planned).toBe(1);
    expect(compileSubscriptions([{ id: 'kw', query: 'deportation' }]).planned).toBe(0);
  });

  it('a planned query that does not parse (a tampered plan) matches nothing and breaks nothing', () => {
    const tampered = packPlans(engineFingerprint(), [['(deportation', [['deportation']]]]);
    const subs = [
      { id: 'bad', query: '(deportation' },
      { id: 'kw', query: 'deportation' },
    ];
    expect(ids(tampered, subs)).toEqual(['kw']);
    expect(ids(tampered, subs)).toEqual(['kw']);
  });
});
