import { describe, expect, it } from 'vitest';
import { incompleteBecause } from '../../local/file-completeness.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('incompleteBecause (drop-folder completeness)', () => {
  it('accepts whole XML, with a prefixed or self-closed root, and names the unclosed root', () => {
    expect(incompleteBecause(bytes('<?xml version="1.0"?>\n<nitf><body>x</body></nitf>\n'))).toBeUndefined();
    expect(incompleteBecause(bytes('<g2:newsItem xmlns:g2="x"><a/></g2:newsItem>'))).toBeUndefined();
    expect(incompleteBecause(bytes('<newsItem guid="x"/>'))).toBeUndefined();
    expect(incompleteBecause(bytes('<nitf><body>x</body>'))).toBe('XML root <nitf> is not closed');
    expect(incompleteBecause(bytes('<nitf><body>x</body></ni'))).toBe('XML root <nitf> is not closed');
  });

  it('accepts JSON that parses and ANPA with its end-of-text; plain text has no end mark to check', () => {
    expect(incompleteBecause(bytes('{"id": "a", "body": "b"}'))).toBeUndefined();
    expect(incompleteBecause(bytes('{"id": "a", "bo'))).toBe('JSON that does not parse (cut short?)');
    expect(incompleteBecause(bytes('\x16\x16\x01a0001 r i BC-Story\x02 Text.\x03'))).toBeUndefined();
    expect(incompleteBecause(bytes('\x16\x16\x01a0001 r i BC-Story\x02 Te'))).toMatch(/ANPA-1312 without/);
    expect(incompleteBecause(bytes('Invented headline\n\nA body with no end mark'))).toBeUndefined();
  });
});
