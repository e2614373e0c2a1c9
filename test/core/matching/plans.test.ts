import { describe, expect, it } from 'vitest';
import {
  compileSubscriptions,
  engineFingerprint,
  planQueries,
  type QueryPlans,
} from '../../../functions/core/matching/index.ts';
import { aStory } from '../../support/stories.ts';

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
    expect(plans.anchors).toEqual([
      ['deportation', [['deportation']]],
      ['"mass deportations"', [['deportation'], ['mass']]],
    ]);
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
    expect(planned).toEqual(compileSubscriptions(SUBSCRIPTIONS).index.match(story));
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
    const wrong: QueryPlans = { engine: engineFingerprint(), anchors: [['deportation', [['zebra']]]] };
    expect(ids(wrong, [{ id: 'kw', query: 'deportation' }])).toEqual([]);
    expect(ids(undefined, [{ id: 'kw', query: 'deportation' }])).toEqual(['kw']);
  });

  it('ignores plans from another engine, or malformed ones, and compiles from the queries', () => {
    const subs = [{ id: 'kw', query: 'deportation' }];
    const foreign: QueryPlans = { engine: 'plans-0-00000000', anchors: [['deportation', [['zebra']]]] };
    expect(ids(foreign, subs)).toEqual(['kw']);
    const tooManyGroups = {
      engine: engineFingerprint(),
      anchors: [['deportation', [['a'], ['b'], ['c'], ['d']]]],
    } as unknown as QueryPlans;
    expect(ids(tooManyGroups, subs)).toEqual(['kw']);
    const notStems = {
      engine: engineFingerprint(),
      anchors: [['deportation', [[7]]]],
    } as unknown as QueryPlans;
    expect(ids(notStems, subs)).toEqual(['kw']);
    expect(ids({ engine: engineFingerprint() } as unknown as QueryPlans, subs)).toEqual(['kw']);
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
    const tampered: QueryPlans = {
      engine: engineFingerprint(),
      anchors: [['(deportation', [['deportation']]]],
    };
    const subs = [
      { id: 'bad', query: '(deportation' },
      { id: 'kw', query: 'deportation' },
    ];
    expect(ids(tampered, subs)).toEqual(['kw']);
    expect(ids(tampered, subs)).toEqual(['kw']);
  });
});
