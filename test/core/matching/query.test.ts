import { describe, expect, it } from 'vitest';
import {
  parseQuery,
  QUERY_LIMITS,
  QueryError,
  type QueryNode,
  validateQuery,
} from '../../../functions/core/matching/index.ts';

/** A compact rendering of the AST: `and(term:a, not(term:b))`. */
function show(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return node.word.acronym ? `acr:${node.word.acronym}` : `term:${node.word.stem}`;
    case 'phrase':
      return `phrase:${node.words.map((word) => word.form).join('_')}`;
    case 'person':
      return `person:${node.names.map((name) => `${name.given.join('_')}/${name.surname.join('_')}`).join('|')}`;
    case 'and':
    case 'or':
      return `${node.kind}(${node.children.map(show).join(', ')})`;
    case 'not':
      return `not(${show(node.child)})`;
    case 'near':
      return `near${node.distance}(${show(node.left)}, ${show(node.right)})`;
    case 'org':
      return `org:${node.words.join('_')}`;
    case 'ticker':
      return `ticker:${node.exchange ?? ''}/${node.symbol}`;
    case 'meta':
      return `meta:${node.field}/${node.words.join('_')}${node.min === undefined ? '' : `/${node.min}-${node.max}`}`;
  }
}

function errorOf(query: string): QueryError {
  const error = validateQuery(query);
  if (error === undefined) throw new Error(`expected ${query} to be rejected`);
  return error;
}

describe('parseQuery: structure', () => {
  it.each([
    ['deportation', 'term:deportation'],
    ['Deportations', 'term:deportation'],
    ['"mass deportations"', 'phrase:mass_deportations'],
    ['a b', 'and(term:a, term:b)'],
    ['a AND b', 'and(term:a, term:b)'],
    ['a OR b c', 'or(term:a, and(term:b, term:c))'],
    ['a b OR c', 'or(and(term:a, term:b), term:c)'],
    ['NOT a OR b', 'or(not(term:a), term:b)'],
    ['NOT a b', 'and(not(term:a), term:b)'],
    ['military -mexico', 'and(term:military, not(term:mexico))'],
    ['-(a OR b) c', 'and(not(or(term:a, term:b)), term:c)'],
    ['a AND (b OR c)', 'and(term:a, or(term:b, term:c))'],
    ['immigration NEAR/2 operations', 'near2(term:immigration, term:operation)'],
    ['"mass deportations" NEAR/5 person:Kelly', 'near5(phrase:mass_deportations, person:/kelly)'],
    ['person:"Enrique Peña Nieto"', 'person:enrique/pena_nieto'],
    ['person:"John F. Kelly"', 'person:john/kelly'],
    ['person:Tillerson', 'person:/tillerson'],
    ['US', 'acr:US'],
    ['org:"Baker Hughes Co."', 'org:baker_hughes'],
    ['company:"The Walt Disney Company"', 'org:walt_disney'],
    ['org:Siemens', 'org:siemens'],
    ['ticker:BKR', 'ticker:/BKR'],
    ['ticker:NYSE:BKR', 'ticker:NYSE/BKR'],
    ['ticker:nyse:BKR', 'ticker:NYSE/BKR'],
    ['subject:medtop:20000763', 'meta:subject/medtop_20000763'],
    ['subject:"illegal immigration"', 'meta:subject/illegal_immigration'],
    ['place:Mexico country:Mexico', 'and(meta:place/mexico, meta:place/mexico)'],
    ['lang:es-MX', 'meta:lang/es-mx'],
    ['source:"Dow Jones" provider:AP', 'and(meta:source/dow_jone, meta:source/ap)'],
    ['urgency:<=2', 'meta:urgency//1-2'],
    ['urgency:>7', 'meta:urgency//8-9'],
    ['urgency:3', 'meta:urgency//3-3'],
    ['status:Correction', 'meta:status/correction'],
    ['person:"Peña Nieto" AND lang:es', 'and(person:pena/nieto, meta:lang/es)'],
    ['headline:(org:Siemens OR ticker:SIE)', 'or(org:siemens, ticker:/SIE)'],
    ['org:"Baker Hughes" NEAR/3 ticker:BKR', 'near3(org:baker_hughes, ticker:/BKR)'],
    ['U.S.', 'acr:US'],
    ['us', 'term:us'],
    ['non-Mexicans', 'phrase:non_mexicans'],
    ['and', 'term:and'],
    ['near', 'term:near'],
  ])('%s -> %s', (query, expected) => {
    expect(show(parseQuery(query))).toBe(expected);
  });

  it('applies a field scope to a term, a phrase and a group, with inner scopes winning', () => {
    const node = parseQuery('headline:(a OR body:b) "c d" byline:e');
    expect(node.kind).toBe('and');
    if (node.kind !== 'and') return;
    const [group, phrase, term] = node.children;
    expect(group?.kind).toBe('or');
    if (group?.kind !== 'or') return;
    const [a, b] = group.children;
    expect(a?.kind === 'term' && a.fields).toBe(1); // headline
    expect(b?.kind === 'term' && b.fields).toBe(4); // body
    expect(phrase?.kind === 'phrase' && phrase.fields).toBe(7); // headline, summary, body
    expect(term?.kind === 'term' && term.fields).toBe(8); // byline
  });

  it('keeps the text of each leaf as written, for hits', () => {
    const node = parseQuery('person:"Peña Nieto" OR "Mass Deportations"');
    expect(
      node.kind === 'or' &&
        node.children.map((child) => (child.kind === 'person' || child.kind === 'phrase' ? child.text : '')),
    ).toEqual(['person:"Peña Nieto"', '"Mass Deportations"']);
  });
});

