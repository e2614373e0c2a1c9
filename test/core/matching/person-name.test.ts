import { describe, expect, it } from 'vitest';
import { parseQuery, validateQuery } from '../../../functions/core/matching/index.ts';
import { aStory } from '../../support/stories.ts';
import { hitTexts, matchesBody, matchOne } from './helpers.ts';

/** `given/surname` of each reading, e.g. `ursula/von_der_leyen`. */
function readings(name: string): string[] {
  const node = parseQuery(`person:"${name}"`);
  if (node.kind !== 'person') throw new Error('not a person');
  return node.names.map((reading) => `${reading.given.join('_')}/${reading.surname.join('_')}`);
}

describe('person names: how a query name is split', () => {
  it.each([
    ['Ursula von der Leyen', ['ursula/von_der_leyen']],
    ['Bashar al-Assad', ['bashar/al_assad']],
    ['Andrés Manuel López Obrador', ['andres_manuel/lopez_obrador']],
    ['Ruth Bader Ginsburg', ['ruth/bader_ginsburg']],
    ['Jean-Claude Juncker', ['jean_claude/juncker']],
    ['Robin Leigh-Pemberton', ['robin/leigh_pemberton']],
    ['Xi Jinping', ['xi/jinping', 'jinping/xi']],
    ['Kim Jong-un', ['kim/jong_un', 'jong_un/kim']],
    ['Suharto', ['/suharto']],
    ['T. Boone Pickens', ['boone/pickens']],
    ['Lula da Silva, Luiz Inácio', ['luiz_inacio/lula_da_silva']],
    ['Luiz Inácio Lula da Silva | Lula', ['luiz_inacio/lula_da_silva', '/lula']],
  ])('%s -> %j', (name, expected) => {
    expect(readings(name)).toEqual(expected);
  });

  it('explains a name with no surname', () => {
    expect(validateQuery('person:", John"')?.message).toBe(
      'person: at 0 needs a name with a surname, e.g. person:"Jane Doe" or person:Doe',
    );
    expect(validateQuery('person:"J."')?.message).toMatch(/needs a name with a surname/);
    expect(validateQuery('person:"Lula |  "')?.message).toBe("person: at 0 the alias '' has no surname");
  });
});

describe('person names: particles', () => {
  it.each([
    ['person:"Ursula von der Leyen"', 'Commission President Ursula von der Leyen spoke.', true],
    ['person:"Ursula von der Leyen"', 'Ursula von der Leyen spoke. Ms. von der Leyen left.', true],
    ['person:"Ursula von der Leyen"', 'Ursula von der Leyen spoke. Von der Leyen said more.', true],
    ['person:"Ursula von der Leyen"', 'A senior aide to Ms. von der Leyen spoke.', true],
    ['person:"Ursula von der Leyen"', 'Ms. Leyen spoke.', false],
    ['person:"Ursula von der Leyen"', 'Ursula Leyen, a baker, spoke.', false],
    ['person:"Charles de Gaulle"', 'Gen. de Gaulle returned to Paris.', true],
    ['person:"Charles de Gaulle"', 'Flights left Charles de Gaulle airport late.', false],
    ['person:"Charles de Gaulle"', 'The de Gaulle aircraft carrier sailed.', false],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });

  it('match a capitalised particle in a headline in capitals', () => {
    const story = aStory({
      headline: 'VON DER LEYEN SEEKS NEW TARIFF TALKS',
      body: 'European Commission President Ursula von der Leyen wrote to members.',
    });
    expect(hitTexts('headline:person:"Ursula von der Leyen"', story)).toEqual(['VON DER LEYEN']);
    const other = aStory({ headline: 'VON DER LEYEN SEEKS NEW TARIFF TALKS', body: 'Talks began.' });
    expect(matchOne('person:"Ursula von der Leyen"', other)).toBeUndefined();
  });
});

describe('person names: a dropped particle', () => {
  it.each([
    ['Syrian President Bashar Assad spoke.', true],
    ['Bashar al-Assad spoke. Mr. Assad left.', true],
    ['Mr. Assad spoke on Monday.', true],
    ['Hafez al-Assad ruled Syria. Mr. Assad died in 2000.', false],
    ['Rifaat Assad spoke.', false],
  ])('person:"Bashar al-Assad" on %j -> %s', (body, expected) => {
    expect(matchesBody('person:"Bashar al-Assad"', body)).toBe(expected);
  });

  it('a headline in capitals without the particle, when the story names him', () => {
    const story = aStory({ headline: 'ASSAD VOWS TO RETAKE IDLIB', body: 'Bashar Assad spoke in Damascus.' });
    expect(matchOne('headline:person:"Bashar al-Assad"', story)).toBeDefined();
  });
});

