import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { satisfies } from '../../../functions/core/matching/evaluate/evaluate.ts';
import { LeafInterner } from '../../../functions/core/matching/leaf-interner.ts';
import { tryParse } from '../../../functions/core/matching/query/parser.ts';
import { QueryPrograms } from '../../../functions/core/matching/query-programs.ts';
import { StoryView } from '../../../functions/core/matching/story-view.ts';
import { QueryError } from '../../../functions/core/matching/types.ts';
import { aStory } from '../../support/stories.ts';
import { query, story } from './arbitraries.ts';

describe('QueryPrograms', () => {
  it('gives what evaluating the tree gives, story after story, programs built during the first story and reused in the next', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 1, maxLength: 8 }),
        fc.array(story, { minLength: 1, maxLength: 3 }),
        (queries, stories) => {
          const interner = new LeafInterner();
          const roots = queries.map((text) => {
            const parsed = tryParse(text);
            return parsed instanceof QueryError ? null : interner.intern(parsed);
          });
          const programs = new QueryPrograms();
          for (const s of stories) {
            const view = new StoryView(s);
            programs.beginStory(view);
            roots.forEach((root, at) => {
              if (!programs.isBuilt(at)) programs.build(at, root);
              expect(programs.satisfied(at)).toBe(root !== null && satisfies(view, root));
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('short-circuits AND, OR and NOT as the tree does, and a query that did not parse matches nothing', () => {
    const interner = new LeafInterner();
    const texts = [
      'kelly AND -mexico',
      '(mexico OR kelly) AND NOT tillerson',
      'tillerson OR "mass deportations"',
    ];
    const programs = new QueryPrograms();
    const story = aStory({ headline: 'Kelly in Mexico', body: 'Mass deportations were discussed.' });
    programs.beginStory(new StoryView(story));
    texts.forEach((text, at) => {
      programs.build(at, interner.intern(tryParse(text) as Exclude<ReturnType<typeof tryParse>, QueryError>));
    });
    programs.build(3, null);
    expect([0, 1, 2, 3].map((at) => programs.satisfied(at))).toEqual([false, true, true, false]);
  });

  it('rules a phrase out when two of its words are never side by side in a sentence, and finds it when they are', () => {
    const interner = new LeafInterner();
    const texts = [
      '"mass deportations"',
      '"deportations mass"',
      '"plan mass deportations"',
      '"deportations were"',
    ];
    const programs = new QueryPrograms();
    const story = aStory({ headline: 'A plan', body: 'Plan mass deportations. Were they discussed?' });
    const view = new StoryView(story);
    programs.beginStory(view);
    texts.forEach((text, at) => {
      programs.build(at, interner.intern(tryParse(text) as Exclude<ReturnType<typeof tryParse>, QueryError>));
    });
    expect(texts.map((_, at) => programs.satisfied(at))).toEqual([true, false, true, false]);
    expect(view.wordPairs.has('deportations were')).toBe(false); // a sentence end between them
    expect(view.wordPairs.has('plan mass')).toBe(true);
  });

  it('decides a two-word phrase by the fields that write its pair, and rules out people who cannot be referred to in a way that counts', () => {
    const interner = new LeafInterner();
    const texts = [
      'headline:"mass deportations"', // the pair is only in the body
      'body:"mass deportations"',
      'person:"Peace Talks"', // TALKS in a headline in capitals: a bare surname, nobody identified or titled
      'person:"Roger Trade"', // ...the same with a titled reference in the body
      'person:"John Kelly"', // named in full in the body, then bare in the headline
      'person:"Suharto"', // a one-word name counts bare
      'person:"Ana Morales"', // only in the story's people metadata, then bare
    ];
    const story = aStory({
      headline: 'TRADE TALKS STALL AS KELLY AND MORALES AND SUHARTO MEET',
      body: 'Mass deportations were planned. John Kelly met Mr. Trade on Tuesday. Suharto said little.',
      people: ['Ana Morales'],
    });
    const programs = new QueryPrograms();
    const view = new StoryView(story);
    programs.beginStory(view);
    const roots = texts.map((text) =>
      interner.intern(tryParse(text) as Exclude<ReturnType<typeof tryParse>, QueryError>),
    );
    roots.forEach((root, at) => {
      programs.build(at, root);
    });
    const expected = [false, true, false, true, true, true, true];
    expect(texts.map((_, at) => programs.satisfied(at))).toEqual(expected);
    expect(roots.map((root) => satisfies(view, root))).toEqual(expected);
    // The next story, stamped from its own words: the phrase is in the headline now; nobody is titled.
    const next = new StoryView(
      aStory({ headline: 'Mass deportations planned', body: 'Trade talks stalled on Tuesday.', people: [] }),
    );
    programs.beginStory(next);
    expect(texts.map((_, at) => programs.satisfied(at))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
