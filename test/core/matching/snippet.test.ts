import { describe, expect, it } from 'vitest';
import { renderSnippet, SNIPPET_TARGET } from '../../../functions/core/matching/index.ts';
import { aStory } from '../../support/stories.ts';
import { matchOne, snippetOf } from './helpers.ts';

describe('snippets', () => {
  it('are the sentence around the first hit, with every hit in it marked', () => {
    const story = aStory({
      headline: '',
      body: 'Talks began early. Mr. Kelly said there would be "no mass deportations." He left for the U.S. at noon.',
    });
    expect(snippetOf('deportations OR kelly', story)).toBe(
      'Mr. [Kelly] said there would be "no mass [deportations]."',
    );
    expect(snippetOf('noon', story)).toBe('He left for the U.S. at [noon].');
  });

  it('prefer the headline, then the summary, then the body', () => {
    const story = aStory({
      headline: 'Kelly in Mexico',
      summary: ['Kelly meets ministers'],
      body: 'Mr. Kelly spoke.',
    });
    expect(snippetOf('kelly', story)).toBe('[Kelly] in Mexico');
    expect(snippetOf('ministers OR body:kelly', story)).toBe('Kelly meets [ministers]');
  });

  it('collapse whitespace and keep offsets of highlights right', () => {
    const story = aStory({ headline: '', body: 'The   mass\n  deportations\tpolicy.' });
    const match = matchOne('"mass deportations"', story);
    expect(match?.snippet.text).toBe('The mass deportations policy.');
    expect(match?.snippet.highlights).toEqual([[4, 21]]);
    expect(match?.hits[0]?.text).toBe('mass\n  deportations');
  });

  it('trim a long sentence to about the target on word boundaries, with ellipses', () => {
    const before = Array.from({ length: 60 }, (_, i) => `alpha${i}`).join(' ');
    const after = Array.from({ length: 60 }, (_, i) => `omega${i}`).join(' ');
    const story = aStory({ headline: '', body: `${before} deportation ${after}.` });
    const snippet = snippetOf('deportation', story) ?? '';
    expect(snippet.startsWith('…alpha')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('[deportation]');
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_TARGET + 4);
    expect(snippet.length).toBeGreaterThan(SNIPPET_TARGET - 20);
    for (const word of snippet.replace(/[…[\]]/g, '').split(' '))
      expect(word).toMatch(/^(alpha|omega)\d+$|^deportation$/);
  });

  it('use the unused budget before a hit at the end of a long sentence', () => {
    const before = Array.from({ length: 80 }, (_, i) => `alpha${i}`).join(' ');
    const story = aStory({ headline: '', body: `${before} deportation.` });
    const snippet = snippetOf('deportation', story) ?? '';
    expect(snippet.endsWith('[deportation].')).toBe(true);
    expect(snippet.length).toBeGreaterThan(SNIPPET_TARGET - 20);
  });

  it('mark a person reference, title included', () => {
    const story = aStory({
      headline: '',
      body: 'A senior official warned Mr. Peña Nieto might scrap the meetings.',
    });
    expect(snippetOf('person:"Enrique Peña Nieto"', story)).toBe(
      'A senior official warned [Mr. Peña Nieto] might scrap the meetings.',
    );
  });
});

describe('renderSnippet', () => {
  it('wraps highlights with the given markers', () => {
    const snippet = {
      text: 'no mass deportations here',
      highlights: [
        [3, 7],
        [8, 20],
      ] as const,
    };
    expect(renderSnippet(snippet)).toBe('no [mass] [deportations] here');
    expect(renderSnippet(snippet, '<mark>', '</mark>')).toBe(
      'no <mark>mass</mark> <mark>deportations</mark> here',
    );
  });

  it('ignores highlights that overlap or fall outside the text', () => {
    const snippet = {
      text: 'abc',
      highlights: [
        [0, 2],
        [1, 3],
        [2, 9],
      ] as const,
    };
    expect(renderSnippet(snippet)).toBe('[ab]c');
  });
});
