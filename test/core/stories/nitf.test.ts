import { describe, expect, it } from 'vitest';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { fixture, fixtureText, parseError } from './support.ts';

function nitf(head: string, bodyHead: string, content: string, docdataAttrs = ''): string {
  return `<?xml version="1.0"?><nitf><head>${head.replace('<docdata>', `<docdata${docdataAttrs}>`)}</head><body><body.head>${bodyHead}</body.head><body.content>${content}</body.content></body></nitf>`;
}

describe('NITF', () => {
  const story = parseStory(fixture('nitf-bridge.xml'));

  it('reads the docdata: id, urgency, time, version, keywords, copyright holder', () => {
    expect(story.format).toBe('nitf');
    expect(story.id).toBe('INV.2026.0311.0042');
    expect(story.urgency).toBe(3);
    expect(story.publishedAt).toBe('2026-03-11T08:15:00Z');
    expect(story.version).toBe(3);
    expect(story.keywords).toEqual(['bridges', 'transport', 'Bridge-Reopens']);
    expect(story.source).toBe('Invented Press Agency');
    expect(story.language).toBe('en-GB');
    expect(story.status).toBe('update'); // ed-msg: "Adds quote from the council"
    expect(story.subjects).toEqual(['Politics', 'subj:14025000']);
  });

  it('reads headline, byline persons without titles, dateline city and abstract', () => {
    expect(story.headline).toBe('Riverside bridge reopens after & despite delays');
    expect(story.authors).toEqual(['Harriet Vale', 'Owen Marsh']);
    expect(story.dateline).toBe('Riverside');
    expect(story.summary).toEqual(['The Riverside bridge reopened on Wednesday.']);
  });

  it('reads body paragraphs, subheads, list items and table rows; skips media, separators and credits', () => {
    expect(story.body.split('\n\n')).toEqual([
      'RIVERSIDE (IPA) - The Riverside bridge reopened to traffic on Wednesday after repairs that took eight months, the Riverside Council said.',
      'Traffic',
      'Council leader Tom Pike said traffic would be limited to cars \u2013 buses return in May.',
      'Cars: from Wednesday',
      'Buses: from May',
      'Lane Open',
    ]);
    expect(story.body).not.toMatch(/caption|contributed|Additional reporting|___/);
  });

  it('collects identified and inline people and organisations', () => {
    expect(story.people).toEqual(['Harriet Vale', 'Tom Pike']);
    expect(story.organisations).toEqual(['Riverside Council']);
  });

  it('maps management-status to killed and withheld, and reads the editor message', () => {
    const text = fixtureText('nitf-bridge.xml');
    expect(parseStory(text.replace('Adds quote from the council', 'For all clients')).status).toBe('usable');
    expect(parseStory(text.replace('Adds quote from the council', 'Kills the story: legal')).status).toBe(
      'killed',
    );
    expect(parseStory(text.replace('Adds quote from the council', 'Corrects the date')).status).toBe(
      'correction',
    );
    expect(
      parseStory(text.replace('management-status="usable"', 'management-status="canceled"')).status,
    ).toBe('killed');
    expect(
      parseStory(text.replace('management-status="usable"', 'management-status="embargoed"')).status,
    ).toBe('withheld');
  });

  it('derives a stable id when doc-id has no id-string, and falls back to head/title', () => {
    const xml = nitf(
      '<title>Title only headline</title><docdata><doc-id regsrc="XX"/><date.issue norm="20260101T120000Z"/></docdata>',
      '<byline>By SAM LEE<byttl>Staff Writer</byttl></byline><dateline>Oslo</dateline>',
      '<block><p>First paragraph.</p></block>',
    );
    const first = parseStory(xml);
    expect(first.id).toMatch(/^nitf-[0-9a-f]{20}$/);
    expect(parseStory(xml).id).toBe(first.id);
    expect(first.headline).toBe('Title only headline');
    expect(first.authors).toEqual(['Sam Lee']);
    expect(first.dateline).toBe('Oslo');
    expect(first.source).toBe('XX');
  });

  it('takes the dateline from the first paragraph when there is no dateline element', () => {
    const xml = nitf(
      '<docdata><doc-id id-string="a1"/></docdata>',
      '<hedline><hl1>H</hl1></hedline>',
      '<p>NEW YORK (AP) \u2014 Text.</p>',
    );
    expect(parseStory(xml).dateline).toBe('NEW YORK');
  });

  it('drops a copyright notice at the end of the text', () => {
    const xml = nitf(
      '<docdata><doc-id id-string="a4"/></docdata>',
      '<hedline><hl1>H</hl1></hedline>',
      '<p>Text.</p><p>Copyright 2026 Invented Press. All rights reserved.</p><p>(c) 2026 Invented Press</p>',
    );
    expect(parseStory(xml).body).toBe('Text.');
  });

  it('reads pre-formatted text line by line', () => {
    const xml = nitf(
      '<docdata><doc-id id-string="a2"/></docdata>',
      '<hedline><hl1>Teams</hl1></hedline>',
      '<pre>Team A: One, Two\nTeam B: Three, Four\n</pre>',
    );
    expect(parseStory(xml).body).toBe('Team A: One, Two\n\nTeam B: Three, Four');
  });

  it('reads Windows-1252 bytes (ISO-8859-1 feeds) when the bytes are not UTF-8', () => {
    const xml = nitf(
      '<docdata><doc-id id-string="a3"/></docdata>',
      '<hedline><hl1>Price \u00a3 \u20ac</hl1></hedline>',
      '<p>Text</p>',
    );
    const bytes = Uint8Array.from(Buffer.from(xml, 'latin1'));
    bytes[bytes.indexOf(0xac)] = 0x80; // Buffer wrote U+20AC as its low byte; 0x80 is the euro sign in Windows-1252
    expect(parseStory(bytes).headline).toBe('Price \u00a3 \u20ac');
  });

  it('refuses a document whose root is not <nitf> when told it is NITF', () => {
    const error = parseError(() => parseStory('<newsItem guid="x"/>', { format: 'nitf' }));
    expect(error.code).toBe('unknown-format');
    expect(error.message).toContain('<newsItem>');
  });
});
