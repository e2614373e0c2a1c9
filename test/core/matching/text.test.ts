import { describe, expect, it } from 'vitest';
import { fold } from '../../../functions/core/matching/text/fold.ts';
import { stem } from '../../../functions/core/matching/text/stem.ts';
import {
  BREAK_BEFORE,
  CAPITALISED,
  DOTTED,
  INITIAL,
  POSSESSIVE,
  tokenize,
} from '../../../functions/core/matching/text/tokenize.ts';

function forms(text: string): string[] {
  return tokenize(text).map((token) => token.form);
}

describe('fold', () => {
  it.each([
    ['Peña', 'pena'],
    ['ÉTAT', 'etat'],
    ['Straße', 'strasse'],
    ['Øresund', 'oresund'],
    ['Łódź', 'lodz'],
    ['ﬁnance', 'finance'],
    ['deportation', 'deportation'],
  ])('%s -> %s', (word, expected) => expect(fold(word)).toBe(expected));
});

describe('stem', () => {
  it.each([
    ['deportations', 'deportation'],
    ['immigrants', 'immigrant'],
    ['policies', 'policy'],
    ['companies', 'company'],
    ['businesses', 'business'],
    ['taxes', 'tax'],
    ['churches', 'church'],
    ['tranches', 'tranche'],
    ['embargoes', 'embargo'],
    ['cases', 'case'],
    ['movies', 'movie'],
    ['status', 'status'],
    ['crisis', 'crisis'],
    ['congress', 'congress'],
    ['news', 'news'],
    ['series', 'series'],
    ['gas', 'gas'],
    ['deported', 'deported'],
    ['operating', 'operating'],
    ['1980s', '1980s'],
  ])('%s -> %s', (word, expected) => expect(stem(word)).toBe(expected));

  it('gives singular and plural the same stem, and leaves prefixes alone', () => {
    for (const [singular, plural] of [
      ['deportation', 'deportations'],
      ['policy', 'policies'],
      ['tax', 'taxes'],
      ['house', 'houses'],
      ['idea', 'ideas'],
    ] as const) {
      expect(stem(plural)).toBe(stem(singular));
    }
    expect(stem('immigra')).not.toBe(stem('immigrants'));
  });
});

describe('tokenize', () => {
  it('gives exact offsets, folded forms and stems', () => {
    const text = 'Peña Nieto’s mass deportations';
    const tokens = tokenize(text);
    expect(tokens.map((token) => text.slice(token.start, token.end))).toEqual([
      'Peña',
      'Nieto',
      'mass',
      'deportations',
    ]);
    expect(tokens.map((token) => token.form)).toEqual(['pena', 'nieto', 'mass', 'deportations']);
    expect(tokens[3]?.stem).toBe('deportation');
    expect((tokens[1]?.flags ?? 0) & POSSESSIVE).toBeTruthy();
    expect((tokens[0]?.flags ?? 0) & CAPITALISED).toBeTruthy();
  });

  it('joins inner apostrophes, splits hyphens and numbers', () => {
    expect(forms("won't O'Brien non-Mexicans 5.93 1,750")).toEqual([
      'wont',
      'obrien',
      'non',
      'mexicans',
      '5',
      '93',
      '1',
      '750',
    ]);
  });

  it('keeps dotted acronyms whole but not initials', () => {
    const text = 'the U.S. and U.S and John F. Kelly';
    const tokens = tokenize(text);
    expect(tokens.map((token) => text.slice(token.start, token.end))).toEqual([
      'the',
      'U.S.',
      'and',
      'U.S',
      'and',
      'John',
      'F',
      'Kelly',
    ]);
    expect((tokens[1]?.flags ?? 0) & DOTTED).toBeTruthy();
    expect(tokens[1]?.form).toBe('us');
    expect((tokens[6]?.flags ?? 0) & INITIAL).toBeTruthy();
  });

  it('marks sentence and paragraph breaks, not abbreviation periods', () => {
    const text =
      'Mr. Kelly met U.S. officials. He said "no." Then?\n\nNew paragraph with Jan. 5 and John F. Kelly.';
    const breaks = tokenize(text)
      .filter((token) => token.flags & BREAK_BEFORE)
      .map((token) => text.slice(token.start, token.end));
    expect(breaks).toEqual(['Mr', 'He', 'Then', 'New']);
  });

  it('is linear on long and hostile text', () => {
    const text = `${'a.'.repeat(100_000)} ${"'".repeat(100_000)} ${'x'.repeat(100_000)}`;
    // Linear by construction (hand-written scans, no backtracking): a quadratic or backtracking version would not
    // finish within the test's timeout on these sizes. Speed is measured in `npm run bench`, not asserted here.
    const tokens = tokenize(text);
    expect(tokens.length).toBeGreaterThan(1);
  });
});

describe('stem: irregular plurals and -es after s and z', () => {
  it.each([
    ['women', 'woman'],
    ['children', 'child'],
    ['men', 'man'],
    ['chairmen', 'chairman'],
    ['crises', 'crisis'],
    ['analyses', 'analysis'],
    ['criteria', 'criterion'],
    ['phenomena', 'phenomenon'],
    ['mice', 'mouse'],
    ['feet', 'foot'],
    ['teeth', 'tooth'],
    ['buses', 'bus'],
    ['viruses', 'virus'],
    ['taxes', 'tax'],
    ['buzzes', 'buzz'],
  ])('%s and %s share a stem', (plural, singular) => {
    expect(stem(plural)).toBe(stem(singular));
  });

  it.each([
    ['university', 'universe'],
    ['news', 'new'],
    ['policy', 'police'],
    ['causes', 'caus'],
    ['specimen', 'speciman'],
    ['houses', 'hous'],
  ])('%s and %s stay apart', (a, b) => {
    expect(stem(a)).not.toBe(stem(b));
  });
});
