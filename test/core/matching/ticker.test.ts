import { describe, expect, it } from 'vitest';
import { aStory } from '../../support/stories.ts';
import { hitTexts, matchesBody, matchOne } from './helpers.ts';

describe('ticker: matches tickers as wires write them', () => {
  it.each([
    ['exchange and colon', 'Baker Hughes Co. (NYSE: BKR) rose.', 'BKR'],
    ['exchange without a space', 'Baker Hughes (NYSE:BKR) rose.', 'BKR'],
    ['exchange in mixed case', 'Apple Inc. (Nasdaq: AAPL) and Baker Hughes (Nasdaq: BKR) rose.', 'BKR'],
    ['a list after one exchange', 'Oil services (NYSE: SLB, BKR, HAL) rose.', 'BKR'],
    ['a Reuters instrument code', 'Baker Hughes (BKR.N) rose.', 'BKR.N'],
    ['a Reuters code in angle brackets', 'Baker Hughes <BKR.N> rose.', 'BKR.N'],
    ['a Dow Jones ticker', 'BNP Paribas SA (BKR.FR) rose.', 'BKR.FR'],
    ['a Dow Jones ticker list', 'Banks (BNP.FR, BKR.FR) rose.', 'BKR.FR'],
    ['a bare symbol after the company name', 'Rio Tinto PLC (BKR) fell.', 'BKR'],
    ['a bare list after the company name', 'Rio Tinto PLC (RIO, BKR) fell.', 'BKR'],
  ])('%s', (_form, body, hit) => {
    expect(hitTexts('ticker:BKR', aStory({ headline: '', body }))).toEqual([hit]);
  });

  it('case-sensitively: ticker:ON is not the word "on", nor "On" in brackets', () => {
    expect(matchesBody('ticker:ON', 'ON Semiconductor Corp. (Nasdaq: ON) rose.')).toBe(true);
    expect(matchesBody('ticker:ON', 'Shares rose on Monday (on the news).')).toBe(false);
    expect(matchesBody('ticker:ON', 'The chip maker (On) rose.')).toBe(false);
    expect(matchesBody('ticker:BKR', 'Baker Hughes (NYSE: bkr) rose.')).toBe(false);
  });

  it('not a symbol in text or brackets that hold anything else', () => {
    expect(matchesBody('ticker:BKR', 'BKR shares rose on Monday.')).toBe(false);
    expect(matchesBody('ticker:BKR', 'the group (BKR) rose.')).toBe(false);
    expect(matchesBody('ticker:BKR', 'Baker Hughes (BKR said) rose.')).toBe(false);
    expect(matchesBody('ticker:BKR', 'Baker Hughes (NYSE: BKRX) rose.')).toBe(false);
  });

  it('with an exchange in the query: not a reference on another exchange; one that names none counts', () => {
    expect(matchesBody('ticker:NYSE:BKR', 'Baker Hughes (NYSE: BKR) rose.')).toBe(true);
    expect(matchesBody('ticker:NYSE:BKR', 'Baker Hughes (BKR.N) rose.')).toBe(true);
    expect(matchesBody('ticker:NASDAQ:BKR', 'Baker Hughes (BKR.N) rose.')).toBe(false);
    expect(matchesBody('ticker:NASDAQ:BKR', 'Baker Hughes (NYSE: BKR) rose.')).toBe(false);
    expect(matchesBody('ticker:NASDAQ:BKR', 'Baker Hughes Co. (BKR) rose.')).toBe(true);
  });

  it('in the ticker metadata, explained as a metadata hit', () => {
    const story = aStory({ tickers: ['NYSE:BKR'] });
    expect(matchOne('ticker:BKR', story)?.hits.map((hit) => [hit.field, hit.text])).toEqual([
      ['metadata', 'ticker: NYSE:BKR'],
    ]);
    expect(matchOne('ticker:NYSE:BKR', story)).toBeDefined();
    expect(matchOne('ticker:NASDAQ:BKR', story)).toBeUndefined();
    expect(matchOne('ticker:BK', story)).toBeUndefined();
  });
});
