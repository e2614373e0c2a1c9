/** The subscriptions the product was specified from, and whether each must alert on the seed story. */
export const SEED_CASES: readonly (readonly [query: string, matches: boolean])[] = [
  ['deportation', true],
  ['"mass deportations"', true],
  ['person:"Peña Nieto"', true],
  ['person:"Enrique Pena Nieto"', true],
  ['person:"John Kelly"', true],
  ['tillerson AND kelly', true],
  ['immigration NEAR/2 operations', true],
  ['byline:Schwartz', true],
  ['"mass deportation"', false],
  ['person:"Megyn Kelly"', false],
  ['headline:deportation', false],
  ['military -mexico', false],
];
