import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../functions/core/stories/dates.ts';
import { decodeHtmlEntities, decodeXmlEntities } from '../../../functions/core/stories/entities.ts';
import { htmlParagraphs } from '../../../functions/core/stories/markup.ts';
import { authorsFromByline, looksLikePersonName } from '../../../functions/core/stories/names.ts';
import { detectFormat } from '../../../functions/core/stories/parse.ts';
import {
  cleanDateline,
  datelineFromParagraph,
  derivedId,
  plainTextParagraphs,
  trimCredits,
} from '../../../functions/core/stories/text.ts';
import { fixtureText } from './support.ts';

describe('plainTextParagraphs', () => {
  it('splits at blank lines, joining wrapped lines', () => {
    expect(plainTextParagraphs('One line\nwrapped.\n\nTwo.\n')).toEqual(['One line wrapped.', 'Two.']);
  });

  it('splits wire copy at indented lines, joining unindented continuations', () => {
    expect(plainTextParagraphs('   First para\ncontinues.\n   Second para\ncontinues.\n\n   Third.')).toEqual(
      ['First para continues.', 'Second para continues.', 'Third.'],
    );
  });

  it('makes each line a paragraph when there is neither', () => {
    expect(plainTextParagraphs('Headline\r\nDesk\rText.')).toEqual(['Headline', 'Desk', 'Text.']);
  });
});

describe('authorsFromByline', () => {
  it.each([
    ['By Felicia Schwartz and Robbie Whelan', ['Felicia Schwartz', 'Robbie Whelan']],
    ['By A. Smith, Bo Chan and Cy Dorn', ['A. Smith', 'Bo Chan', 'Cy Dorn']],
    ['By BERNARD CONDON', ['Bernard Condon']],
    ['By Sam Lister, Press Association Political Correspondent', ['Sam Lister']],
    ["Paulo Santalucia and Frances d'Emilio", ['Paulo Santalucia', "Frances d'Emilio"]],
    ['Von Ursula Quass und Archibald Preuschat', ['Ursula Quass', 'Archibald Preuschat']],
    ['Geir Molnes / Faktisk.no', ['Geir Molnes']],
    ['By Caroline Van Hasselt', ['Caroline Van Hasselt']],
    ['By The Associated Press', []],
    ['By Staff Reporter', []],
    ['By comparison, the index fell 2%.', []],
  ])('%s -> %j', (byline, authors) => {
    expect(authorsFromByline(byline)).toEqual(authors);
  });

  it('recognises names, not sentences, organisations or user ids', () => {
    expect(looksLikePersonName('Robb M. Stewart')).toBe(true);
    expect(looksLikePersonName('Reuters')).toBe(false);
    expect(looksLikePersonName('degenhardt.sandra')).toBe(false);
    expect(looksLikePersonName('shares rose on Monday')).toBe(false);
    expect(looksLikePersonName('Bashar al-Assad')).toBe(true);
    expect(looksLikePersonName('Bashar al-assad')).toBe(false);
  });
});

describe('datelines', () => {
  it('finds the place before an agency credit or a dash', () => {
    expect(datelineFromParagraph('FORT WASHINGTON, Pa. (AP) _ Nutrisystem reported.')).toBe(
      'FORT WASHINGTON, Pa.',
    );
    expect(datelineFromParagraph('London (dpa) - 2019 gab es Tr\u00e4nen.')).toBe('London');
    expect(datelineFromParagraph('OTTAWA - A Manitoba man is facing charges.')).toBe('OTTAWA');
    expect(datelineFromParagraph('Jan 3 (Reuters) - Residents waited.')).toBeUndefined();
    expect(datelineFromParagraph('The minister (right) - smiling - spoke.')).toBeUndefined();
  });

  it('cleans dateline elements and ignores timestamps', () => {
    expect(cleanDateline('London (dpa) - ')).toBe('London');
    expect(cleanDateline('2014-07-16 15:53:10 GMT+00:00')).toBeUndefined();
    expect(cleanDateline('  ')).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2015-12-10T19:10:44Z', '2015-12-10T19:10:44Z'],
    ['20131020T192751+1100', '2013-10-20T08:27:51Z'],
    ['20200703T165136-0400', '2020-07-03T20:51:36Z'],
    ['2017-08-24T01:58:40+0000', '2017-08-24T01:58:40Z'],
    ['2013-03-01T15:09:04.000Z', '2013-03-01T15:09:04Z'],
    ['2016-01-12 12:35:40', '2016-01-12T12:35:40Z'],
    ['2026-02-03', '2026-02-03T00:00:00Z'],
  ])('%s -> %s', (text, iso) => {
    expect(parseTimestamp(text)).toBe(iso);
  });

  it('rejects placeholders and impossible dates', () => {
    for (const text of [
      'YYYYMMDD000000-HHMM',
      '2026-13-01T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '',
    ]) {
      expect(parseTimestamp(text)).toBeUndefined();
    }
  });
});

