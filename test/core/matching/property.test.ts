import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bruteForceMatch,
  compileSubscriptions,
  planQueries,
  QueryError,
  validateQuery,
} from '../../../functions/core/matching/index.ts';
import { aStory } from '../../support/stories.ts';
import { ENTITIES, query, story } from './arbitraries.ts';
import { explained } from './helpers.ts';

describe('the index gives exactly what brute force gives', () => {
  it.each([
    ['compiled from the queries', (_queries: string[]) => ({})],
    // Anchors made ahead of time (as the snapshot builder does), queries parsed on first use.
    ['compiled from plans', (queries: string[]) => ({ plans: planQueries(queries) })],
  ])('for random subscription sets and random stories, %s', (_how, options) => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 1, maxLength: 25 }),
        fc.array(story, { minLength: 1, maxLength: 3 }),
        (queries, stories) => {
          const subs = queries.map((q, i) => ({ id: `s${i}`, query: q }));
          const { index } = compileSubscriptions(subs, options(queries));
          for (const s of stories)
            expect(explained(index.match(s))).toEqual(explained(bruteForceMatch(subs, s)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('and some random stories do match (the property is not vacuous)', () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.array(query, { minLength: 5, maxLength: 10 }), story, (queries, s) => {
        const subs = queries.map((q, i) => ({ id: `s${i}`, query: q }));
        matched += compileSubscriptions(subs).index.match(s).length;
      }),
      { numRuns: 100 },
    );
    expect(matched).toBeGreaterThan(50);
  });

  it('and each organisation, ticker and metadata term matches some random stories and misses others', () => {
    const subs = ENTITIES.map((q) => ({ id: q, query: q }));
    const { index } = compileSubscriptions(subs);
    const counts = new Map<string, number>(ENTITIES.map((q) => [q, 0]));
    const stories = fc.sample(story, { numRuns: 400, seed: 17 });
    for (const s of stories) {
      const matches = index.match(s);
      expect(explained(matches)).toEqual(explained(bruteForceMatch(subs, s)));
      for (const match of matches)
        counts.set(match.subscriptionId, (counts.get(match.subscriptionId) ?? 0) + 1);
    }
    for (const [q, count] of counts) {
      expect(count, q).toBeGreaterThan(0);
      expect(count, q).toBeLessThan(stories.length);
    }
  });
});

describe('robustness', () => {
  it('any string is a valid query or a QueryError, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const error = validateQuery(text);
        expect(error === undefined || error instanceof QueryError).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('any story text matches without throwing, and hits point into their fields', () => {
    const { index } = compileSubscriptions(
      ['kelly', '"mass deportations"', 'person:"John Kelly"', 'US NEAR/3 mexico', 'NOT x'].map((q, i) => ({
        id: `${i}`,
        query: q,
      })),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, unit: 'grapheme' }),
        fc.string({ maxLength: 80 }),
        (body, headline) => {
          const s = aStory({ headline, body: `${body} Kelly ${body}` });
          for (const match of index.match(s)) {
            for (const hit of match.hits) {
              const text = hit.field === 'body' ? s.body : hit.field === 'headline' ? s.headline : undefined;
              if (text !== undefined) expect(text.slice(hit.start, hit.end)).toBe(hit.text);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