describe('person names: hyphenated and compound', () => {
  it.each([
    ['person:"Robin Leigh-Pemberton"', 'Bank of England Governor Robin Leigh-Pemberton said so.', true],
    ['person:"Robin Leigh-Pemberton"', 'Mr. Leigh-Pemberton said so.', true],
    ['person:"Robin Leigh-Pemberton"', 'Mr. Leigh Pemberton said so.', true],
    ['person:"Robin Leigh-Pemberton"', 'Mr. Pemberton said so.', false],
    ['person:"Alexandria Ocasio-Cortez"', 'Rep. Ocasio-Cortez voted no.', true],
    ['person:"Alexandria Ocasio-Cortez"', 'Rep. Cortez voted no.', false],
    ['person:"Miguel Díaz-Canel"', 'President Diaz Canel met envoys.', true],
    ['person:"Miguel Díaz-Canel"', 'President Díaz-Canel met envoys.', true],
    ['person:"Miguel Díaz-Canel"', 'President Diaz met envoys.', false],
    ['person:"Jean-Claude Juncker"', 'Jean-Claude Juncker arrived.', true],
    ['person:"Jean-Claude Juncker"', 'Jean Claude Juncker arrived.', true],
    ['person:"Jean-Claude Juncker"', 'Jean-Pierre Juncker arrived.', false],
    ['person:"Kim Jong-un"', 'North Korean leader Kim Jong Un spoke.', true],
    ['person:"Kim Jong-un"', 'North Korean leader Kim Jong-un spoke.', true],
    ['person:"Kim Jong-un"', 'His sister Kim Yo Jong spoke.', false],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });
});

describe('person names: several given names and double surnames', () => {
  it.each([
    ['person:"Andrés Manuel López Obrador"', 'President López Obrador spoke.', true],
    ['person:"Andrés Manuel López Obrador"', 'President Obrador spoke.', false],
    ['person:"Recep Tayyip Erdoğan"', 'President Erdogan spoke.', true],
    ['person:"Recep Tayyip Erdoğan"', 'Emine Erdogan spoke.', false],
    ['person:"Ruth Bader Ginsburg"', 'Justice Ginsburg dissented.', true],
    ['person:"Ruth Bader Ginsburg"', 'Justice Bader dissented.', false],
    ['person:"Luiz Inácio Lula da Silva"', 'President Lula spoke.', true],
    ['person:"Luiz Inácio Lula da Silva"', 'Marina Silva spoke.', false],
    ['person:"Lula da Silva, Luiz Inácio"', 'President Lula spoke.', true],
    ['person:"Lula da Silva, Luiz Inácio"', 'President Silva spoke.', false],
    ['person:"Luiz Inácio Lula da Silva | Lula"', 'Lula spoke to reporters.', true],
    ['person:"Luiz Inácio Lula da Silva"', 'Lula spoke to reporters.', false],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });

  it('a double surname in a headline in capitals', () => {
    const story = aStory({
      headline: 'LOPEZ OBRADOR SAYS HE WILL NOT RUN',
      body: 'Mexican President Andrés Manuel López Obrador said so.',
    });
    expect(hitTexts('headline:person:"Andrés Manuel López Obrador"', story)).toEqual(['LOPEZ OBRADOR']);
  });
});

describe('person names: surname first', () => {
  it.each([
    ['person:"Xi Jinping"', 'Chinese President Xi Jinping spoke. President Xi left.', true],
    ['person:"Xi Jinping"', 'President Xi spoke.', true],
    ['person:"Xi Jinping"', 'Xi Zhongxun spoke. Mr. Xi left.', false],
    ['person:"Shinzo Abe"', 'Former prime minister Abe Shinzo spoke.', true],
    ['person:"Shinzo Abe"', 'Prime Minister Abe spoke.', true],
    ['person:"Shinzo Abe"', 'Abe Lincoln spoke.', false],
    ['person:"Moon Jae-in"', 'President Moon spoke.', true],
    ['person:"Moon Jae-in"', 'Keith Moon played drums.', false],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });

  it('a surname in capitals in the headline when the story identifies him', () => {
    const named = aStory({ headline: 'XI WARNS ON TAIWAN', body: 'President Xi Jinping spoke.' });
    expect(matchOne('headline:person:"Xi Jinping"', named)).toBeDefined();
    const unnamed = aStory({ headline: 'XI WARNS ON TAIWAN', body: 'Nothing else.' });
    expect(matchOne('headline:person:"Xi Jinping"', unnamed)).toBeUndefined();
  });
});