describe('entities and HTML', () => {
  it('decodes the five XML entities and character references once, nothing else', () => {
    expect(
      decodeXmlEntities('&lt;&gt;&amp;&quot;&apos; &amp;lt; &nbsp; &#169; &#x20AC; &#xD800; &#99999999;'),
    ).toBe('<>&"\' &lt; &nbsp; \u00a9 \u20ac \ufffd &#99999999;');
    expect(decodeHtmlEntities('caf&eacute; &mdash; &nbsp;&bogus;')).toBe('caf\u00e9 \u2014 \u00a0&bogus;');
  });

  it('stays linear on text full of ampersands and angle brackets', () => {
    // Linear by construction (hand-written scans, no backtracking): a quadratic or backtracking version would not
    // finish within the test's timeout on these sizes. Speed is measured in `npm run bench`, not asserted here.
    expect(decodeHtmlEntities('&'.repeat(1_000_000))).toBe('&'.repeat(1_000_000));
    expect(Array.isArray(htmlParagraphs('<a'.repeat(300_000)))).toBe(true);
    expect(Array.isArray(htmlParagraphs('<p title="x>'.repeat(50_000)))).toBe(true);
  });

  it('reads unclosed and odd HTML without losing text', () => {
    expect(
      htmlParagraphs('<p>One<br>two</p><P CLASS="x">Three</P><!-- hidden --><p>x < y > z</p>Tail'),
    ).toEqual(['One two', 'Three', 'x < y > z', 'Tail']);
  });
});

describe('derivedId and trimCredits', () => {
  it('derives the same id from the same parts whatever the spacing and case', () => {
    expect(derivedId('djn', 'Some  Text', '2026-01-01')).toBe(derivedId('djn', 'some text', '2026-01-01'));
    expect(derivedId('djn', 'Some text', '2026-01-02')).not.toBe(derivedId('djn', 'Some text', '2026-01-01'));
  });

  it('drops separators and trailing credit lines only', () => {
    expect(
      trimCredits([
        'Text.',
        '___',
        'Reporting by Ann Lee; Editing by Bo Chan',
        '(Additional reporting by Cy Dorn)',
      ]),
    ).toEqual(['Text.']);
    expect(trimCredits(['Reporting by Ann Lee found nothing.', 'More text.'])).toEqual([
      'Reporting by Ann Lee found nothing.',
      'More text.',
    ]);
  });
});

describe('detectFormat', () => {
  it.each([
    ['dowjones-port.txt', 'dowjones'],
    ['nitf-bridge.xml', 'nitf'],
    ['newsml-message.xml', 'newsml-g2'],
    ['newsml-concept-person.xml', 'newsml-g2'],
    ['newsml1-harbour.xml', 'newsml-1'],
    ['ninjs-2.json', 'ninjs'],
    ['ninjs-3.json', 'ninjs'],
    ['anpa-strike.tst', 'anpa'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(fixtureText(name))).toBe(format);
  });

  it('detects envelopes and Dow Jones markers; returns undefined for anything else', () => {
    expect(detectFormat('{"wirewatch":1}')).toBe('envelope');
    expect(detectFormat('TOKYO--Shares rose.')).toBe('dowjones');
    expect(detectFormat('Some text\n  (END) Dow Jones Newswires')).toBe('dowjones');
    expect(detectFormat('{"broken":')).toBeUndefined();
    expect(detectFormat('<html/>')).toBeUndefined();
    expect(detectFormat('hello')).toBeUndefined();
  });
});
