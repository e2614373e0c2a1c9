import { describe, expect, it } from 'vitest';
import { LeafCache, LeafInterner } from '../../../functions/core/matching/leaf-interner.ts';
import type { LeafNode } from '../../../functions/core/matching/query/ast.ts';
import { parseQuery } from '../../../functions/core/matching/query/parser.ts';

const leafOf = (query: string) => parseQuery(query) as LeafNode;

describe('LeafInterner', () => {
  it('gives back the first leaf with the same text and fields, whatever the query', () => {
    const interner = new LeafInterner();
    const first = interner.add(leafOf('deportation'));
    expect(interner.add(leafOf('deportation'))).toBe(first);
    expect(interner.known(false, first.fields, 'deportation')).toBe(first);
    expect(interner.known(false, leafOf('headline:deportation').fields, 'deportation')).toBeUndefined();
    expect(interner.known(true, first.fields, 'deportation')).toBeUndefined(); // a keyword is not prefixed
  });
});

describe('LeafCache', () => {
  it('keeps a leaf met twice for good, and forgets one met once after as many newer ones as its limit', () => {
    const cache = new LeafCache(3);
    const shared = cache.add(leafOf('deportation'));
    const once = cache.add(leafOf('tillerson'));
    expect(cache.known(false, shared.fields, 'deportation')).toBe(shared); // met again: kept from now on
    for (const word of ['alpha', 'beta', 'gamma', 'delta']) cache.add(leafOf(word));
    expect(cache.known(false, shared.fields, 'deportation')).toBe(shared);
    expect(cache.known(false, once.fields, 'tillerson')).toBeUndefined();
    expect(cache.known(false, once.fields, 'delta')?.text).toBe('delta'); // the newest are still there
  });

  it('tells prefixed leaves and field sets apart, as the interner does', () => {
    const cache = new LeafCache(10);
    const person = cache.add(parseQuery('person:Suharto') as LeafNode);
    expect(cache.known(true, person.fields, 'person:Suharto')).toBe(person);
    expect(cache.known(false, person.fields, 'person:Suharto')).toBeUndefined();
    expect(cache.known(true, leafOf('headline:x').fields, 'person:Suharto')).toBeUndefined();
  });

  it('shares a leaf between the queries parsed with it', () => {
    const cache = new LeafCache(10);
    const a = parseQuery('deportation AND kelly', cache);
    const b = parseQuery('deportation OR tillerson', cache);
    if (a.kind !== 'and' || b.kind !== 'or') throw new Error('unexpected trees');
    expect(b.children[0]).toBe(a.children[0]);
  });
});
