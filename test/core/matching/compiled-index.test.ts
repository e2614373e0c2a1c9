import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledIndex } from '../../../functions/core/matching/compiled-index.ts';
import {
  bruteForceMatch,
  compileSubscriptions,
  planQueries,
  type QuerySource,
  type SubscriptionChange,
} from '../../../functions/core/matching/index.ts';
import { aStory } from '../../support/stories.ts';
import { query, story } from './arbitraries.ts';
import { explained } from './helpers.ts';

/** The subscription list after the changes, as IncrementalMatchIndex.apply defines it. */
function applyToList(subs: readonly QuerySource[], changes: readonly SubscriptionChange[]): QuerySource[] {
  const list = [...subs];
  for (const change of changes) {
    const at = list.findIndex((sub) => sub.id === change.id);
    const compiles = change.kind === 'put' && compileSubscriptions([change]).errors.length === 0;
    if (change.kind === 'put' && compiles) {
      if (at >= 0) list[at] = { id: change.id, query: change.query };
      else list.push({ id: change.id, query: change.query });
    } else if (at >= 0) {
      list.splice(at, 1);
    }
  }
  return list;
}

const ids = fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `s${i}`));
const change: fc.Arbitrary<SubscriptionChange> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('put' as const), id: ids, query }) },
  // Queries that do not compile take a subscription out.
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('put' as const), id: ids, query: fc.constant('(kelly') }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: ids }) },
);

