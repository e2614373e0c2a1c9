import { describe, expect, it } from 'vitest';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { fixture, parseError } from './support.ts';

const json = (value: unknown): string => JSON.stringify(value);

describe('ninjs', () => {
  it('reads ninjs 2.0 (lower-case field names, body_html)', () => {
    const story = parseStory(fixture('ninjs-2.json'));
    expect(story).toMatchObject({
      format: 'ninjs',
      id: 'https://example.org/stories/2026/solar-farm',
      url: 'https://example.org/stories/2026/solar-farm',
      headline: 'Solar farm opens on former airfield',
      authors: ['Ruth Ames'],
      dateline: 'CAMBRIDGE',
      summary: ['The largest solar farm in the county opened on Wednesday.'],
      publishedAt: '2026-05-06T07:08:09Z',
      language: 'en',
      status: 'usable',
      version: 3,
      urgency: 4,
      slugline: 'ENERGY-SOLAR',
      keywords: ['solar', 'energy'],
      subjects: ['renewable energy', 'medtop:06000000'],
      people: ['Colin Hart'],
      organisations: ['Sunfield Energy'],
      source: 'Invented Wire',
    });
  });

  it('strips HTML to paragraphs, decodes entities once and drops scripts and figures', () => {
    const story = parseStory(fixture('ninjs-2.json'));
    expect(story.body).toBe(
      'CAMBRIDGE (IW) \u2013 A solar farm opened on a former airfield on Wednesday.\n\nIt will power 9,000 homes & a hospital, the operator said.',
    );
    const tricky = parseStory(
      json({
        uri: 'u',
        headline: 'H',
        body_html: '<p>a &amp;lt;b&amp;gt; c &unknown; &#0; &#x1F600;</p><p>x < y</p>',
      }),
    );
    expect(tricky.body).toBe('a &lt;b&gt; c &unknown; \ufffd \u{1F600}\n\nx < y');
  });

  it('reads ninjs 3.0 (camelCase, headlines[], bodies[], descriptions[], bylines[], embargo)', () => {
    const story = parseStory(fixture('ninjs-3.json'));
    expect(story).toMatchObject({
      id: 'urn:example:ninjs3:flood-2026',
      headline: 'River levels fall after floods',
      body: 'YORK -- River levels fell overnight.\n\nResidents began cleaning up.',
      authors: ['Idris Cole'],
      dateline: 'YORK',
      summary: ['Water levels dropped overnight.'],
      publishedAt: '2026-06-01T10:00:00Z',
      language: 'en-GB',
      status: 'withheld', // embargoed until after versionCreated
      version: 2,
      urgency: 2,
      subjects: ['flood'],
    });
    expect(story.url).toBeUndefined();
  });

  it('reads ninjs 1.x person/organisation arrays and the guid of older Superdesk ninjs', () => {
    const story = parseStory(
      json({
        guid: 'tag:example:1',
        headline: 'Trial opens',
        body_text: 'The trial opened.',
        person: [{ name: 'Ada Lovelace' }, { name: 'x' }],
        organisation: [{ name: 'Analytical Engines Ltd' }],
        byline: 'Jo Bloggs and Ann Other',
      }),
    );
    expect(story.id).toBe('tag:example:1');
    expect(story.people).toEqual(['Ada Lovelace']);
    expect(story.organisations).toEqual(['Analytical Engines Ltd']);
    expect(story.authors).toEqual(['Jo Bloggs', 'Ann Other']);
  });

  it('maps pubstatus canceled to killed and withheld to withheld', () => {
    expect(parseStory(json({ uri: 'u', headline: 'H', pubstatus: 'canceled' })).status).toBe('killed');
    expect(parseStory(json({ uri: 'u', headline: 'H', pubStatus: 'withheld' })).status).toBe('withheld');
  });

  it('reads an NITF body when that is the only body', () => {
    const nitf = '<nitf><body><body.content><p>From NITF.</p></body.content></body></nitf>';
    const story = parseStory(
      json({ uri: 'u', headlines: [{ value: 'H' }], bodies: [{ role: 'nitf', value: nitf }] }),
    );
    expect(story.body).toBe('From NITF.');
  });

  it('refuses a story without uri, naming the field', () => {
    const error = parseError(() =>
      parseStory(json({ headline: 'No id here', body_text: 'Text' }), { format: 'ninjs' }),
    );
    expect(error.code).toBe('missing-field');
    expect(error.message).toContain('"uri"');
  });

  it('refuses a JSON array and JSON that is not ninjs', () => {
    expect(parseError(() => parseStory('[{"uri":"u"}]')).code).toBe('unknown-format');
    expect(parseError(() => parseStory('{"hello":"world"}')).code).toBe('unknown-format');
    expect(parseError(() => parseStory('[1]', { format: 'ninjs' })).code).toBe('malformed-json');
  });
});
