import { describe, expect, it } from 'vitest';
import { personOccurrences } from '../../../functions/core/matching/evaluate/person.ts';
import { PersonChecks } from '../../../functions/core/matching/person-check.ts';
import type { PersonNode } from '../../../functions/core/matching/query/ast.ts';
import { tryParse } from '../../../functions/core/matching/query/parser.ts';
import { StoryView } from '../../../functions/core/matching/story-view.ts';
import { aStory } from '../../support/stories.ts';

function person(text: string): PersonNode {
  return tryParse(text) as PersonNode;
}

describe('PersonChecks', () => {
  const queries = [
    'person:"John Kelly"',
    'person:"Howard Baker"',
    'person:Suharto',
    'person:"Ursula von der Leyen"',
  ];
  const nodes = queries.map(person);

  function checked(story: Parameters<typeof aStory>[0]): boolean[] {
    const checks = new PersonChecks();
    const view = new StoryView(aStory(story));
    checks.beginStory(view);
    const results = nodes.map((node) => checks.mayBeNamed(checks.describe(node), node.fields));
    // Never rules out a person the evaluation finds.
    nodes.forEach((node, at) => {
      if (personOccurrences(view, node).length > 0) expect(results[at]).toBe(true);
    });
    return results;
  }

  it('rules out a surname written only in lower case, or only bare with nobody identified or titled', () => {
    expect(checked({ headline: 'Talks', body: 'The baker and the kelly green flag.', people: [] })).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(checked({ headline: 'KELLY AND BAKER MEET', body: 'Nothing more was said.', people: [] })).toEqual(
      [false, false, false, false],
    );
  });

  it('lets through a full name, an initial, a title, a one-word name, a particle and people metadata', () => {
    expect(
      checked({ headline: 'Talks', body: 'J. Kelly met Mr. Baker. Suharto and Ms. von der Leyen spoke.' }),
    ).toEqual([true, true, true, true]);
    expect(checked({ headline: 'KELLY SPEAKS', body: 'Nothing more.', people: ['John Kelly'] })[0]).toBe(
      true,
    );
  });

  it('stamps a person added while a story is matched from that story at once', () => {
    const checks = new PersonChecks();
    const view = new StoryView(aStory({ headline: 'Talks', body: 'President Suharto said.' }));
    checks.beginStory(view);
    const first = person('person:"John Kelly"');
    expect(checks.mayBeNamed(checks.describe(first), first.fields)).toBe(false);
    const later = person('person:Suharto');
    expect(checks.mayBeNamed(checks.describe(later), later.fields)).toBe(true);
  });
});
