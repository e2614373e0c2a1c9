import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { StoryParseError } from '../../../functions/core/stories/errors.ts';
import { parseStories, parseStory } from '../../../functions/core/stories/parse.ts';
import { CORPUS_DIR, corpusAvailable, corpusPath, describeWithCorpus } from '../../support/corpus.ts';

const STORY_FOLDERS = [
  'seed',
  'dowjones/txt',
  'agency/nitf',
  'agency/newsml-g2',
  'agency/ninjs',
  'agency/anpa',
  'iptc',
];
const STORY_EXTENSIONS = /\.(?:xml|json|txt|tst)$/;
const NOT_STORIES = /^(?:LICENSE.*|SOURCE\.md|README.*)$/;

/**
 * Corpus files that are not stories Wirewatch can alert on, and the error each must give.
 * Everything else must parse.
 */
const EXPECTED_ERRORS: Readonly<Record<string, { code: string; why: string }>> = {
  'dowjones/txt/djn-1504881.txt': {
    code: 'missing-field',
    why: 'a headline-only MORE TO FOLLOW flash: the text has only the trailer; its headline is in the API record',
  },
  'iptc/newsml-g2/LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml': {
    code: 'unknown-format',
    why: 'a conceptItem describes a person, it is not a story',
  },
  'iptc/newsml-g2/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml': {
    code: 'missing-field',
    why: 'a contentMeta fragment with a dateline only: no headline, no text',
  },
  'iptc/newsml-g2/ap_metadata_example.xml': {
    code: 'missing-field',
    why: 'subject metadata of a video item: no headline, no text',
  },
  'iptc/ninjs/NewsML/businesswire-newsml-20130731006140.xml': {
    code: 'unknown-format',
    why: 'NewsML 1.2, not a format Wirewatch reads (its ninjs twin in iptc/ninjs/3.0 parses)',
  },
};

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
    const expected = EXPECTED_ERRORS[file];
    if (expected !== undefined) {
      let caught: unknown;
      try {
        parseStories(bytes);
      } catch (error) {
        caught = error;
      }
      expect(caught, expected.why).toBeInstanceOf(StoryParseError);
      expect((caught as StoryParseError).code, expected.why).toBe(expected.code);
      return;
    }
    const stories = parseStories(bytes);
    expect(stories.length).toBeGreaterThan(0);
    for (const story of stories) {
      expect(story.id).not.toBe('');
      expect(`${story.headline}${story.body}`).not.toBe('');
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
      if (EXPECTED_ERRORS[`dowjones/${row.file}`] !== undefined) continue;
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
});
