import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeafCache, LeafInterner } from '../../../functions/core/matching/leaf-interner.ts';
import { analyzeWords } from '../../../functions/core/matching/query/analyze.ts';
import {
  DEFAULT_FIELDS,
  isLeaf,
  type LeafNode,
  type QueryNode,
} from '../../../functions/core/matching/query/ast.ts';
import { parseGeneral, parseQuery } from '../../../functions/core/matching/query/parser.ts';
import { analyzePersonName } from '../../../functions/core/matching/query/person-name.ts';
import { parseCommonShape } from '../../../functions/core/matching/query/shortcut.ts';
import { tokenize } from '../../../functions/core/matching/text/tokenize.ts';

/** What parsing gives: the tree, or the error's message and position. */
function outcome(parse: () => unknown): unknown {
  try {
    return { tree: parse() };
  } catch (error) {
    const { message, position } = error as { message: string; position?: number };
    return { message, position };
  }
}

function leavesOf(node: QueryNode): LeafNode[] {
  if (isLeaf(node)) return [node];
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.flatMap(leavesOf);
    case 'not':
      return leavesOf(node.child);
    case 'near':
      return [node.left, node.right];
  }
}

const WORDS = ['oil', 'deportations', 'kopitenana', 'a', 'and', 'or', 'news', 'bank'];
const NAMES = [
  'Peter Zodabimo',
  'Xi Jinping',
  'Charles de Gaulle',
  'John F Kelly',
  'Kelly',
  'A',
  'de',
  'Kim Jong Un',
];

/** Queries in the shortcut's shapes, and near misses of them that the general parser must read. */
const atom = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.constantFrom(...WORDS).map((word) => `headline:${word}`),
  fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 3 }).map((words) => `"${words.join(' ')}"`),
  fc.constantFrom(...NAMES).map((name) => `person:"${name}"`),
  fc.constantFrom('Kelly', 'Suharto', 'kelly', 'O', 'Zodabimo').map((name) => `person:${name}`),
  fc.constantFrom('US', 'Oil', 'covid19', 'non-mexicans', 'org:"Baker Hughes"', 'lang:es', 'body:', '(', ')'),
);
const joiner = fc.constantFrom(
  ' ',
  ' AND ',
  ' OR ',
  ' NOT ',
  ' -',
  ' NEAR/5 ',
  ' NEAR/0 ',
  ' NEAR/101 ',
  '  ',
  '\t',
);
const shaped = fc
  .tuple(atom, fc.array(fc.tuple(joiner, atom), { maxLength: 4 }), fc.boolean(), fc.boolean())
  .map(([first, rest, group, negate]) => {
    const body = first + rest.map(([join, next]) => join + next).join('');
    const grouped = group ? `(${body}) AND oil` : body;
    return negate ? `-${grouped}` : grouped;
  });

describe('parseCommonShape', () => {
  it.each([
    'kopitenana',
    '"vupozedile dollar"',
    'person:"Brian Samupipe"',
    'sekugufebi AND trade',
    '(oil OR company) AND nenavesu',
    'headline:polibikobo',
    'kopitenana NEAR/5 oil',
    'kuvokosetu -stake',
    'a b OR NOT c',
    'person:Kelly',
  ])('reads %s as the general parser does', (query) => {
    expect(parseCommonShape(query, undefined)).toEqual(parseGeneral(query));
  });

  it.each([
    'US',
    'oil  bank',
    'org:"Baker Hughes"',
    'oil AND lang:en',
    '(a b) NEAR/5 c',
    'a NEAR/5 b NEAR/5 c',
    'non-mexicans',
    'person:"Peña Nieto"x',
    '"unclosed',
  ])('leaves %s to the general parser', (query) => {
    expect(parseCommonShape(query, undefined)).toBeUndefined();
  });

  it('gives what the general parser gives, tree or error, for queries of its shapes and near misses', () => {
    fc.assert(
      fc.property(shaped, (query) => {
        expect(outcome(() => parseQuery(query))).toEqual(outcome(() => parseGeneral(query)));
      }),
      { numRuns: 2000 },
    );
  });

  it('shares leaves through an interner as the general parser does', () => {
    fc.assert(
      fc.property(fc.array(shaped, { minLength: 1, maxLength: 8 }), (queries) => {
        const interner = new LeafInterner();
        for (const query of queries) {
          const viaShortcut = outcome(() => parseQuery(query, interner));
          const viaParser = outcome(() => parseGeneral(query, interner));
          expect(viaShortcut).toEqual(viaParser);
          if ('tree' in (viaShortcut as object)) {
            const shared = leavesOf((viaParser as { tree: QueryNode }).tree);
            leavesOf((viaShortcut as { tree: QueryNode }).tree).forEach((leaf, i) => {
              expect(leaf).toBe(shared[i]);
            });
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('touches no leaf of a query it gives up on half-way', () => {
    const cache = new LeafCache(4);
    expect(parseCommonShape('kopitenana AND lang:en', cache)).toBeUndefined();
    expect(cache.known(false, DEFAULT_FIELDS, 'kopitenana')).toBeUndefined();
  });
});

describe('the fast paths for ASCII words', () => {
  const lowerText = fc.stringMatching(/^[a-z ]{0,24}$/);

  it('analyzeWords reads lower-case words as the tokenizer does', () => {
    fc.assert(
      fc.property(lowerText, (text) => {
        const expected = tokenize(text).map((token) => ({ form: token.form, stem: token.stem }));
        expect(analyzeWords(text)).toEqual(expected);
        // A tab sends the same words through the tokenizer path.
        expect(analyzeWords(`${text}\t`)).toEqual(expected);
      }),
    );
  });

  it('analyzePersonName reads ASCII names as through the tokenizer', () => {
    const word = fc.constantFrom(
      'Peter',
      'zodabimo',
      'de',
      'Van',
      'al',
      'F',
      'x',
      'Xi',
      'Jinping',
      'KIM',
      'Ana',
      'Maria',
      'Lopez',
    );
    const name = fc.array(word, { minLength: 0, maxLength: 5 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(name, fc.boolean(), (text, comma) => {
        const written = comma ? text.replace(' ', ', ') : text;
        // A tab is not an ASCII letter or space: it sends the name through the tokenizer.
        expect(analyzePersonName(written)).toEqual(analyzePersonName(`${written}\t`));
      }),
    );
  });
});
