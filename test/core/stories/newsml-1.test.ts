import { describe, expect, it } from 'vitest';
import { detectFormat, parseStories, parseStory } from '../../../functions/core/stories/parse.ts';
import { fixture, fixtureText, parseError } from './support.ts';

/** A minimal NewsML 1.2 document around one NewsItem's management block and lines. */
function newsMl(
  management: string,
  newsLines = '<HeadLine>Bridge reopens</HeadLine>',
  text = 'The bridge reopened.',
): string {
  return `<NewsML Version="1.2"><NewsItem><Identification><NewsIdentifier><ProviderId>example.org</ProviderId><DateId>20260305</DateId><NewsItemId>B-1</NewsItemId><RevisionId>1</RevisionId></NewsIdentifier></Identification><NewsManagement><ThisRevisionCreated>20260305T080000Z</ThisRevisionCreated>${management}</NewsManagement><NewsComponent><NewsLines>${newsLines}</NewsLines><ContentItem><MimeType FormalName="text/plain"/><DataContent>${text}</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>`;
}

describe('NewsML 1.x', () => {
  const story = parseStory(fixture('newsml1-harbour.xml'));

  it('is detected from its root element, NewsML or a bare NewsItem', () => {
    expect(detectFormat(fixtureText('newsml1-harbour.xml'))).toBe('newsml-1');
    expect(detectFormat('<NewsItem><Identification/></NewsItem>')).toBe('newsml-1');
    expect(detectFormat('<newsItem guid="x"/>')).toBe('newsml-g2'); // NewsML-G2 is lower camel case
    expect(story.format).toBe('newsml-1');
  });

  it('reads the id without its revision, and the revision as version', () => {
    expect(story.id).toBe('urn:newsml:example.org:20260303:HARBOUR-17');
    expect(story.version).toBe(2);
  });

  it('reads the NewsLines: headline, subheadline, byline, dateline without date and credit, slugline, keywords', () => {
    expect(story.headline).toBe('Cardiff harbour approves second ferry terminal');
    expect(story.summary).toEqual(['Construction to start in the autumn']);
    expect(story.authors).toEqual(['Owen Price', 'Carys Lloyd']);
    expect(story.dateline).toBe('CARDIFF');
    expect(story.slugline).toBe('Wales-harbour-ferry');
    expect(story.keywords).toEqual(['ferries', 'ports', 'Cardiff']);
  });

  it('reads the body from the Main component only: no caption, contact, page title or closing initials', () => {
    expect(story.body).toBe(
      'The harbour board of Cardiff approved a second ferry terminal on Tuesday, chair Erin Morgan said.\n\nThe terminal will take ships of up to 200 metres.',
    );
    expect(story.body).not.toMatch(/caption|old terminal|Press office|ignored page title|hp\/ow/);
  });

  it('reads management and metadata: time in UTC, urgency, language, subjects, topics, provider', () => {
    expect(story.publishedAt).toBe('2026-03-03T10:05:00Z'); // ThisRevisionCreated, +0100
    expect(story.urgency).toBe(3);
    expect(story.language).toBe('en'); // written EN
    expect(story.status).toBe('usable');
    expect(story.subjects).toEqual(['Transport', 'subj:04015001', 'Wales']);
    expect(story.people).toEqual(['Erin Morgan']);
    expect(story.organisations).toEqual(['Cardiff Harbour Authority']);
    expect(story.source).toBe('Example Wire');
  });

  it('gives one story per NewsItem: NITF and escaped HTML content, equivalents read once', () => {
    const [first, second] = parseStories(fixture('newsml1-nitf-pair.xml'));
    expect(first?.id).toBe('urn:newsml:example.org:20260304:RAIL-3');
    expect(first?.headline).toBe('Rail strike called off in Swansea');
    expect(first?.authors).toEqual(['Ffion Hughes']);
    expect(first?.dateline).toBe('SWANSEA');
    expect(first?.publishedAt).toBe('2026-03-04T11:30:00Z'); // FirstCreated when there is no revision time
    expect(second?.id).toBe('RAIL-3-FR');
    expect(second?.headline).toBe('Grève des chemins de fer annulée à Swansea');
    expect(second?.body).toBe(
      'Les cheminots ont annulé une grève prévue vendredi.\n\nLes discussions reprendront la semaine prochaine.',
    );
    expect(second?.body).not.toContain('Duplicate');
    expect(second?.language).toBe('fr');
    expect(second?.publishedAt).toBe('2026-03-04T12:00:00Z'); // the envelope time
  });

  it.each([
    ['<Status FormalName="Usable"/>', 'usable'],
    ['<Status FormalName="Withheld"/>', 'withheld'],
    ['<Status FormalName="Embargoed"/>', 'withheld'],
    ['<Status FormalName="Canceled"/>', 'killed'],
    ['<Status FormalName="Usable"/><Instruction FormalName="Rectify"/>', 'correction'],
    ['<Status FormalName="Usable"/><Instruction FormalName="Update"/>', 'update'],
    ['<Status FormalName="Canceled"/><Instruction FormalName="Rectify"/>', 'killed'],
  ])('maps %s to %s', (management, status) => {
    expect(parseStory(newsMl(management)).status).toBe(status);
  });

  it('reads a correction from the headline and an editorial note', () => {
    expect(parseStory(newsMl('', '<HeadLine>CORRECTED - Bridge reopens</HeadLine>')).status).toBe(
      'correction',
    );
    const note =
      '<HeadLine>Bridge reopens</HeadLine><NewsLine><NewsLineType FormalName="EditorialNote"/><NewsLineText>Corrects day in second paragraph</NewsLineText></NewsLine>';
    expect(parseStory(newsMl('', note)).status).toBe('correction');
  });

  it('builds the id from the NewsIdentifier when there is no PublicIdentifier', () => {
    expect(parseStory(newsMl('')).id).toBe('urn:newsml:example.org:20260305:B-1');
  });

  it('refuses a DOCTYPE with an internal subset and entity declarations', () => {
    const subset = `<!DOCTYPE NewsML [<!ELEMENT NewsML ANY>]>${newsMl('')}`;
    expect(parseError(() => parseStory(subset)).code).toBe('doctype-forbidden');
    const bomb = `<!DOCTYPE NewsML [<!ENTITY a "aaaa">]>${newsMl('', '<HeadLine>&a;</HeadLine>')}`;
    expect(parseError(() => parseStory(bomb)).code).toBe('doctype-forbidden');
  });

  it('reports malformed XML with line and column', () => {
    const error = parseError(() => parseStory('<NewsML>\n  <NewsItem>\n</NewsML>'));
    expect(error.code).toBe('malformed-xml');
    expect(error.message).toMatch(/NewsML 1 story is not well-formed XML at line \d+, column \d+/);
  });

  it('refuses a document without a NewsItem, or whose item has no text', () => {
    const noItem = parseError(() => parseStory('<NewsML Version="1.2"><NewsEnvelope/></NewsML>'));
    expect(noItem.code).toBe('missing-field');
    expect(noItem.message).toContain('no NewsItem');
    const empty = parseError(() => parseStory(newsMl('', '', '')));
    expect(empty.code).toBe('missing-field');
    expect(empty.message).toContain(
      'NewsML 1 story urn:newsml:example.org:20260305:B-1 has no headline and no body',
    );
  });

  it('refuses another root when read with the newsml-1 format hint', () => {
    const error = parseError(() => parseStory('<nitf><body/></nitf>', { format: 'newsml-1' }));
    expect(error.code).toBe('unknown-format');
    expect(error.message).toContain('root element is <nitf>');
  });
});
