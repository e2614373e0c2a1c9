import { describe, expect, it } from 'vitest';
import { aStory } from '../../support/stories.ts';
import { hitTexts, matchesBody, matchOne } from './helpers.ts';

describe('keywords', () => {
  it('match whole words, any case or accent, singular or plural', () => {
    expect(matchesBody('deportation', 'They feared Deportations.')).toBe(true);
    expect(matchesBody('deportations', 'one deportation')).toBe(true);
    expect(matchesBody('immigrant', 'immigrants arrived')).toBe(true);
    expect(matchesBody('pena', 'Peña spoke')).toBe(true);
    expect(matchesBody('PEÑA', 'pena spoke')).toBe(false); // capitals make an acronym: case-sensitive
    expect(matchesBody('Peña', 'PENA spoke')).toBe(true);
  });

  it('do not match prefixes or parts of words', () => {
    expect(matchesBody('immigra', 'immigrants and immigration')).toBe(false);
    expect(matchesBody('port', 'deportation')).toBe(false);
  });

  it('are not conflated across -ed / -ing', () => {
    expect(matchesBody('deport', 'they were deported')).toBe(false);
  });

  it('match hyphenated words as their parts', () => {
    expect(matchesBody('Mexicans', 'non-Mexicans being sent')).toBe(true);
    expect(matchesBody('non-Mexicans', 'non Mexicans being sent')).toBe(true);
    expect(matchesBody('non-Mexicans', 'Mexicans being sent')).toBe(false);
  });
});

describe('phrases', () => {
  it('match these word forms in this order, without inflection', () => {
    expect(matchesBody('"mass deportations"', 'there would be "no mass deportations."')).toBe(true);
    expect(matchesBody('"mass deportation"', 'there would be no mass deportations')).toBe(false);
    expect(matchesBody('"deportations mass"', 'no mass deportations')).toBe(false);
    expect(matchesBody('"mass deportations"', 'mass and deportations')).toBe(false);
  });

  it('span line breaks, hyphens and commas but not sentence ends', () => {
    expect(matchesBody('"mass deportations"', 'no mass\ndeportations')).toBe(true);
    expect(matchesBody('"mass deportations"', 'no mass-deportations')).toBe(true);
    expect(matchesBody('"Barack Obama"', 'President Barack Obama spoke.')).toBe(true);
    expect(matchesBody('"Barack Obama"', 'I met Barack. Obama was not there.')).toBe(false);
    expect(matchesBody('"Barack Obama"', 'Barack\n\nObama')).toBe(false);
    expect(matchesBody('"Barack Obama"', 'Barack and Obama')).toBe(false);
  });

  it('are case- and accent-insensitive and accept a possessive', () => {
    expect(matchesBody('"pena nieto"', 'PEÑA NIETO arrived')).toBe(true);
    expect(matchesBody('"Peña Nieto"', "Peña Nieto's visit")).toBe(true);
  });
});

describe('Boolean operators', () => {
  const body = 'Kelly and Tillerson met the Mexican foreign minister in Mexico City.';
  it.each([
    ['tillerson AND kelly', true],
    ['tillerson kelly', true],
    ['tillerson AND trump', false],
    ['tillerson OR trump', true],
    ['trump OR obama', false],
    ['tillerson NOT mexico', false],
    ['tillerson -trump', true],
    ['NOT trump', true],
    ['NOT mexico', false],
    ['trump OR NOT obama', true],
    ['(trump OR kelly) AND (minister OR obama)', true],
    ['trump OR kelly AND obama', false],
    ['kelly AND -(trump OR obama)', true],
    ['-(kelly OR obama)', false],
  ])('%s -> %s', (query, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });

  it('give hits only for positive branches that matched', () => {
    const story = aStory({ headline: '', body });
    expect(hitTexts('(kelly OR trump) -obama', story)).toEqual(['Kelly']);
    expect(hitTexts('kelly OR tillerson', story)).toEqual(['Kelly', 'Tillerson']);
    expect(matchOne('NOT obama', story)?.hits).toEqual([]);
    expect(matchOne('NOT obama', story)?.snippet).toEqual({ text: '', highlights: [] });
  });
});