describe('an index with changes applied in place matches exactly as one compiled from scratch', () => {
  it.each([
    ['compiled from the queries', (_queries: string[]) => ({}), false],
    ['compiled from plans', (queries: string[]) => ({ plans: planQueries(queries) }), false],
    // The path of an index of over 500,000 keys: story keys and word pairs screened by their hashes.
    ['compiled from the queries, keys screened by a key filter', (_queries: string[]) => ({}), true],
  ])(
    'for random subscriptions, random changes in random batches and random stories, %s',
    (_how, options, screened) => {
      fc.assert(
        fc.property(
          fc.array(query, { maxLength: 10 }),
          fc.array(fc.array(change, { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
          fc.array(story, { minLength: 1, maxLength: 3 }),
          (queries, batches, stories) => {
            let list: QuerySource[] = queries.map((q, i) => ({ id: `s${i}`, query: q }));
            const { index } = compileSubscriptions(list, options(queries));
            if (screened) (index as CompiledIndex).useKeyFilter();
            for (const batch of batches) {
              index.apply(batch);
              list = applyToList(list, batch);
              const fresh = compileSubscriptions(list).index;
              expect(index.size).toBe(fresh.size);
              for (const s of stories) {
                expect(explained(index.match(s))).toEqual(explained(fresh.match(s)));
                expect(explained(index.match(s))).toEqual(explained(bruteForceMatch(list, s)));
              }
            }
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});

describe('an index screening story keys with a key filter (as one of over 500,000 keys does)', () => {
  it('gives exactly what brute force gives, word pairs included', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 1, maxLength: 25 }),
        fc.array(story, { minLength: 1, maxLength: 3 }),
        (queries, stories) => {
          const subs = queries.map((q, i) => ({ id: `s${i}`, query: q }));
          const { index } = compileSubscriptions(subs);
          (index as CompiledIndex).useKeyFilter();
          for (const s of stories)
            expect(explained(index.match(s))).toEqual(explained(bruteForceMatch(subs, s)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds a phrase through its word pair, and not where the words are apart', () => {
    const { index } = compileSubscriptions([{ id: 'phrase', query: '"mass deportations"' }]);
    (index as CompiledIndex).useKeyFilter();
    const side = aStory({ headline: 'Plan', body: 'A plan of mass deportations.' });
    const apart = aStory({
      headline: 'Plan',
      body: 'Deportations. Mass protests and deportations en masse.',
    });
    expect(index.match(side).map((match) => match.subscriptionId)).toEqual(['phrase']);
    expect(index.match(apart)).toEqual([]);
  });
});

describe('one index matching story after story', () => {
  it('gives each story what brute force gives, long after its per-story stamps have wrapped around', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 1, maxLength: 12 }),
        fc.array(story, { minLength: 2, maxLength: 4 }),
        (queries, stories) => {
          const subs = queries.map((q, i) => ({ id: `s${i}`, query: q }));
          const { index } = compileSubscriptions(subs);
          const expected = stories.map((s) => explained(bruteForceMatch(subs, s)));
          const blank = aStory({ headline: 'Nothing', body: 'Nothing here.' });
          // 100 stories: each random one every 31 stories (the stamps of the candidate table, so a table
          // not cleared would hold the last visit's state under the same stamp), blank ones in between.
          for (let round = 0; round < 100; round++) {
            const at = round % 31;
            const current = stories[at];
            const found = explained(index.match(current ?? blank));
            if (current !== undefined) expect(found).toEqual(expected[at]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('IncrementalMatchIndex.apply', () => {
  const story = aStory({
    headline: 'Kelly meets Tillerson',
    body: 'Mass deportations were discussed in Mexico.',
  });
  const ids = (matches: readonly { subscriptionId: string }[]) =>
    matches.map((match) => match.subscriptionId);

  it('adds a subscription after the others, on a query new to the index or one it knows', () => {
    const { index } = compileSubscriptions([{ id: 'a', query: 'kelly' }]);
    index.apply([
      { kind: 'put', id: 'b', query: '"mass deportations"' },
      { kind: 'put', id: 'c', query: 'kelly' },
    ]);
    expect(ids(index.match(story))).toEqual(['a', 'b', 'c']);
    expect(index.match(story)[1]?.hits.map((hit) => hit.text)).toEqual(['Mass deportations']);
    expect(index.size).toBe(3);
  });

  it('replaces a query in place, keeping the subscription where it was', () => {
    const { index } = compileSubscriptions([
      { id: 'a', query: 'obama' },
      { id: 'b', query: 'kelly' },
    ]);
    expect(ids(index.match(story))).toEqual(['b']);
    index.apply([{ kind: 'put', id: 'a', query: 'mexico' }]);
    expect(ids(index.match(story))).toEqual(['a', 'b']);
    index.apply([{ kind: 'put', id: 'b', query: 'obama' }]);
    expect(ids(index.match(story))).toEqual(['a']);
  });

  it('removes a subscription, and one added again goes after the others', () => {
    const { index } = compileSubscriptions([
      { id: 'a', query: 'kelly' },
      { id: 'b', query: 'kelly' },
    ]);
    index.apply([{ kind: 'remove', id: 'a' }]);
    expect(ids(index.match(story))).toEqual(['b']);
    expect(index.size).toBe(1);
    index.apply([{ kind: 'put', id: 'a', query: 'tillerson' }]);
    expect(ids(index.match(story))).toEqual(['b', 'a']);
  });

  it('takes out a subscription whose new query does not compile and reports it; removing the unknown is a no-op', () => {
    const { index } = compileSubscriptions([{ id: 'a', query: 'kelly' }]);
    const errors = index.apply([
      { kind: 'put', id: 'a', query: '(kelly' },
      { kind: 'remove', id: 'nobody' },
    ]);
    expect(errors.map((error) => [error.id, error.error.message])).toEqual([
      ['a', expect.stringContaining('Unclosed parenthesis')],
    ]);
    expect(index.match(story)).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('indexes a new query that needs no anchor (NOT x) so that it is always evaluated', () => {
    const { index } = compileSubscriptions([{ id: 'a', query: 'kelly' }]);
    index.apply([{ kind: 'put', id: 'b', query: 'NOT obama' }]);
    expect(ids(index.match(story))).toEqual(['a', 'b']);
    expect(ids(index.match(aStory({ headline: 'Obama', body: '' })))).toEqual([]);
  });
});
