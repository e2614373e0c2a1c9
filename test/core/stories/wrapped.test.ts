/**
 * Hard-wrapped copy, invisible characters and curly apostrophes, through every format's parser and
 * on into matching: a line break inside a paragraph is not a paragraph break.
 */
import { describe, expect, it } from 'vitest';
import { bruteForceMatch, compileSubscriptions } from '../../../functions/core/matching/index.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import type { Story } from '../../../functions/core/stories/story.ts';
import { fixtureText } from './support.ts';

// Our own wire-style sentences, wrapped mid-sentence as old and many current feeds do.
const WRAPPED = [
  'The Senate upheld President',
  "Reagan's veto on Friday, and critics warned of mass",
  'deportations. A sponsor of the bill, Ms.',
  'Ardern, said talks would go on.',
];
const QUERIES = ['person:"Ronald Reagan"', '"mass deportations"', 'person:"Jacinda Ardern"'];

const xmlText = (lines: readonly string[]): string => lines.join('\n');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function replaceOnce(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`fixture no longer contains ${search}`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

/** One story per format whose body is `lines`, wrapped. */
function storiesWith(lines: readonly string[]): [string, Story][] {
  const plain = lines.join('\n');
  return [
    [
      'envelope',
      parseStory(encode(JSON.stringify({ wirewatch: 1, id: 'w1', headline: 'Veto upheld', body: plain }))),
    ],
    [
      'ninjs body_text',
      parseStory(encode(JSON.stringify({ uri: 'urn:w1', headline: 'Veto', body_text: plain }))),
    ],
    [
      'dowjones',
      parseStory(
        encode(
          `\n${lines.map((line) => `  ${line} `).join('\n')}\n  (END) Dow Jones Newswires\n  March 26, 1987 10:00 ET (15:00 GMT)\n`,
        ),
      ),
    ],
    [
      'nitf',
      parseStory(
        encode(
          replaceOnce(
            fixtureText('nitf-bridge.xml'),
            'Council leader <person>Tom Pike</person> said traffic would be limited to cars &#8211; buses return in May.',
            xmlText(lines),
          ),
        ),
      ),
    ],
    [
      'newsml-g2',
      parseStory(
        encode(
          replaceOnce(
            fixtureText('newsml-message.xml'),
            'Union leader <person>Nadia Kerr</person> called the agreement fair.',
            xmlText(lines),
          ),
        ),
      ),
    ],
    [
      'newsml-1',
      parseStory(
        encode(
          replaceOnce(
            fixtureText('newsml1-harbour.xml'),
            'The terminal will take ships of up to',
            xmlText(lines),
          ),
        ),
      ),
    ],
    [
      'anpa',
      parseStory(
        encode(
          replaceOnce(
            fixtureText('anpa-strike.tst'),
            'The union said members voted to accept a new pay offer \r\nfrom the harbour company.',
            lines.join(' \r\n'),
          ),
        ),
      ),
    ],
  ];
}

function matched(story: Story): string[] {
  const subs = QUERIES.map((query) => ({ id: query, query }));
  const { index } = compileSubscriptions(subs);
  const found = index.match(story).map((match) => match.subscriptionId);
  expect(found).toEqual(bruteForceMatch(subs, story).map((match) => match.subscriptionId));
  return found;
}

describe('hard-wrapped lines inside paragraphs, in every format', () => {
  it.each(storiesWith(WRAPPED))('%s: names and phrases match across the line breaks', (_format, story) => {
    expect(matched(story)).toEqual(QUERIES);
  });

  it.each(
    storiesWith([
      'The Senate upheld the veto.',
      'President',
      'Reagan was away. Critics warned of mass.',
      'Deportations followed.',
    ]),
  )('%s: a sentence end at a line end is still a break', (_format, story) => {
    // `President` alone on a line joins the next; `mass.` ends a sentence, so no phrase spans it.
    expect(matched(story)).toEqual(['person:"Ronald Reagan"']);
  });
});

describe('invisible characters and apostrophes', () => {
  const story = (body: string): Story =>
    parseStory(encode(JSON.stringify({ wirewatch: 1, id: 'w2', headline: 'x', body })));
  const matches = (query: string, body: string): boolean =>
    compileSubscriptions([{ id: 'q', query }]).index.match(story(body)).length > 0;

  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width joiner', '\u200d'],
    ['word joiner', '\u2060'],
    ['soft hyphen', '\u00ad'],
    ['byte order mark', '\ufeff'],
  ])('a %s inside a word does not split it', (_name, invisible) => {
    expect(matches('deportation', `Plans for deport${invisible}ation were shelved.`)).toBe(true);
    expect(matches('"deport ation"', `Plans for deport${invisible}ation were shelved.`)).toBe(false);
  });

  it('curly, straight and modifier apostrophes are the same', () => {
    expect(matches('person:"Conan O\'Brien"', 'Conan O\u2019Brien\u2019s show ended.')).toBe(true);
    expect(matches('"won\u2019t"', "They won't go.")).toBe(true);
    expect(matches('"won\'t"', 'They won\u02bct go.')).toBe(true);
    expect(matches('"won\'t"', 'They won t go.')).toBe(false);
  });
});

describe('datelines with a date or an agency', () => {
  it.each([
    ['WASHINGTON, March 26 (Reuters) - The Senate met.', 'WASHINGTON'],
    ['LONDON, Jan. 5 - Shares fell.', 'LONDON'],
    ['NEW YORK, Oct 19, 1987 (AP) -- Stocks fell.', 'NEW YORK'],
    ['WASHINGTON (Reuters) - The Senate met.', 'WASHINGTON'],
    ['Washington, March 26 - The Senate met.', ''],
    ['The Senate, March 26 (Reuters) - met.', ''],
  ])('%j -> %j', (body, dateline) => {
    expect(
      parseStory(encode(JSON.stringify({ uri: 'urn:d', headline: 'x', body_text: body }))).dateline,
    ).toBe(dateline);
  });
});

describe("people named by the story's metadata count as full-name mentions", () => {
  const ninjs = (people: unknown[]): Story =>
    parseStory(
      encode(
        JSON.stringify({
          uri: 'urn:m',
          headline: 'ASSAD VOWS TO RETAKE IDLIB',
          body_text: 'Assad said so.',
          people,
        }),
      ),
    );
  const matches = (story: Story): boolean =>
    compileSubscriptions([{ id: 'q', query: 'person:"Bashar al-Assad"' }]).index.match(story).length > 0;

  it('ninjs people: a bare surname and a headline in capitals count', () => {
    expect(matches(ninjs([{ name: 'Bashar al-Assad' }]))).toBe(true);
  });

  it('ninjs people naming someone else with the surname do not', () => {
    expect(matches(ninjs([{ name: 'Hafez al-Assad' }]))).toBe(false);
    expect(matches(ninjs([]))).toBe(false);
  });

  it('NITF <person> elements count', () => {
    const xml = replaceOnce(
      fixtureText('nitf-bridge.xml'),
      'Council leader <person>Tom Pike</person> said traffic would be limited to cars &#8211; buses return in May.',
      'The bridge was named after <person>Bashar al-Assad</person>. Assad did not attend.',
    );
    const story = parseStory(encode(xml));
    expect(story.people).toContain('Bashar al-Assad');
    const { index } = compileSubscriptions([{ id: 'q', query: 'person:"Bashar al-Assad"' }]);
    expect(index.match(story).map((match) => match.hits.map((hit) => hit.text))).toEqual([
      ['Bashar al-Assad', 'Assad'],
    ]);
  });
});
