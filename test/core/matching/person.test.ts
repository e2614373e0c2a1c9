import { describe, expect, it } from 'vitest';
import { aStory } from '../../support/stories.ts';
import { hitTexts, matchesBody, matchOne } from './helpers.ts';

describe('person: full names', () => {
  it.each([
    ['person:"Enrique Peña Nieto"', 'Mexican President Enrique Peña Nieto spoke.'],
    ['person:"Enrique Pena Nieto"', 'Mexican President Enrique Peña Nieto spoke.'],
    ['person:"enrique peña nieto"', 'Mexican President Enrique Peña Nieto spoke.'],
    ['person:"Peña Nieto"', 'Mexican President Enrique Peña Nieto spoke.'],
    ['person:"Enrique Peña Nieto"', 'Officials met Enrique Peña\nNieto on Thursday.'],
    ['person:"Enrique Peña Nieto"', "Enrique Peña Nieto's government said no."],
    ['person:"John Kelly"', 'Homeland Security Secretary John F. Kelly said so.'],
    ['person:"John Kelly"', 'Retired general John Francis Kelly said so.'],
    ['person:"John F. Kelly"', 'Secretary John Kelly said so.'],
    ['person:"John Kelly"', 'The memo was signed by J. Kelly yesterday.'],
    ['person:"Rex Tillerson"', 'Secretary of State Rex Tillerson, who arrived late, said so.'],
  ])('%s matches %j', (query, body) => {
    expect(matchesBody(query, body)).toBe(true);
  });

  it('match in headlines written in capitals', () => {
    const story = aStory({ headline: 'PEÑA NIETO MEETS KELLY AND TILLERSON', body: 'Talks went on.' });
    expect(matchOne('person:"Enrique Peña Nieto"', story)).toBeUndefined(); // surname alone, no title, never named in full
    expect(matchOne('person:"Peña Nieto"', story)).toBeDefined(); // given `Peña`, surname `Nieto`: the full name
    const named = aStory({
      headline: 'KELLY RULES OUT MASS DEPORTATIONS',
      body: 'Homeland Security Secretary John Kelly said so.',
    });
    expect(matchOne('headline:person:"John Kelly"', named)?.hits.map((hit) => hit.text)).toEqual(['KELLY']);
  });

  it('reject a different middle initial', () => {
    expect(matchesBody('person:"John F. Kelly"', 'John M. Kelly, a farmer, said so.')).toBe(false);
  });
});

describe('person: surname with a title or honorific', () => {
  it.each([
    ['person:"Enrique Peña Nieto"', 'A senior official warned Mr. Peña Nieto might scrap the meeting.'],
    ['person:"Ronald Reagan"', 'The bill went to President Reagan on Friday.'],
    ['person:"James Baker"', 'Treasury Secretary Baker said the dollar was stable.'],
    ['person:"James Baker"', 'TREASURY SECRETARY BAKER SAYS DOLLAR STABLE'],
    ['person:"John Kelly"', 'A senior official warned of a rift with Messrs. Kelly and Tillerson.'],
    ['person:"Rex Tillerson"', 'A senior official warned of a rift with Messrs. Kelly and Tillerson.'],
    ['person:"Rex Tillerson"', 'It fell to Secretary of State Tillerson to reply.'],
    ['person:"John Kelly"', 'Gen. Kelly, in uniform, said so.'],
    ['person:"Angela Merkel"', 'Chancellor Merkel arrived on Tuesday.'],
  ])('%s matches %j', (query, body) => {
    expect(matchesBody(query, body)).toBe(true);
  });

  it('hit the title and the surname', () => {
    const story = aStory({
      headline: '',
      body: 'A senior official warned Mr. Peña Nieto might scrap the meetings.',
    });
    expect(hitTexts('person:"Enrique Peña Nieto"', story)).toEqual(['Mr. Peña Nieto']);
  });
});

describe('person: surname alone when the story names the person in full elsewhere', () => {
  it('matches the bare surname, with the full name as a hit', () => {
    const story = aStory({
      headline: 'Kelly Rules Out Mass Deportations',
      body: 'Homeland Security Secretary John Kelly said Thursday there would be none. Kelly later left.',
    });
    expect(hitTexts('person:"John Kelly"', story)).toEqual(['Kelly', 'John Kelly', 'Kelly']);
  });

  it('does not match a bare surname with neither title nor full name', () => {
    expect(matchesBody('person:"John Kelly"', 'Kelly said there would be no mass deportations.')).toBe(false);
  });
});

describe('person: someone else with the surname', () => {
  it.each([
    ['person:"John Kelly"', 'Fox News host Megyn Kelly interviewed the candidate.'],
    ['person:"John Kelly"', 'Fox News host Megyn Kelly interviewed him. Ms. Kelly asked about taxes.'],
    [
      'person:"James Baker"',
      'White House chief of staff Howard Baker met reporters. Mr. Baker said the president was well.',
    ],
    ['person:"James Baker"', 'Oil services company Baker Hughes reported a loss.'],
    ['person:"James Baker"', 'Shares of Baker Hughes Inc rose.'],
    ['person:"John Kelly"', 'The singer Kelly Clarkson released an album.'],
    ['person:"John Kelly"', "Mexico's Kelly said so."],
    ['person:"Enrique Peña Nieto"', 'Peña Nieto Avenue was closed.'],
  ])('%s does not match %j', (query, body) => {
    expect(matchesBody(query, body)).toBe(false);
  });

  it('titled references count again once our person is named in full', () => {
    const body = 'Megyn Kelly interviewed John Kelly. Mr. Kelly said no.';
    const story = aStory({ headline: '', body });
    expect(hitTexts('person:"John Kelly"', story)).toEqual(['John Kelly', 'Mr. Kelly']);
    expect(hitTexts('person:"Megyn Kelly"', story)).toEqual(['Megyn Kelly', 'Mr. Kelly']);
  });

  it('a surname followed by a weekday or month is still a name', () => {
    expect(matchesBody('person:"John Kelly"', 'Secretary Kelly Thursday rejected the idea.')).toBe(true);
  });
});

describe('person: a one-word name is its own full name', () => {
  it.each([
    ['Mr. Tillerson spoke.', true],
    ['Secretary of State Rex Tillerson spoke.', true],
    ['Messrs. Kelly and Tillerson spoke.', true],
    ['Tillerson spoke.', true],
    ['Tillersons spoke.', false],
    ['Rex Tillerson arrived. Tillerson spoke.', true],
    ['Tillerson Capital bought shares.', false],
    ['Tillerson Avenue was closed.', false],
  ])('person:Tillerson on %j -> %s', (body, expected) => {
    expect(matchesBody('person:Tillerson', body)).toBe(expected);
  });
});

describe('person: anchors and fields', () => {
  it('searches headline, summary and body by default, not the byline', () => {
    const story = aStory({ headline: '', body: 'Nothing here.', authors: ['Felicia Schwartz'] });
    expect(matchOne('person:"Felicia Schwartz"', story)).toBeUndefined();
    expect(matchOne('byline:person:"Felicia Schwartz"', story)).toBeDefined();
  });

  it('needs every surname word', () => {
    expect(
      matchesBody('person:"Miguel Osorio Chong"', 'Interior Minister Miguel Ángel Osorio Chong spoke.'),
    ).toBe(true);
    expect(matchesBody('person:"Miguel Osorio Chong"', 'Messrs. Videgaray and Osorio spoke.')).toBe(false);
  });
});