describe('parseQuery: errors name the problem and its position', () => {
  it.each([
    ['immigration "mass deport', 12, 'Unclosed quote at position 12: add a closing "'],
    [
      'hedline:deportation',
      0,
      "Unknown field 'hedline' at 0: use headline, body, byline, dateline, slugline or summary",
    ],
    ['a NEAR b', 2, 'NEAR at position 2 needs a number, e.g. NEAR/5'],
    ['a NEAR/x b', 2, 'NEAR at position 2 needs a number'],
    ['a NEAR/0 b', 2, 'out of range: use a distance from 1 to 100'],
    ['a NEAR/101 b', 2, 'out of range'],
    ['(a OR b', 0, 'Unclosed parenthesis at 0: add a closing )'],
    ['a OR b)', 6, "Unexpected ')' at 6"],
    ['a AND', 2, 'AND at 2 needs a term after it'],
    ['OR a', 0, 'OR at 0 needs a term before it'],
    ['a OR OR b', 2, 'OR at 2 needs a term after it'],
    ['NOT', 0, 'NOT at 0 needs a term after it'],
    ['a ()', 2, 'Empty parentheses at 2'],
    ['a ""', 2, 'Empty phrase at 2'],
    ['a & b', 2, "Term '&' at 2 has no letters or digits"],
    ['headline: a', 0, "Field 'headline:' at 0 needs a term right after the colon"],
    ['person:"John F."', 0, 'person: at 0 needs a name with a surname'],
    ['person:""', 0, 'person: at 0 needs a name'],
    ['(a OR b) NEAR/3 c', 0, 'NEAR joins two terms, phrases or people'],
    ['a NEAR/3 b NEAR/3 c', 11, 'NEAR at 11 cannot be chained'],
    ['a NEAR/3 NOT b', 2, 'NEAR at 2 needs a term'],
    ['   ', 0, 'Query is empty'],
    ['a org: b', 2, 'Field \'org:\' at 2 needs a term right after the colon, e.g. org:"Baker Hughes"'],
    ['org:"  "', 0, 'org: at 0 needs a name'],
    ['ticker:bkr', 0, 'ticker: at 0 needs a symbol in capitals'],
    ['ticker:NYSE:', 0, 'ticker: at 0 needs a symbol in capitals'],
    ['ticker:B-K', 0, 'tickers are case-sensitive'],
    ['urgency:0', 0, 'urgency: at 0 needs a level from 1 (flash) to 9'],
    ['urgency:<1', 0, 'urgency: at 0 needs a level'],
    ['urgency:=>2', 0, 'urgency: at 0 needs a level'],
    ['urgency:high', 0, 'e.g. urgency:<=2'],
    ['status:urgent', 0, 'status: at 0 needs one of usable, update, correction, withheld, killed'],
    ['lang:e', 0, 'lang: at 0 needs a language tag'],
    ['source:"--"', 0, 'source: at 0 needs words'],
    ['lang:es NEAR/3 b', 0, 'lang:es at 0 is a metadata filter, not words'],
    ['a NEAR/3 status:killed', 9, 'status:killed at 9 is a metadata filter'],
  ])('%j', (query, position, message) => {
    const error = errorOf(query);
    expect(error).toBeInstanceOf(QueryError);
    expect(error.message).toContain(message);
    expect(error.position).toBe(position);
  });

  it('parseQuery throws the same QueryError', () => {
    expect(() => parseQuery('title:x')).toThrow(QueryError);
    expect(validateQuery('deportation OR "mass deportations"')).toBeUndefined();
  });
});

