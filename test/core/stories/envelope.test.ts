import { describe, expect, it } from 'vitest';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { parseError } from './support.ts';

const minimal = { wirewatch: 1, id: 'acme-1', headline: 'Ministers meet', body: 'First.\n\nSecond.' };
const envelope = (fields: Record<string, unknown>): string => JSON.stringify({ ...minimal, ...fields });

describe('Wirewatch JSON envelope', () => {
  it('reads a minimal envelope with defaults', () => {
    expect(parseStory(JSON.stringify(minimal))).toEqual({
      id: 'acme-1',
      format: 'envelope',
      headline: 'Ministers meet',
      authors: [],
      dateline: '',
      body: 'First.\n\nSecond.',
      summary: [],
      publishedAt: undefined,
      language: undefined,
      status: 'usable',
      version: 1,
      urgency: undefined,
      slugline: undefined,
      url: undefined,
      keywords: [],
      subjects: [],
      people: [],
      organisations: [],
      source: undefined,
    });
  });

  it('reads every optional field', () => {
    const story = parseStory(
      envelope({
        authors: ['Ana Reporter'],
        dateline: 'LISBON',
        summary: ['Quotas discussed'],
        publishedAt: '2026-01-02T04:04:05+01:00',
        language: 'pt-PT',
        status: 'correction',
        version: 2,
        urgency: 3,
        slugline: 'EU-FISHING',
        url: 'https://example.org/s/1',
        keywords: ['fishing'],
        subjects: ['politics'],
        people: ['Rui Costa'],
        organisations: ['European Commission'],
        source: 'Acme Wire',
      }),
    );
    expect(story).toMatchObject({
      authors: ['Ana Reporter'],
      dateline: 'LISBON',
      summary: ['Quotas discussed'],
      publishedAt: '2026-01-02T03:04:05Z',
      language: 'pt-PT',
      status: 'correction',
      version: 2,
      urgency: 3,
      slugline: 'EU-FISHING',
      url: 'https://example.org/s/1',
      keywords: ['fishing'],
      subjects: ['politics'],
      people: ['Rui Costa'],
      organisations: ['European Commission'],
      source: 'Acme Wire',
    });
  });

  it('strips CR/LF and control characters from one-line fields', () => {
    const story = parseStory(envelope({ headline: 'Line one\r\nBcc: someone\u0007', authors: ['A\nB C'] }));
    expect(story.headline).toBe('Line one Bcc: someone');
    expect(story.authors).toEqual(['A B C']);
  });

  it.each([
    [{ wirewatch: 2 }, 'invalid-field', '"wirewatch"'],
    [{ wirewatch: '1' }, 'invalid-field', '"wirewatch"'],
    [{ id: undefined }, 'missing-field', '"id"'],
    [{ id: '  ' }, 'missing-field', '"id"'],
    [{ id: 42 }, 'invalid-field', '"id"'],
    [{ id: 'x'.repeat(513) }, 'invalid-field', '"id"'],
    [{ headline: 7 }, 'invalid-field', '"headline"'],
    [{ body: ['a'] }, 'invalid-field', '"body"'],
    [{ authors: 'Ana' }, 'invalid-field', '"authors"'],
    [{ authors: ['Ana', 3] }, 'invalid-field', '"authors[1]"'],
    [{ keywords: [null] }, 'invalid-field', '"keywords[0]"'],
    [{ publishedAt: 'yesterday' }, 'invalid-field', '"publishedAt"'],
    [{ publishedAt: '2026-02-30T10:00:00Z' }, 'invalid-field', '"publishedAt"'],
    [{ publishedAt: '2026-02-03' }, 'invalid-field', '"publishedAt"'],
    [{ language: 'english language' }, 'invalid-field', '"language"'],
    [{ status: 'published' }, 'invalid-field', '"status"'],
    [{ version: 0 }, 'invalid-field', '"version"'],
    [{ version: 1.5 }, 'invalid-field', '"version"'],
    [{ urgency: 10 }, 'invalid-field', '"urgency"'],
    [{ url: 'javascript:alert(1)' }, 'invalid-field', '"url"'],
    [{ headlin: 'typo' }, 'invalid-field', '"headlin"'],
    [{ headline: '', body: '  ' }, 'missing-field', 'no headline and no body'],
  ])('refuses %j with %s naming %s', (fields, code, named) => {
    const error = parseError(() => parseStory(envelope(fields)));
    expect(error.code).toBe(code);
    expect(error.message).toContain(named);
  });

  it('is detected by its "wirewatch" key even when it also has ninjs-like fields', () => {
    expect(parseStory(envelope({ keywords: ['uri'] })).format).toBe('envelope');
  });
});
