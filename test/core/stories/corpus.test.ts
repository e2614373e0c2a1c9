import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { parseStories, parseStory } from '../../../functions/core/stories/parse.ts';
import { STORY_FORMATS, STORY_STATUSES } from '../../../functions/core/stories/story.ts';
import { CORPUS_DIR, corpusAvailable, corpusPath, describeWithCorpus } from '../../support/corpus.ts';

const STORY_FOLDERS = [
  'seed',
  'dowjones/txt',
  'agency/nitf',
  'agency/newsml-g2',
  'agency/ninjs',
  'agency/anpa',
  'agency/newsml-1.x',
  'iptc',
];
const STORY_EXTENSIONS = /\.(?:xml|json|txt|tst)$/;
const NOT_STORIES = /^(?:LICENSE.*|SOURCE\.md|README.*)$/;

function storyFiles(): string[] {
  if (!corpusAvailable) return [];
  const files: string[] = [];
  const walk = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (STORY_EXTENSIONS.test(name) && !NOT_STORIES.test(name)) files.push(relative(CORPUS_DIR, full));
    }
  };
  for (const folder of STORY_FOLDERS) walk(corpusPath(folder));
  return files;
}

interface ManifestRow {
  readonly storyId: string;
  readonly publishUtc: string;
  readonly file: string;
  readonly byline: boolean;
  readonly dateline: boolean;
  readonly headline: string;
}

function manifest(): ManifestRow[] {
  if (!corpusAvailable) return [];
  const [header, ...rows] = readFileSync(corpusPath('dowjones/manifest.tsv'), 'utf8').trim().split('\n');
  const columns = header!.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    const cell = (name: string): string => cells[columns.indexOf(name)] ?? '';
    return {
      storyId: cell('story_id'),
      publishUtc: cell('publish_utc'),
      file: cell('file'),
      byline: cell('byline') === '1',
      dateline: cell('dateline') === '1',
      headline: cell('headline'),
    };
  });
}

