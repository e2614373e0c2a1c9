import { describe, expect, it } from 'vitest';
import { ANPA_URGENCY } from '../../../functions/core/stories/formats/anpa.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { fixture, parseError } from './support.ts';

/** An ANPA-1312 transmission with the given priority/category header, ^ lines and text lines. */
function anpa({
  header = 'r a\u0013\u0011 BC-US--Test-Story   04-02 0100',
  lines = ['^BC-US--Test Story,100<', '^Test headline<'],
  text = ['\t   CITY (AP) _ Text of the story.'],
  trailer = '\t   \u0003AP-WF-04-02-26 1547GMT<',
}: {
  header?: string;
  lines?: string[];
  text?: string[];
  trailer?: string;
} = {}): string {
  return [
    '\u0016\u0016\u0001a0001\u001fexample',
    header,
    `\u0002${lines.join('\r\n')}`,
    ...text,
    '',
    trailer,
    '\f',
    '\u0004',
  ].join('\r\n');
}

describe('ANPA-1312', () => {
  const story = parseStory(fixture('anpa-strike.tst'));

  it('reads the control-character structure: header, ^ lines, text and trailer', () => {
    expect(story.format).toBe('anpa');
    expect(story.slugline).toBe('BC-EU--Harbour Strike');
    expect(story.headline).toBe('Dock workers end strike at Example Harbour');
    expect(story.authors).toEqual(['Jane Doe', 'Ravi Kumar']);
    expect(story.dateline).toBe('EXAMPLE CITY');
    expect(story.publishedAt).toBe('2026-04-02T15:47:00Z');
    expect(story.source).toBe('AP');
    expect(story.keywords).toEqual(['BC-EU--Harbour-Strike']);
    expect(story.subjects).toEqual(['International news']);
  });

  it('maps the take key 2ndLd-Writethru to version 3, status update, and priority u to urgency 3', () => {
    expect(story.version).toBe(3);
    expect(story.status).toBe('update');
    expect(story.urgency).toBe(3);
  });

  it('joins hard-wrapped lines into paragraphs and drops separators, notes and credits', () => {
    expect(story.body).toBe(
      'EXAMPLE CITY (AP) _ Dock workers ended a two-week strike on Thursday, the union said.\n\nThe union said members voted to accept a new pay offer from the harbour company.',
    );
    expect(story.body).not.toMatch(/Eds:|___|contributed|AP-WF/);
  });

  it('gives the write-throughs of a story the same id, and other stories another', () => {
    const firstTake = parseStory(anpa({ lines: ['^BC-US--Test Story,100<', '^Test headline<'] }));
    const writethru = parseStory(
      anpa({
        header: 'r a\u0013\u0011 BC-US--Test-Story 1stLd-Writethru  04-02 0100',
        lines: ['^BC-US--Test Story, 1st Ld-Writethru,100<', '^Test headline, changed<'],
      }),
    );
    expect(writethru.id).toBe(firstTake.id);
    expect(firstTake.version).toBe(1);
    expect(firstTake.status).toBe('usable');
    expect(writethru.version).toBe(2);
    const other = parseStory(anpa({ lines: ['^BC-US--Other Story,100<', '^Other<'] }));
    expect(other.id).not.toBe(firstTake.id);
  });

  it('maps priority letters to urgency as documented', () => {
    for (const [letter, urgency] of Object.entries(ANPA_URGENCY)) {
      const parsed = parseStory(anpa({ header: `${letter} a\u0013\u0011 BC-US--Test-Story   04-02 0100` }));
      expect(parsed.urgency).toBe(urgency);
    }
    expect(
      parseStory(anpa({ header: 'x a\u0013\u0011 BC-US--Test-Story   04-02 0100' })).urgency,
    ).toBeUndefined();
  });

  it('marks kills and corrections', () => {
    const kill = anpa({ header: 'f a\u0013\u0011 BC-US--Test-Story KILL  04-02 0100' });
    expect(parseStory(kill).status).toBe('killed');
    const correction = anpa({
      lines: ['^BC-US--Test Story,100<', '^Test headline<', '^Eds: Corrects spelling of name.<'],
    });
    expect(parseStory(correction).status).toBe('correction');
  });

  it('uses un-terminated ^ lines as the text when there is no other text (lists of headlines)', () => {
    const list = parseStory(
      anpa({
        lines: ['^AP-Top-Headlines,0100<', '^AP Top News at 9 a.m.<', '^First headline', '^Second headline'],
        text: [],
      }),
    );
    expect(list.headline).toBe('AP Top News at 9 a.m.');
    expect(list.body).toBe('First headline\n\nSecond headline');
  });

  it('reads Windows-1252 bytes, and text without the STX/ETX frame when told it is ANPA', () => {
    const bytes = Uint8Array.from(
      Buffer.from(anpa({ lines: ['^BC-US--T,1<', '^Caf\u00e9 opens<'] }), 'latin1'),
    );
    expect(parseStory(bytes).headline).toBe('Caf\u00e9 opens');
    const bare = parseStory('\t   PARIS (AP) _ Bare text.', { format: 'anpa' });
    expect(bare.body).toBe('PARIS (AP) _ Bare text.');
    expect(bare.publishedAt).toBeUndefined();
  });

  it('gives framed text without a slug an id from its text, so different stories never share one', () => {
    const one = parseStory('\t   PARIS (AP) _ One story.', { format: 'anpa' });
    const two = parseStory('\t   PARIS (AP) _ Another story.', { format: 'anpa' });
    expect(one.id).not.toBe(two.id);
  });

  it('leaves IPTC 7901 (a bare SOH, no SYN) to a clear unknown-format error', () => {
    const iptc7901 = '\u0001abc0001 3 i 93 xyz 0100\r\n\u0002EXTRA Headline =\nText.\u0003';
    const error = parseError(() => parseStory(iptc7901));
    expect(error.code).toBe('unknown-format');
    expect(error.message).toContain('IPTC 7901');
  });

  it('refuses a transmission without any text', () => {
    expect(parseError(() => parseStory(anpa({ lines: [], text: [] }))).code).toBe('missing-field');
  });
});