describe('parseQuery: bounds', () => {
  it('rejects a query over the length limit at the limit', () => {
    const error = errorOf('a '.repeat(QUERY_LIMITS.maxLength));
    expect(error.message).toContain(`max ${QUERY_LIMITS.maxLength}`);
    expect(error.position).toBe(QUERY_LIMITS.maxLength);
  });

  it('accepts the maximum number of terms and rejects one more, at its position', () => {
    const terms = Array.from({ length: QUERY_LIMITS.maxTerms }, (_, i) => `w${i}`);
    expect(validateQuery(terms.join(' OR '))).toBeUndefined();
    const query = [...terms, 'extra'].join(' OR ');
    const error = errorOf(query);
    expect(error.message).toContain('Too many terms');
    expect(error.position).toBe(query.indexOf('extra'));
  });

  it('bounds nesting depth for parentheses and NOT chains', () => {
    const ok = `${'('.repeat(QUERY_LIMITS.maxDepth)}a${')'.repeat(QUERY_LIMITS.maxDepth)}`;
    expect(validateQuery(ok)).toBeUndefined();
    const deep = `${'('.repeat(QUERY_LIMITS.maxDepth + 1)}a${')'.repeat(QUERY_LIMITS.maxDepth + 1)}`;
    expect(errorOf(deep).message).toContain('nests too deeply');
    expect(errorOf(deep).position).toBe(QUERY_LIMITS.maxDepth);
    expect(errorOf(`${'NOT '.repeat(500)}a`).message).toContain('nests too deeply');
  });

  it('bounds phrase length', () => {
    const words = Array.from({ length: QUERY_LIMITS.maxPhraseWords + 1 }, () => 'w').join(' ');
    expect(errorOf(`"${words}"`).message).toContain('too long');
  });

  // Linear time is the parser's design (no regular expressions over the query); a parser that backtracked on
  // these would not finish within the test's timeout. Speed itself is measured in `npm run bench`, not here.
  it('never throws anything but QueryError on hostile input', () => {
    const hostile = [
      '"'.repeat(3999),
      '('.repeat(3999),
      ')'.repeat(3999),
      '-'.repeat(3999),
      'NEAR/'.repeat(700),
      'a:'.repeat(1999),
      `${'x '.repeat(1000)}`,
    ];
    for (const query of hostile) {
      const result = validateQuery(query);
      expect(result === undefined || result instanceof QueryError).toBe(true);
    }
  });
});
