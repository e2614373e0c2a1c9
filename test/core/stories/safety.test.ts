import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STORY_BYTES, StoryParseError } from '../../../functions/core/stories/errors.ts';
import { parseStories, parseStory } from '../../../functions/core/stories/parse.ts';
import { STORY_FORMATS } from '../../../functions/core/stories/story.ts';
import { fixtureText, parseError } from './support.ts';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<nitf><body><body.content><p>&lol9;</p></body.content></body></nitf>`;

const FIXTURES = [
  'dowjones-port.txt',
  'nitf-bridge.xml',
  'newsml-message.xml',
  'newsml-concept-person.xml',
  'newsml1-harbour.xml',
  'newsml1-nitf-pair.xml',
  'ninjs-2.json',
  'ninjs-3.json',
  'anpa-strike.tst',
].map((name) => fixtureText(name));

describe('size and emptiness', () => {
  it('refuses empty and whitespace-only input', () => {
    for (const input of [
      '',
      '  \n\t ',
      '\ufeff  ',
      new Uint8Array(0),
      Uint8Array.of(0xef, 0xbb, 0xbf, 0x20),
    ]) {
      expect(parseError(() => parseStory(input)).code).toBe('empty');
    }
  });

  it('refuses a 2 MiB input before any decoding (string and bytes)', () => {
    const bytes = new Uint8Array(2 * MAX_STORY_BYTES).fill(0x61);
    const text = '<a>'.repeat((2 * MAX_STORY_BYTES) / 3);
    for (const input of [bytes, text]) {
      const result = parseError(() => parseStory(input));
      expect(result.code).toBe('too-large');
      expect(result.message).toContain('1 MiB');
    }
  });

  it('counts bytes, not characters, and accepts a story of exactly 1 MiB', () => {
    const head = '{"wirewatch":1,"id":"big","body":"';
    const tail = '"}';
    const exact = head + 'a'.repeat(MAX_STORY_BYTES - head.length - tail.length) + tail;
    expect(Buffer.byteLength(exact)).toBe(MAX_STORY_BYTES);
    expect(parseStory(exact).id).toBe('big');
    const multiByte = head + '\u00e9'.repeat(MAX_STORY_BYTES / 2) + tail; // fewer characters than bytes
    expect(multiByte.length).toBeLessThan(MAX_STORY_BYTES);
    expect(parseError(() => parseStory(multiByte)).code).toBe('too-large');
  });
});

describe('XML safety', () => {
  it('refuses an entity-expansion bomb up front', () => {
    const result = parseError(() => parseStory(BILLION_LAUGHS));
    expect(result.code).toBe('doctype-forbidden');
  });

  it('refuses any DOCTYPE with an internal subset and any ENTITY declaration', () => {
    const subset = '<!DOCTYPE nitf [ <!ELEMENT nitf ANY> ]><nitf/>';
    expect(parseError(() => parseStory(subset)).code).toBe('doctype-forbidden');
    const entity = '<nitf><!ENTITY x "y"></nitf>';
    expect(parseError(() => parseStory(entity, { format: 'nitf' })).code).toBe('doctype-forbidden');
    const external =
      '<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/evil.dtd" [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]><nitf>&e;</nitf>';
    expect(parseError(() => parseStory(external)).code).toBe('doctype-forbidden');
  });

  it('ignores a DOCTYPE that only names an external DTD (never fetched), keeping line numbers', () => {
    const doctype = '<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/nitf.dtd">\n';
    const good = `${doctype}<nitf><body><body.head><hedline><hl1>Headline</hl1></hedline></body.head></body></nitf>`;
    expect(parseStory(good).headline).toBe('Headline');
    const bad = parseError(() => parseStory(`${doctype}<nitf>\n<body></nitf>`));
    expect(bad.code).toBe('malformed-xml');
    expect(bad.message).toContain('line 4');
  });

  it('never expands entities: only the five XML ones and character references are decoded', () => {
    const xml =
      '<nitf><body><body.content><p>&lt;script&gt; &amp;amp; &nbsp; &#65;&#x42;</p></body.content></body></nitf>';
    expect(parseStory(xml).body).toBe('<script> &amp; &nbsp; AB');
  });

  it('reports malformed XML in one line with line and column', () => {
    const error = parseError(() => parseStory('<nitf>\n  <head>\n</nitf>'));
    expect(error.code).toBe('malformed-xml');
    expect(error.message).toMatch(/line \d+, column \d+/);
  });

  it('keeps the error of a huge malformed story to a few hundred characters, with line and column', () => {
    const huge = `<nitf>\n<body><body.content><p>${'wire copy '.repeat(90_000)}</p>\n<p>unclosed</body></nitf>`;
    const error = parseError(() => parseStory(huge));
    expect(error.code).toBe('malformed-xml');
    expect(error.message).toMatch(/line \d+, column \d+/);
    expect(error.message.length).toBeLessThanOrEqual(400);
  });

  it('refuses elements nested deeper than 100 levels', () => {
    const deep = `<nitf>${'<block>'.repeat(150)}x${'</block>'.repeat(150)}</nitf>`;
    const error = parseError(() => parseStory(deep));
    expect(error.code).toBe('malformed-xml');
    expect(error.message).toContain('nested deeper than 100');
  });
});

describe('formats and JSON', () => {
  it('refuses text in no known format, naming the accepted ones', () => {
    const error = parseError(() => parseStory('Just a note to say hello.'));
    expect(error.code).toBe('unknown-format');
    expect(error.message).toContain(
      'NITF, NewsML-G2, NewsML 1.x, ninjs, ANPA-1312, Dow Jones text or a Wirewatch JSON envelope',
    );
    expect(parseError(() => parseStory('<html><body>page</body></html>')).message).toContain('<html>');
  });

  it('reports malformed JSON with line and column', () => {
    const error = parseError(() => parseStory('{"wirewatch": 1,\n  "id": }'));
    expect(error.code).toBe('malformed-json');
    expect(error.message).toMatch(/line 2, column \d+/);
    expect(parseError(() => parseStory('{"wirewatch": 1, "id": "a"', { format: 'envelope' })).code).toBe(
      'malformed-json',
    );
  });

  it('refuses an unknown format hint', () => {
    const hint = 'xml' as (typeof STORY_FORMATS)[number];
    expect(parseError(() => parseStory('<nitf/>', { format: hint })).code).toBe('unknown-format');
  });

  it('strips a byte-order mark', () => {
    const text = '\ufeff{"wirewatch":1,"id":"bom","headline":"H"}';
    expect(parseStory(text).id).toBe('bom');
    expect(parseStory(new TextEncoder().encode(text)).id).toBe('bom');
  });
});

describe('robustness', () => {
  it('stays linear on pathological text (a quadratic scan would take minutes here)', () => {
    const n = 256 * 1024;
    const cases: [string, { format?: 'dowjones' }][] = [
      [`${'\n'.repeat(n)}x`, {}],
      [`${'\n'.repeat(n)}x`, { format: 'dowjones' }],
      [`By ${'A. '.repeat(n / 3)}\nTOKYO--${'-'.repeat(n)}`, { format: 'dowjones' }],
      [`(Adds ${'('.repeat(n)}\n${'--'.repeat(n / 2)}`, { format: 'dowjones' }],
      [
        `<newsItem guid="g"><contentMeta><headline>h</headline><creditline>${'-'.repeat(n)}x</creditline><dateline>${'- '.repeat(n / 2)}x</dateline></contentMeta></newsItem>`,
        {},
      ],
      [
        JSON.stringify({
          uri: 'u',
          headline: 'h',
          body_html: `<p title="${'x'.repeat(n)}`,
          by: ', '.repeat(n / 4),
        }),
        {},
      ],
      [JSON.stringify({ uri: 'u', headline: 'h', body_html: `${'&'.repeat(n)}${'<a'.repeat(n / 2)}` }), {}],
    ];
    for (const [text, options] of cases) {
      // Parsed or refused with a StoryParseError; a backtracking parser would not finish in the test's timeout.
      let outcome: unknown;
      try {
        outcome = parseStories(text, options);
      } catch (error) {
        outcome = error;
      }
      expect(Array.isArray(outcome) || outcome instanceof StoryParseError).toBe(true);
    }
  });

  it('throws only StoryParseError for damaged copies of every fixture, detected or hinted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.nat(),
        fc.nat({ max: 300 }),
        fc.string({ maxLength: 12 }),
        fc.constantFrom(undefined, ...STORY_FORMATS),
        (text, at, length, insert, format) => {
          const start = at % (text.length + 1);
          const damaged = text.slice(0, start) + insert + text.slice(start + length);
          try {
            for (const story of parseStories(damaged, { format })) {
              expect(story.id).not.toBe('');
              expect(`${story.headline}${story.body}`).not.toBe('');
            }
          } catch (error) {
            expect(error).toBeInstanceOf(StoryParseError);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('throws only StoryParseError for random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(undefined, ...STORY_FORMATS),
        (bytes, format) => {
          try {
            parseStories(bytes, { format });
          } catch (error) {
            expect(error).toBeInstanceOf(StoryParseError);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('XML errors', () => {
  it('quote at most a few hundred characters of the parser message, with line and column', () => {
    const huge = `<nitf><body>${'<p a="1" a="2">x</p>'.repeat(1)}${'y'.repeat(1_000_000)}`;
    let message = '';
    try {
      parseStory(huge, { format: 'nitf' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/line \d+, column \d+|cannot be read as XML/);
    expect(message.length).toBeLessThan(1000);
  });
});
