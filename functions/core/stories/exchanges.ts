/** Stock exchanges as tickers name them, for ticker metadata and `ticker:EXCHANGE:SYMBOL` queries. */

/** Exchange suffixes of Reuters codes and Dow Jones tickers, and exchange names, to one exchange name. */
const EXCHANGES: Readonly<Record<string, string>> = {
  N: 'NYSE',
  NYSE: 'NYSE',
  O: 'NASDAQ',
  OQ: 'NASDAQ',
  NASDAQ: 'NASDAQ',
  A: 'AMEX',
  AMEX: 'AMEX',
  'NYSE AMERICAN': 'AMEX',
  L: 'LSE',
  LN: 'LSE',
  LSE: 'LSE',
  T: 'TSE',
  TSE: 'TSE',
  TO: 'TSX',
  TSX: 'TSX',
  DE: 'XETRA',
  XETRA: 'XETRA',
  PA: 'EURONEXT PARIS',
  FR: 'EURONEXT PARIS',
  AX: 'ASX',
  AU: 'ASX',
  ASX: 'ASX',
  HK: 'HKEX',
  HKEX: 'HKEX',
  MI: 'BORSA ITALIANA',
  MC: 'BME',
};

/** The exchange a suffix or name stands for, upper case. */
export function exchangeName(written: string): string {
  const upper = written.trim().toUpperCase();
  return EXCHANGES[upper] ?? upper;
}
