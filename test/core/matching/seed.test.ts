import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  bruteForceMatch,
  compileSubscriptions,
  renderSnippet,
} from '../../../functions/core/matching/index.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { corpusPath, describeWithCorpus } from '../../support/corpus.ts';
import { explained } from './helpers.ts';
import { SEED_CASES } from './seed-cases.ts';

describeWithCorpus('seed story: Kelly and Tillerson in Mexico City (Dow Jones, 2017-02-23)', () => {
  const story = parseStory(readFileSync(corpusPath('seed', 'djn-20170223-kelly-mexico.txt')));
  const subs = SEED_CASES.map(([query], i) => ({ id: `seed-${i}`, query }));
  const { index, errors } = compileSubscriptions(subs);
  const matched = new Map(index.match(story).map((match) => [match.subscriptionId, match]));

  it('parses as expected (no headline, two authors, dateline)', () => {
    expect(story.headline).toBe('');
    expect(story.authors).toEqual(['Felicia Schwartz', 'Robbie Whelan']);
    expect(story.dateline).toBe('MEXICO CITY');
    expect(errors).toEqual([]);
  });

  it.each(SEED_CASES.map(([query, expected], i) => [query, expected, `seed-${i}`] as const))(
    '%s -> %s',
    (_query, expected, id) => {
      expect(matched.has(id)).toBe(expected);
    },
  );

  it('explains the matches with hits and snippets', () => {
    const phrase = matched.get('seed-1');
    expect(phrase?.hits.map((hit) => hit.text)).toEqual(['mass deportations']);
    expect(renderSnippet(phrase?.snippet ?? { text: '', highlights: [] })).toContain(
      '"no [mass deportations]."',
    );
    const person = matched.get('seed-2');
    expect(person?.hits.every((hit) => hit.text.includes('Peña Nieto'))).toBe(true);
    expect(matched.get('seed-7')?.hits).toEqual([
      { term: 'Schwartz', field: 'byline', start: 8, end: 16, text: 'Schwartz' },
    ]);
  });

  it('the index and brute force agree', () => {
    expect(explained(index.match(story))).toEqual(explained(bruteForceMatch(subs, story)));
  });
});
