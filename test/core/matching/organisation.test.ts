import { describe, expect, it } from 'vitest';
import { aStory } from '../../support/stories.ts';
import { hitTexts, matchesBody, matchOne } from './helpers.ts';

describe('org: and company: match the organisation named in the text', () => {
  it.each([
    ['Inc.', 'Baker Hughes Inc. said on Monday it would cut jobs.'],
    ['Corp.', 'Baker Hughes Corp. said on Monday it would cut jobs.'],
    ['Co.', 'Baker Hughes Co. said on Monday it would cut jobs.'],
    ['Ltd.', 'Baker Hughes Ltd. said on Monday it would cut jobs.'],
    ['LLC', 'Baker Hughes LLC said on Monday it would cut jobs.'],
    ['plc', 'Baker Hughes plc said on Monday it would cut jobs.'],
    ['SA', 'Baker Hughes SA said on Monday it would cut jobs.'],
    ['S.A.', 'Baker Hughes S.A. said on Monday it would cut jobs.'],
    ['AG', 'Baker Hughes AG said on Monday it would cut jobs.'],
    ['NV', 'Baker Hughes NV said on Monday it would cut jobs.'],
    ['N.V.', 'Baker Hughes N.V. said on Monday it would cut jobs.'],
    ['GmbH', 'Baker Hughes GmbH said on Monday it would cut jobs.'],
    ['SpA', 'Baker Hughes SpA said on Monday it would cut jobs.'],
    ['AB', 'Baker Hughes AB said on Monday it would cut jobs.'],
    ['ASA', 'Baker Hughes ASA said on Monday it would cut jobs.'],
    ['Oyj', 'Baker Hughes Oyj said on Monday it would cut jobs.'],
    ['KK', 'Baker Hughes KK said on Monday it would cut jobs.'],
    ['comma and Inc.', 'Baker Hughes, Inc. said on Monday it would cut jobs.'],
    ['S.A.B. de C.V.', 'Baker Hughes S.A.B. de C.V. said on Monday it would cut jobs.'],
  ])('with the legal suffix %s, taken into the hit', (suffix, body) => {
    const hits = hitTexts('org:"Baker Hughes"', aStory({ headline: '', body }));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(/^Baker Hughes,? \S/);
    // A hit ends at the word: the period of `Inc.` is not part of it, the inner ones of `S.A.` are.
    const written = suffix.replace('comma and ', '');
    expect(hits[0]?.replace('Baker Hughes', '').replace(',', '').trim()).toBe(
      written.endsWith('.') && !written.slice(0, -1).includes('.') ? written.slice(0, -1) : written,
    );
  });

  it('with a legal suffix in the query, which it leaves out of the comparison', () => {
    expect(matchesBody('org:"Baker Hughes Co."', 'Shares of Baker Hughes rose.')).toBe(true);
    expect(matchesBody('company:"Siemens AG"', 'Siemens said orders rose.')).toBe(true);
    expect(matchesBody('org:"The Walt Disney Company"', 'Walt Disney Co. said profit fell.')).toBe(true);
  });

  it('in any case or accents, possessive, across a line break, and as "the X unit"', () => {
    expect(matchesBody('org:"Nestle"', 'Nestlé said sales rose.')).toBe(true);
    expect(matchesBody('org:"baker hughes"', 'Baker Hughes said sales rose.')).toBe(true);
    expect(
      hitTexts('org:"Baker Hughes"', aStory({ headline: '', body: "Baker Hughes's chief said so." })),
    ).toEqual(['Baker Hughes']);
    expect(matchesBody('org:"Baker Hughes"', 'Analysts said Baker\nHughes would win.')).toBe(true);
    expect(matchesBody('org:"Baker Hughes"', 'GE sold the Baker Hughes unit last year.')).toBe(true);
    expect(
      matchesBody('org:"Baker Hughes"', 'BAKER HUGHES CUTS JOBS', {
        body: '',
        headline: 'BAKER HUGHES CUTS JOBS',
      }),
    ).toBe(true);
  });

  it('not a person named Baker or Hughes, nor a street named like the company', () => {
    expect(matchesBody('org:"Baker Hughes"', 'Howard Baker, Hughes said, would run.')).toBe(false);
    expect(matchesBody('org:"Baker Hughes"', 'The office is on Baker Hughes Avenue in Houston.')).toBe(false);
    expect(matchesBody('org:"Baker Hughes"', 'Mr. Baker Hughes, a farmer, spoke.')).toBe(false);
    expect(matchesBody('org:Baker', 'Howard Baker said he would run.')).toBe(false);
    expect(matchesBody('org:Baker', 'Mr. Baker said he would run.')).toBe(false);
    expect(matchesBody('org:Baker', 'Shares of Baker rose after Baker Inc. said so.')).toBe(true);
    expect(matchesBody('org:"Baker Hughes"', 'a baker hughes the bread')).toBe(false);
  });

  it('its abbreviation, once the story introduces it, and later mentions of it', () => {
    const story = aStory({
      headline: 'IBM profit rises',
      body: 'International Business Machines Corp. (IBM) reported a rise in profit.\n\nIBM said cloud sales grew. The ibm logo.',
    });
    expect(hitTexts('org:"International Business Machines"', story)).toEqual([
      'IBM',
      'International Business Machines Corp',
      'IBM',
      'IBM',
    ]);
    // Connectors may be skipped: Organization of the Petroleum Exporting Countries (OPEC).
    const opec = aStory({
      headline: '',
      body: 'The Organization of the Petroleum Exporting Countries (OPEC) met. OPEC agreed.',
    });
    expect(hitTexts('org:"Organization of the Petroleum Exporting Countries"', opec)).toContain('OPEC');
  });

  it('but not capitals that are not its initials, nor an abbreviation the story never introduces', () => {
    const ticker = aStory({ headline: '', body: 'Bank of America Corp. (BAC) rose. BAC said more.' });
    expect(hitTexts('org:"Bank of America"', ticker)).toEqual(['Bank of America Corp']);
    expect(matchesBody('org:"International Business Machines"', 'IBM said cloud sales grew.')).toBe(false);
  });

  it('and in the organisation metadata of the story, suffix aside, explained as a metadata hit', () => {
    const story = aStory({ body: 'Oil services shares rose.', organisations: ['Baker Hughes Co'] });
    const match = matchOne('org:"Baker Hughes"', story);
    expect(match?.hits).toEqual([
      {
        term: 'org:"Baker Hughes"',
        field: 'metadata',
        start: 0,
        end: 'organisation: Baker Hughes Co'.length,
        text: 'organisation: Baker Hughes Co',
      },
    ]);
    expect(match?.snippet.text).toBe('Ministers meet in Lisbon');
    expect(matchOne('org:"Baker Hughes"', aStory({ organisations: ['Baker Botts LLP'] }))).toBeUndefined();
  });

  it('with field scopes and NEAR like other terms', () => {
    const story = aStory({ headline: 'Baker Hughes wins order', body: 'The order is large.' });
    expect(matchOne('headline:org:"Baker Hughes"', story)).toBeDefined();
    expect(matchOne('body:org:"Baker Hughes"', story)).toBeUndefined();
    expect(matchesBody('org:"Baker Hughes" NEAR/3 order', 'Baker Hughes Co. won an order.')).toBe(true);
    expect(
      matchesBody('org:"Baker Hughes" NEAR/1 order', 'Baker Hughes Co. said on Monday it won an order.'),
    ).toBe(false);
  });
});
