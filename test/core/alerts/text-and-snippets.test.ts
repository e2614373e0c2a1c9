import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capSnippet, snippetSegments, validHighlights } from '../../../functions/core/alerts/snippet.ts';
import { escapeHtml, safeHttpUrl, toSingleLine, truncateBytes } from '../../../functions/core/alerts/text.ts';
import { isWellFormed } from './factories.ts';

describe('text helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('removes controls, separators, bidi overrides and lone surrogates from one-line text', () => {
    expect(toSingleLine(' a\r\nb\tc\u0000d\u2028e\u202ef\ud800g ')).toBe('a b c d e f g');
    expect(toSingleLine('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('never splits a character when cutting to bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 100 }),
        fc.integer({ min: 3, max: 200 }),
        (text, max) => {
          const cut = truncateBytes(text, max);
          expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
          expect(isWellFormed(cut)).toBe(isWellFormed(text));
        },
      ),
    );
  });

  it('accepts only absolute http(s) links without credentials', () => {
    expect(safeHttpUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHttpUrl(' JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('/relative')).toBeUndefined();
    expect(safeHttpUrl('https://user:pw@example.com/')).toBeUndefined();
  });
});

describe('snippets', () => {
  it('ignores highlights that overlap, run backwards or fall outside the text', () => {
    const snippet = {
      text: 'abcdefghij',
      highlights: [
        [0, 2],
        [1, 3],
        [5, 4],
        [8, 20],
        [6, 8],
      ] as [number, number][],
    };
    expect(validHighlights(snippet)).toEqual([
      [0, 2],
      [6, 8],
    ]);
    expect(snippetSegments(snippet)).toEqual([
      { text: 'ab', highlighted: true },
      { text: 'cdef', highlighted: false },
      { text: 'gh', highlighted: true },
      { text: 'ij', highlighted: false },
    ]);
  });

  it('caps a long snippet around its first highlight, shifting the highlights', () => {
    const text = `${'x'.repeat(1000)} harbour ${'y'.repeat(1000)}`;
    const capped = capSnippet({ text, highlights: [[1001, 1008]] }, 100);
    expect(capped.text.length).toBeLessThanOrEqual(100);
    const [start, end] = capped.highlights[0] ?? [0, 0];
    expect(capped.text.slice(start, end)).toBe('harbour');
    expect(capped.text.startsWith('…')).toBe(true);
    expect(capped.text.endsWith('…')).toBe(true);
  });
});