describe('person names: mononyms', () => {
  it.each([
    ['person:Suharto', 'Suharto said the economy would grow.', true],
    ['person:"Pelé"', 'Pele scored twice.', true],
    ['person:Suharto', 'The Suharto Foundation gave money.', false],
    ['person:"Pelé"', 'Pelerin scored twice.', false],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });
});

describe('person names: a title with the given name', () => {
  it.each([
    [
      'person:"Mohammed bin Salman"',
      'Crown Prince Mohammed bin Salman met envoys. Prince Mohammed left.',
      true,
    ],
    ['person:"Elton John"', 'Elton John sang. Sir Elton bowed.', true],
    ['person:"Judi Dench"', 'Judi Dench won. Dame Judi thanked the crowd.', true],
    ['person:"Mohammed bin Salman"', 'Prince Mohammed spoke.', false],
    ['person:"Mohammed bin Salman"', 'Mohammed bin Salman spoke. Prince Mohammed bin Nayef left.', true],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });

  it('does not take another prince of the same given name', () => {
    const story = aStory({
      headline: '',
      body: 'Mohammed bin Salman spoke. Prince Mohammed bin Nayef left.',
    });
    expect(hitTexts('person:"Mohammed bin Salman"', story)).toEqual(['Mohammed bin Salman']);
  });

  it('a title with the given name counts when the metadata names the person', () => {
    const story = aStory({ headline: '', body: 'Prince Mohammed spoke.', people: ['Mohammed bin Salman'] });
    expect(matchOne('person:"Mohammed bin Salman"', story)).toBeDefined();
  });
});

describe('person names: honorifics carry gender', () => {
  it.each([
    ['person:"Bill Clinton"', 'Bill Clinton spoke. Mrs. Clinton left.', ['Bill Clinton']],
    ['person:"Bill Clinton"', 'Mrs. Clinton spoke.', []],
    ['person:"Bill Clinton"', 'Mr. Clinton spoke.', ['Mr. Clinton']],
    ['person:"Melania Trump"', 'Mr. Trump spoke.', []],
    ['person:"Melania Trump"', 'Mrs. Trump spoke.', ['Mrs. Trump']],
    ['person:"Bill Clinton"', 'Hillary Clinton spoke. Mr. Clinton left.', ['Mr. Clinton']],
  ])('%s on %j -> %j', (query, body, expected) => {
    expect(hitTexts(query, aStory({ headline: '', body }))).toEqual(expected);
  });
});

describe('person names: places and things named after people', () => {
  it.each([
    ['person:"Martin Luther King"', 'A march on Martin Luther King Jr. Drive began.', false],
    ['person:"Martin Luther King"', 'Martin Luther King Jr. spoke in 1963.', true],
    ['person:"John Kennedy"', 'Flights left Kennedy Airport late.', false],
    ['person:"John Kennedy"', 'President Kennedy flew to Dallas.', true],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matchesBody(query, body)).toBe(expected);
  });
});

describe('person names: a surname alone in a headline in capitals', () => {
  it.each([
    ['President Reagan vetoed the bill on Friday.', true],
    ['Ronald Reagan vetoed the bill on Friday.', true],
    ['The bill was vetoed on Friday.', false],
    ['Michael Reagan, his son, spoke.', false],
  ])('REAGAN VETOES HIGHWAY BILL over %j -> %s', (body, expected) => {
    const story = aStory({ headline: 'REAGAN VETOES HIGHWAY BILL', body });
    expect(matchOne('headline:person:"Ronald Reagan"', story) !== undefined).toBe(expected);
  });
});

describe("person names: the story's people metadata", () => {
  it.each([
    [['Bashar al-Assad'], true],
    [['Assad, Bashar al-'], true],
    [['Hafez al-Assad'], false],
    [[], false],
  ])('Assad said... with people %j -> %s', (people, expected) => {
    const story = aStory({ headline: '', body: 'Assad said the talks would go on.', people });
    expect(matchOne('person:"Bashar al-Assad"', story) !== undefined).toBe(expected);
  });
});