function apiRecords(): Map<string, string> {
  const records = new Map<string, string>();
  if (!corpusAvailable) return records;
  for (const line of readFileSync(corpusPath('dowjones/stories.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { StoryId: number };
    records.set(String(record.StoryId), line);
  }
  return records;
}

describeWithCorpus('parseStory on the shared corpus', () => {
  const files = storyFiles();

  it('finds the story files', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(files)('%s', (file) => {
    const bytes = readFileSync(corpusPath(file));
    const stories = parseStories(bytes);
    expect(stories.length).toBeGreaterThan(0);
    for (const story of stories) {
      expect(story.id).not.toBe('');
      expect(`${story.headline}${story.body}`).not.toBe('');
      expect(STORY_FORMATS).toContain(story.format);
      expect(STORY_STATUSES).toContain(story.status);
      expect(story.body).not.toMatch(/\n\n\n/);
      expect(story.headline).not.toMatch(/[\r\n]/);
      if (story.publishedAt !== undefined)
        expect(story.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  it('reads the seed story as specified', () => {
    const story = parseStory(readFileSync(corpusPath('seed/djn-20170223-kelly-mexico.txt')));
    expect(story.format).toBe('dowjones');
    expect(story.authors).toEqual(['Felicia Schwartz', 'Robbie Whelan']);
    expect(story.dateline).toBe('MEXICO CITY');
    expect(story.publishedAt).toBe('2017-02-23T20:13:00Z');
    expect(story.body.startsWith('U.S. Homeland Security Secretary John Kelly said Thursday')).toBe(true);
    expect(story.body.endsWith('with Messrs. Kelly and Tillerson.')).toBe(true);
    expect(story.body).toContain('Peña Nieto');
    expect(story.body).not.toMatch(/Write to|\(END\)|Copyright|GMT|By Felicia/);
    expect(story.status).toBe('usable');
    expect(story.source).toBe('Dow Jones Newswires');
  });

  it('gives every Dow Jones story the manifest publish time, from the text and from the API record', () => {
    const rows = manifest();
    const records = apiRecords();
    expect(rows).toHaveLength(50);
    for (const row of rows) {
      const record = records.get(row.storyId);
      expect(record, row.storyId).toBeDefined();
      const fromRecord = parseStory(record!);
      expect(fromRecord.publishedAt, row.storyId).toBe(row.publishUtc);
      expect(fromRecord.id).toBe(`djn-${row.storyId}`);
      expect(fromRecord.headline).toBe(row.headline);
      const fromText = parseStory(readFileSync(corpusPath('dowjones', row.file)));
      expect(fromText.publishedAt, row.file).toBe(row.publishUtc);
      if (row.byline) expect(fromText.authors.length, row.file).toBeGreaterThan(0);
      if (row.dateline) expect(fromText.dateline, row.file).not.toBe('');
    }
  });

  it('reads the Dow Jones edge cases: near-duplicates, correction, German, updates', () => {
    const dj = (id: string) => parseStory(readFileSync(corpusPath(`dowjones/txt/djn-${id}.txt`)));
    expect(dj('1504894').id).toBe(dj('1504900').id); // the same story sent twice
    expect(dj('1539172').status).toBe('correction');
    expect(dj('1539240').language).toBe('de');
    expect(dj('1539240').authors).toEqual(['Ursula Quass', 'Archibald Preuschat']);
    expect(dj('1539229').status).toBe('update');
    expect(dj('1539112').status).toBe('usable'); // a MORE TO FOLLOW first take
  });

  it('reads statuses from the agency and IPTC samples', () => {
    const status = (file: string) => parseStory(readFileSync(corpusPath(file))).status;
    expect(status('agency/nitf/nitf-fishing.xml')).toBe('killed');
    expect(status('agency/ninjs/ninjs_embargoed.json')).toBe('withheld');
    expect(status('agency/newsml-g2/tag_reuters.com_2016_newsml_L1N14N0FF_version_978556838.xml')).toBe(
      'correction',
    );
    expect(status('agency/anpa/anpa-2.tst')).toBe('update');
    expect(status('agency/anpa/ap_anpa-5.tst')).toBe('usable');
  });

  it('reads a headline-only MORE TO FOLLOW flash whose text is only the trailer', () => {
    const flash = parseStory(readFileSync(corpusPath('dowjones/txt/djn-1504881.txt')));
    expect(flash.format).toBe('dowjones');
    expect(flash.id).toMatch(/^djn-[0-9a-f]{20}$/);
    expect(flash.headline).toBe('(MORE TO FOLLOW) Dow Jones Newswires'); // all the text carries
    expect(flash.body).toBe('');
    expect(flash.status).toBe('usable');
    expect(flash.publishedAt).toBe('2012-11-06T14:45:00Z');
  });

  it('reads NewsML-G2 items without text: a concept, the subjects of a video, a dateline fragment', () => {
    const g2 = (name: string) => parseStory(readFileSync(corpusPath('iptc/newsml-g2', name)));
    const person = g2('LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml');
    expect(person.format).toBe('newsml-g2');
    expect(person.id).toBe('urn:newsml:iptc.org:20080229:ncdci-person');
    expect(person.headline).toBe('Mario Draghi');
    expect(person.people).toEqual(['Mario Draghi']);
    expect(person.body).toMatch(/^Mario Draghi, born 3 September 1947, is an Italian banker/);
    expect(person.organisations).toEqual(['European Central Bank']);
    expect(person.publishedAt).toBe('2018-11-07T12:38:18Z');

    const video = g2('ap_metadata_example.xml');
    expect(video.id).toBe('tag:example.com,2008:407624');
    expect(video.headline).toBe('Kentucky; Keegan Murray; Volkswagen AG');
    expect(video.body).toBe('');
    expect(video.people).toEqual(['Keegan Murray']);
    expect(video.organisations).toEqual(['Volkswagen AG']);
    expect(video.subjects).toEqual(['Kentucky']);
    expect(video.publishedAt).toBe('2022-04-08T12:00:00Z');

    const fragment = g2('LISTING_28_Illustrating_Located_Subject_and_Dateline.xml');
    expect(fragment.id).toMatch(/^g2-[0-9a-f]{20}$/);
    expect(fragment.headline).toBe('MOSCOW, Monday (Reuters)');
    expect(fragment.dateline).toBe('MOSCOW, Monday');
    expect(fragment.authors).toEqual([]); // the creator, Thomson Reuters, is a company
    expect(fragment.source).toBe('Thomson Reuters');
    expect(fragment.publishedAt).toBe('2016-02-09T06:17:00Z');
  });

  it('reads the Business Wire NewsML 1.2 release like its ninjs twin', () => {
    const newsml = parseStory(
      readFileSync(corpusPath('iptc/ninjs/NewsML/businesswire-newsml-20130731006140.xml')),
    );
    const twin = parseStory(
      readFileSync(corpusPath('iptc/ninjs/3.0/businesswire-newsml-20130731006140.json')),
    );
    expect(newsml.format).toBe('newsml-1');
    expect(twin.format).toBe('ninjs');
    expect(newsml.id).toBe('urn:newsml:businesswire.com:20010714:20130731006140');
    expect(newsml.headline).toBe(twin.headline);
    // The twin carries only the first paragraph; the NewsML item has the whole release.
    expect(twin.body).not.toBe('');
    expect(newsml.body.startsWith(twin.body)).toBe(true);
    expect(newsml.body.split('\n\n').length).toBeGreaterThan(10);
    expect(newsml.body).not.toMatch(/cwagner@|bwalignc|Applebees-72\.jpg/); // no contact block, CSS or media
    expect(newsml.publishedAt).toBe(twin.publishedAt);
    expect(newsml.language).toBe(twin.language);
    expect(newsml.subjects).toEqual(twin.subjects);
    expect(newsml.status).toBe('usable');
    expect(newsml.source).toBe('Business Wire');
    expect(newsml.dateline).toBe('KANSAS CITY, Mo.');
  });

  it('reads the agency NewsML 1.x samples: NITF, XML paragraphs and HTML in CDATA', () => {
    const agency = (name: string) => parseStory(readFileSync(corpusPath('agency/newsml-1.x', name)));
    const afp = agency('afp.xml');
    expect(afp.format).toBe('newsml-1');
    expect(afp.dateline).toBe('STOCKHOLM');
    expect(afp.urgency).toBe(4);
    expect(afp.body).not.toMatch(/hh\/ph/); // closing desk initials
    expect(agency('afp20.xml').language).toBe('fr');
    const ana = agency('ana1.xml');
    expect(ana.subjects).toContain('Employment/Unemployment'); // the code resolved through the TopicSet
    expect(ana.body).not.toContain('©');
  });
});
