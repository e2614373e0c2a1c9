import { describe, expect, it } from 'vitest';
import { leadSentence, MAX_TITLE_CHARS, shorten, storyTitle } from '../../../functions/core/stories/title.ts';

const story = (headline: string, body: string, summary: string[] = []) => ({ headline, body, summary });

describe('storyTitle', () => {
  it('is the headline when there is one', () => {
    expect(storyTitle(story('  Harbour  reopens ', 'The harbour reopened on Monday.'))).toBe(
      'Harbour reopens',
    );
  });

  it('is the lead sentence of a story without a headline, whole when short', () => {
    expect(storyTitle(story('', 'The harbour reopened on Monday. Ships queued all day.'))).toBe(
      'The harbour reopened on Monday.',
    );
  });

  it('cuts a long lead sentence on a word boundary, with one ellipsis and no dangling punctuation', () => {
    const title = storyTitle(
      story(
        '',
        'The interior ministry said on Saturday it would publish deportation figures every month from January, after lawmakers asked for more detail.\n\nMore.',
      ),
    );
    expect(title).toBe(
      'The interior ministry said on Saturday it would publish deportation figures every month from…',
    );
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(title.match(/…|\.\.\./g)).toHaveLength(1);
  });

  it('falls back to the first summary line when there is no body', () => {
    expect(storyTitle(story('', '', ['Ministry to publish figures monthly']))).toBe(
      'Ministry to publish figures monthly',
    );
  });
});

describe('leadSentence', () => {
  it('does not stop at abbreviations, initials or decimals', () => {
    expect(leadSentence('Mr. Peña Nieto met U.S. officials in St. Louis on Jan. 5. They talked.')).toBe(
      'Mr. Peña Nieto met U.S. officials in St. Louis on Jan. 5.',
    );
    expect(leadSentence('John F. Kennedy Airport reopened after 2.5 hours. Flights resumed.')).toBe(
      'John F. Kennedy Airport reopened after 2.5 hours.',
    );
    expect(leadSentence('"We are done." The union said so.')).toBe('"We are done."');
    expect(leadSentence('No full stop at all')).toBe('No full stop at all');
  });
});

describe('shorten', () => {
  it('cuts a single very long word hard', () => {
    expect(shorten('x'.repeat(120), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
