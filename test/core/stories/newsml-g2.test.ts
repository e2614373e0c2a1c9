import { describe, expect, it } from 'vitest';
import { parseStories, parseStory } from '../../../functions/core/stories/parse.ts';
import { fixture, parseError } from './support.ts';

const NS = 'xmlns="http://iptc.org/std/nar/2006-10-01/"';

function newsItem(
  meta: string,
  contentMeta: string,
  contentSet = '',
  attrs = 'guid="urn:x:1" version="1"',
): string {
  return `<newsItem ${NS} ${attrs}><itemMeta>${meta}</itemMeta><contentMeta>${contentMeta}</contentMeta><contentSet>${contentSet}</contentSet></newsItem>`;
}

describe('NewsML-G2', () => {
  const [first, second] = parseStories(fixture('newsml-message.xml'));

  it('returns one story per newsItem of a newsMessage; parseStory returns the first', () => {
    expect(parseStories(fixture('newsml-message.xml'))).toHaveLength(2);
    expect(parseStory(fixture('newsml-message.xml')).id).toBe('urn:newsml:example.org:20260402:harbour');
  });

  it('reads item metadata: guid, version, versionCreated, urgency, language, slugline, keywords, source', () => {
    expect(first?.format).toBe('newsml-g2');
    expect(first?.id).toBe('urn:newsml:example.org:20260402:harbour');
    expect(first?.version).toBe(4);
    expect(first?.publishedAt).toBe('2026-04-02T07:30:00Z');
    expect(first?.urgency).toBe(2);
    expect(first?.language).toBe('en-GB');
    expect(first?.slugline).toBe('UK-HARBOUR/FERRIES (CORRECTED)');
    expect(first?.keywords).toEqual(['harbour', 'ferries']);
    expect(first?.source).toBe('Example Wire');
  });

  it('reads the main headline, by-line authors, dateline without credit, summary and NITF body', () => {
    expect(first?.headline).toBe('Ferry services resume at the harbour');
    expect(first?.authors).toEqual(['Lena Ortiz', 'Sam Reid']);
    expect(first?.dateline).toBe('Southampton');
    expect(first?.summary).toEqual(['Ferries sail again after a week-long strike.']);
    expect(first?.body).toBe(
      'Ferry services resumed on Thursday after a week-long strike, operator Harbour Ferries Ltd said.\n\nUnion leader Nadia Kerr called the agreement fair.',
    );
  });

  it('sorts subjects into people, organisations (names resolved through assert) and subjects', () => {
    expect(first?.people).toEqual(['Nadia Kerr']);
    expect(first?.organisations).toEqual(['Harbour Ferries Ltd']);
    expect(first?.subjects).toEqual(['maritime transport', 'medtop:04000000']);
  });

  it('maps sig:correction to correction and stat:canceled to killed', () => {
    expect(first?.status).toBe('correction');
    expect(second?.status).toBe('killed');
  });

  it('reads XHTML bodies without the page header, taking a leading By line as the byline', () => {
    expect(second?.body).toBe('DOVER (Example Wire) - This story was withdrawn.');
    expect(second?.authors).toEqual(['Ada Brook']);
    expect(second?.dateline).toBe('DOVER');
  });

  it('holds back items embargoed past their version time, and reads update signals', () => {
    const embargoed = newsItem(
      '<versionCreated>2026-01-01T10:00:00Z</versionCreated><embargoed>2026-01-02T00:00:00Z</embargoed><pubStatus qcode="stat:usable"/>',
      '<headline>Embargoed results</headline>',
    );
    expect(parseStory(embargoed).status).toBe('withheld');
    const past = embargoed.replace('2026-01-02T00:00:00Z', '2025-12-31T00:00:00Z');
    expect(parseStory(past).status).toBe('usable');
    const update = newsItem('<signal qcode="sig:update"/>', '<headline>Later version</headline>');
    expect(parseStory(update).status).toBe('update');
    const reutersUpdate = newsItem('<signal qcode="edStat:U"/>', '<headline>Later version</headline>');
    expect(parseStory(reutersUpdate).status).toBe('update');
    const writethru = newsItem(
      '',
      '<slugline>BC-US--Story, 1st Ld-Writethru</slugline><headline>H</headline>',
    );
    expect(parseStory(writethru).status).toBe('update');
    const withheld = newsItem('<pubStatus qcode="stat:withheld"/>', '<headline>H</headline>');
    expect(parseStory(withheld).status).toBe('withheld');
  });

  it('reads inlineData text: plain wire copy keeps its indented paragraphs', () => {
    const item = newsItem(
      '',
      '<headline>Plain text</headline><located><name>Rome</name></located>',
      '<inlineData contenttype="text/plain"><![CDATA[<p>   (ANSA) - Rome - First line\ncontinues here.\n   Second paragraph\ncontinues.</p>]]></inlineData>',
    );
    const story = parseStory(item);
    expect(story.body).toBe('(ANSA) - Rome - First line continues here.\n\nSecond paragraph continues.');
    expect(story.dateline).toBe('Rome');
  });

  it('ignores a dateline that is a timestamp and falls back to the text', () => {
    const item = newsItem(
      '',
      '<headline>H</headline><dateline>2014-07-16 15:53:10 GMT+00:00</dateline><located literal="Bangalore"/>',
      '<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>DAMASCUS (Reuters) - Text.</p></body></html></inlineXML>',
    );
    expect(parseStory(item).dateline).toBe('DAMASCUS');
  });

  it('reads a packageItem: headline from its title, summary from the items it references', () => {
    const item = `<packageItem ${NS} guid="urn:pkg:1" version="2"><itemMeta><title>Top stories</title></itemMeta><groupSet root="G1"><group id="G1"><itemRef residref="a"><title>First referenced story</title></itemRef><itemRef residref="b"><headline>Second referenced story</headline></itemRef></group></groupSet></packageItem>`;
    const story = parseStory(item);
    expect(story.id).toBe('urn:pkg:1');
    expect(story.headline).toBe('Top stories');
    expect(story.body).toBe('');
    expect(story.summary).toEqual(['First referenced story', 'Second referenced story']);
  });

  it('reads a bare contentSet fragment holding NITF, with a derived id', () => {
    const fragment = `<contentSet ${NS}><inlineXML><nitf><body><body.head><hedline><hl1>Fragment headline</hl1></hedline></body.head><body.content><p>Fragment text.</p></body.content></body></nitf></inlineXML></contentSet>`;
    const story = parseStory(fragment);
    expect(story.id).toMatch(/^g2-[0-9a-f]{20}$/);
    expect(story.headline).toBe('Fragment headline');
    expect(story.body).toBe('Fragment text.');
  });

  it('leaves out items without text when the message has others, and refuses a message with none', () => {
    const empty = newsItem('', '', '', 'guid="urn:empty"');
    const full = newsItem('', '<headline>Has text</headline>', '', 'guid="urn:full"');
    const message = (items: string) => `<newsMessage ${NS}><itemSet>${items}</itemSet></newsMessage>`;
    expect(parseStories(message(empty + full)).map((story) => story.id)).toEqual(['urn:full']);
    expect(parseError(() => parseStories(message(empty))).code).toBe('missing-field');
    expect(parseError(() => parseStories(message(''))).code).toBe('missing-field');
  });

  it('reads a conceptItem: the name is the headline, definition and note the text, a person in people', () => {
    const story = parseStory(fixture('newsml-concept-person.xml'));
    expect(story.format).toBe('newsml-g2');
    expect(story.id).toBe('urn:concept:example.org:harriet-vale');
    expect(story.headline).toBe('Harriet Vale');
    expect(story.body).toBe(
      'Harriet Vale is a Welsh marine engineer who has led the harbour authority since 2024.\n\nNot Harriet Vale, the novelist',
    );
    expect(story.people).toEqual(['Harriet Vale']);
    expect(story.organisations).toEqual(['Harbour Authority']);
    expect(story.publishedAt).toBe('2026-03-01T10:00:00Z');
    expect(story.version).toBe(3);
    expect(story.language).toBe('en-GB');
    expect(story.source).toBe('Example Wire');
  });

  it('reads an organisation concept into organisations, and refuses a concept with no name or text', () => {
    const org = parseStory(
      `<conceptItem ${NS} guid="c:2"><concept><type qcode="cpnat:organisation"/><name>Harbour Authority</name></concept></conceptItem>`,
    );
    expect(org.headline).toBe('Harbour Authority');
    expect(org.organisations).toEqual(['Harbour Authority']);
    expect(org.people).toEqual([]);
    const message = `<newsMessage ${NS}><itemSet><conceptItem guid="c:3"><concept><name>Cardiff</name></concept></conceptItem></itemSet></newsMessage>`;
    expect(parseStories(message).map((story) => [story.id, story.headline, story.subjects])).toEqual([
      ['c:3', 'Cardiff', ['Cardiff']],
    ]);
    const empty = parseError(() => parseStory(`<conceptItem ${NS} guid="c"><concept/></conceptItem>`));
    expect(empty.code).toBe('missing-field');
    expect(empty.message).toContain('no headline and no body text');
  });

  it('titles an item with metadata only by its description, slugline or dateline, else its subject names', () => {
    const described = parseStory(
      newsItem('', '<description role="drol:caption">Ferry leaves the harbour</description>'),
    );
    expect(described.headline).toBe('Ferry leaves the harbour');
    expect(described.body).toBe('');
    const subjects = parseStory(
      `<newsItem ${NS} guid="urn:video:1"><itemMeta><itemClass qcode="ninat:video"/><versionCreated>2026-02-01T08:00:00Z</versionCreated></itemMeta><contentMeta><subject type="cpnat:person" qcode="ex:p9"/><subject type="cpnat:geoArea" qcode="ex:g1"/><subject qcode="ex:unnamed"/></contentMeta><assert qcode="ex:p9"><name>Nadia Kerr</name></assert><assert qcode="ex:g1"><name>Cardiff</name></assert></newsItem>`,
    );
    expect(subjects.id).toBe('urn:video:1');
    expect(subjects.headline).toBe('Nadia Kerr; Cardiff'); // the unnamed qcode is not a title
    expect(subjects.people).toEqual(['Nadia Kerr']);
    expect(subjects.subjects).toContain('Cardiff');
    expect(subjects.publishedAt).toBe('2026-02-01T08:00:00Z');
  });

  it('reads a contentMeta fragment with a dateline only: the dateline as written is its title', () => {
    const fragment = `<contentMeta ${NS}><contentCreated>2026-02-03T09:00:00+01:00</contentCreated><located qcode="city:x"/><subject qcode="city:y"/><dateline>CARDIFF, Tuesday (Example Wire)</dateline></contentMeta>`;
    const story = parseStory(fragment);
    expect(story.headline).toBe('CARDIFF, Tuesday (Example Wire)');
    expect(story.dateline).toBe('CARDIFF, Tuesday');
    expect(story.id).toMatch(/^g2-[0-9a-f]{20}$/);
    expect(story.publishedAt).toBe('2026-02-03T08:00:00Z');
    expect(story.body).toBe('');
  });

  it('refuses an item with neither text nor anything to title it by, and other non-story items', () => {
    const bare = parseError(() => parseStory(newsItem('', '<subject qcode="ex:unnamed"/>')));
    expect(bare.code).toBe('missing-field');
    const knowledge = parseError(() => parseStory(`<knowledgeItem ${NS} guid="k"/>`));
    expect(knowledge.code).toBe('unknown-format');
    expect(knowledge.message).toContain('knowledgeItem is not a story');
  });
});