describe('acronyms', () => {
  it('written in capitals match case-sensitively, with or without dots', () => {
    expect(matchesBody('US', 'the U.S. won')).toBe(true);
    expect(matchesBody('US', 'the U.S won')).toBe(true);
    expect(matchesBody('US', 'the US won')).toBe(true);
    expect(matchesBody('US', 'let us go')).toBe(false);
    expect(matchesBody('U.S.', 'the US won')).toBe(true);
    expect(matchesBody('IMF', 'the I.M.F. said')).toBe(true);
    expect(matchesBody('IMF', 'the imf said')).toBe(false);
    expect(matchesBody('"US troops"', 'U.S. troops left')).toBe(true);
    expect(matchesBody('"US troops"', 'us troops left')).toBe(false);
  });

  it('lowercase query words are case-insensitive', () => {
    expect(matchesBody('us', 'the U.S. won')).toBe(true);
    expect(matchesBody('imf', 'the IMF said')).toBe(true);
  });
});

describe('NEAR', () => {
  it('matches within n words in either order', () => {
    const body = 'the U.S. will not use force in immigration enforcement operations, he said';
    expect(matchesBody('immigration NEAR/2 operations', body)).toBe(true);
    expect(matchesBody('operations NEAR/2 immigration', body)).toBe(true);
    expect(matchesBody('immigration NEAR/1 operations', body)).toBe(false);
    expect(matchesBody('immigration NEAR/1 enforcement', body)).toBe(true);
  });

  it('takes phrases and people as operands and counts from their edges', () => {
    const body = 'Mr. Kelly said there would be no mass deportations at all.';
    expect(matchesBody('"mass deportations" NEAR/6 said', body)).toBe(true);
    expect(matchesBody('"mass deportations" NEAR/4 said', body)).toBe(false);
    expect(matchesBody('person:Kelly NEAR/1 said', body)).toBe(true);
  });

  it('needs both sides in the same field', () => {
    expect(matchesBody('immigration NEAR/3 raids', 'raids', { headline: 'Immigration' })).toBe(false);
  });

  it('does not pair a word with itself', () => {
    expect(matchesBody('deportation NEAR/3 deportations', 'one deportation only')).toBe(false);
    expect(matchesBody('deportation NEAR/3 deportations', 'deportation after deportation')).toBe(true);
  });

  it('hits only the occurrences that are near each other', () => {
    const story = aStory({ headline: '', body: 'immigration laws. Later, immigration raids began.' });
    expect(matchOne('immigration NEAR/2 raids', story)?.hits.map((hit) => hit.start)).toEqual([25, 37]);
  });
});

describe('field scopes', () => {
  const story = aStory({
    headline: 'Kelly rules out mass deportations',
    summary: ['Mexico talks end'],
    body: 'Homeland Security Secretary John Kelly spoke in Mexico City.',
    authors: ['Felicia Schwartz', 'Robbie Whelan'],
    dateline: 'MEXICO CITY',
    slugline: 'US-MEXICO-IMMIGRATION',
  });

  it.each([
    ['headline:deportation', true],
    ['headline:homeland', false],
    ['body:homeland', true],
    ['body:deportations', false],
    ['summary:talks', true],
    ['byline:Schwartz', true],
    ['byline:Kelly', false],
    ['dateline:"mexico city"', true],
    ['dateline:homeland', false],
    ['slugline:immigration', true],
    ['headline:(homeland OR deportations)', true],
    ['headline:(homeland OR secretary)', false],
    ['schwartz', false],
    ['talks', true],
    ['headline:person:Kelly', true], // a one-word name is its own full name: `Kelly rules out...`
    ['headline:person:Tillerson', false],
    ['byline:person:"Robbie Whelan"', true],
  ])('%s -> %s', (query, expected) => {
    expect(matchOne(query, story) !== undefined).toBe(expected);
  });

  it('reports the field and offsets of each hit', () => {
    const hits = matchOne('deportations OR schwartz OR byline:schwartz', story)?.hits;
    expect(hits).toEqual([
      { term: 'deportations', field: 'headline', start: 21, end: 33, text: 'deportations' },
      { term: 'schwartz', field: 'byline', start: 8, end: 16, text: 'Schwartz' },
    ]);
  });
});
