import { describe, expect, it } from 'vitest';
import { dowJonesTimestamp } from '../../../functions/core/stories/formats/dowjones.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { fixture, fixtureText, parseError } from './support.ts';

const TRAILER = '  (END) Dow Jones Newswires\n  January 14, 2026 09:05 ET (14:05 GMT)\n';

function djStory(lines: string[], trailer = TRAILER): string {
  return `\n${lines.map((line) => `  ${line} `).join('\n')}\n${trailer}`;
}

describe('Dow Jones Newswires text', () => {
  const story = parseStory(fixture('dowjones-port.txt'));

  it('reads byline, dateline, bullets, time and source', () => {
    expect(story.format).toBe('dowjones');
    expect(story.authors).toEqual(['Maria Lindqvist', 'Tomas Berg']);
    expect(story.dateline).toBe('GOTHENBURG');
    expect(story.summary).toEqual([
      'Harbour authority approves a second container terminal',
      'Construction to start in the spring, officials say',
    ]);
    expect(story.publishedAt).toBe('2026-01-15T02:30:00Z'); // 21:30 ET is 02:30 GMT the next day
    expect(story.source).toBe('Dow Jones Newswires');
    expect(story.language).toBe('en');
    expect(story.status).toBe('usable');
    expect(story.version).toBe(1);
    expect(story.headline).toBe('');
  });

  it('keeps only the story text: no byline, dateline, contact, trailer, timestamp or copyright', () => {
    const paragraphs = story.body.split('\n\n');
    expect(paragraphs).toHaveLength(3);
    expect(paragraphs[0]).toMatch(/^The port of Gothenburg will build/);
    expect(paragraphs[2]).toMatch(/chairman Erik Sand said\.$/);
    expect(story.body).not.toMatch(
      /Write to|Subscribe|Dow Jones Newswires|Copyright|GMT|By Maria|GOTHENBURG--/,
    );
  });

  it('derives a stable id from the text and date, so the same story sent twice has the same id', () => {
    expect(story.id).toMatch(/^djn-[0-9a-f]{20}$/);
    const resent = fixtureText('dowjones-port.txt').replaceAll('  ', '   ');
    expect(parseStory(resent).id).toBe(story.id);
    const otherStory = djStory(['LONDON--Another story entirely.']);
    expect(parseStory(otherStory).id).not.toBe(story.id);
  });

  it('reads "By A, B and C" bylines and keeps "By comparison" sentences as text', () => {
    const parsed = parseStory(
      djStory([
        'By Ann Lee, Bo Chan and Cy Dorn',
        'TOKYO--Shares rose.',
        'By comparison, bonds fell 1.5% on the day.',
      ]),
    );
    expect(parsed.authors).toEqual(['Ann Lee', 'Bo Chan', 'Cy Dorn']);
    expect(parsed.body).toBe('Shares rose.\n\nBy comparison, bonds fell 1.5% on the day.');
  });

  it('uses a headline line that stands before the byline, and only then', () => {
    const withHeadline = parseStory(
      djStory(['Tokyo Shares Rise On Exporters', 'By Ann Lee', 'TOKYO--Shares rose.']),
    );
    expect(withHeadline.headline).toBe('Tokyo Shares Rise On Exporters');
    expect(withHeadline.body).toBe('Shares rose.');
    const withoutByline = parseStory(
      djStory(['Shares rose on Monday in a quiet session', 'Bonds were flat.']),
    );
    expect(withoutByline.headline).toBe('');
    expect(withoutByline.body.split('\n\n')).toHaveLength(2);
  });

  it('ends the text at any contact line and drops the boilerplate after it', () => {
    for (const contact of [
      '-Write to Ann Lee at ann@example.com',
      'Kontakt zum Autor: ann@example.com',
      'Contact us in London. +44-20-0000-0000',
      '-Frankfurt Bureau, Dow Jones Newswires; 49-69-0000',
    ]) {
      const parsed = parseStory(
        djStory(['TOKYO--Shares rose.', contact, 'DJG/abc/def', 'Order free Annual Report']),
      );
      expect(parsed.body).toBe('Shares rose.');
    }
  });

  it('marks corrections: DJ correction notices and (Corrects ...) notes', () => {
    const notice = parseStory(
      djStory(['"Widget Output Up 19.% on Year," at 1000 GMT, misstated the change. Output rose 1.9%.']),
    );
    expect(notice.status).toBe('correction');
    const note = parseStory(
      djStory(['(Corrects spelling of name in second paragraph.)', 'TOKYO--Shares rose.']),
    );
    expect(note.status).toBe('correction');
    expect(note.body).toBe('Shares rose.');
  });

  it('marks updates from editor notes such as (Adds ...) and (NEU: ...)', () => {
    expect(parseStory(djStory(['(Adds comment from the company.)', 'TOKYO--Shares rose.'])).status).toBe(
      'update',
    );
    expect(parseStory(djStory(['(NEU: Details)', 'MÜNCHEN--Die Aktie stieg.'])).status).toBe('update');
  });

  it('reads MORE TO FOLLOW takes as usable stories', () => {
    const take = parseStory(
      djStory(
        ['TOKYO--Shares rose.'],
        '  (MORE TO FOLLOW) Dow Jones Newswires\n  January 14, 2026 09:05 ET (14:05 GMT)',
      ),
    );
    expect(take.status).toBe('usable');
    expect(take.publishedAt).toBe('2026-01-14T14:05:00Z');
  });

  it('reads German stories: Von ... und ..., language de', () => {
    const german = parseStory(
      djStory([
        'Von Ursula Beispiel und Karl Muster',
        'MÜNCHEN--Der Konzern hat im ersten Quartal mehr verdient, als die Analysten erwartet hatten.',
        'Die Aktie stieg um 3 Prozent und war damit der größte Gewinner im Index.',
      ]),
    );
    expect(german.authors).toEqual(['Ursula Beispiel', 'Karl Muster']);
    expect(german.dateline).toBe('MÜNCHEN');
    expect(german.language).toBe('de');
  });

  const FLASH_TRAILER = '  (MORE TO FOLLOW) Dow Jones Newswires\n  March 03, 2026 10:15 ET (15:15 GMT)\n';

  it('reads a headline-only flash: its one line before the trailer is the headline', () => {
    const flash = parseStory(djStory(['Acme Widgets Raises 2026 Sales Target to $4 Billion'], FLASH_TRAILER));
    expect(flash.headline).toBe('Acme Widgets Raises 2026 Sales Target to $4 Billion');
    expect(flash.body).toBe('');
    expect(flash.status).toBe('usable');
    expect(flash.publishedAt).toBe('2026-03-03T15:15:00Z');
    expect(flash.id).toMatch(/^djn-[0-9a-f]{20}$/);
    // A one-sentence story is text, not a headline.
    const sentence = parseStory(djStory(['Acme Widgets raised its sales target on Tuesday.'], FLASH_TRAILER));
    expect(sentence.headline).toBe('');
    expect(sentence.body).toBe('Acme Widgets raised its sales target on Tuesday.');
  });

  it('keeps a flash that has only the trailer, with the trailer as headline and its own id per minute', () => {
    const flash = parseStory(`\n${FLASH_TRAILER}`);
    expect(flash.format).toBe('dowjones');
    expect(flash.headline).toBe('(MORE TO FOLLOW) Dow Jones Newswires');
    expect(flash.body).toBe('');
    expect(flash.status).toBe('usable');
    expect(flash.publishedAt).toBe('2026-03-03T15:15:00Z');
    const later = parseStory(`\n${FLASH_TRAILER.replace('10:15 ET (15:15', '10:16 ET (15:16')}`);
    expect(later.publishedAt).toBe('2026-03-03T15:16:00Z');
    expect(later.id).not.toBe(flash.id);
  });

  it('refuses Dow Jones text with neither a trailer nor any text: nothing to alert on', () => {
    const error = parseError(() => parseStory('\n  March 03, 2026 10:15 ET (15:15 GMT)\n'));
    expect(error.code).toBe('missing-field');
    expect(error.message).toContain('no headline and no body text');
  });
});

describe('dowJonesTimestamp', () => {
  it('takes the GMT time, rolling over to the next day and year', () => {
    expect(dowJonesTimestamp('February 23, 2017 15:13 ET (20:13 GMT)')).toBe('2017-02-23T20:13:00Z');
    expect(dowJonesTimestamp('December 31, 2025 21:30 ET (02:30 GMT)')).toBe('2026-01-01T02:30:00Z');
  });

  it('applies US Eastern time when the GMT part is missing', () => {
    expect(dowJonesTimestamp('January 14, 2026 09:05 ET')).toBe('2026-01-14T14:05:00Z');
    expect(dowJonesTimestamp('July 14, 2026 09:05 ET')).toBe('2026-07-14T13:05:00Z');
  });

  it('rejects impossible dates and other lines', () => {
    expect(dowJonesTimestamp('February 30, 2017 15:13 ET (20:13 GMT)')).toBeUndefined();
    expect(dowJonesTimestamp('Smarch 03, 2017 15:13 ET (20:13 GMT)')).toBeUndefined();
    expect(dowJonesTimestamp('The meeting is at 15:13 ET')).toBeUndefined();
  });
});

describe('Dow Jones API NewsDetail records', () => {
  const text = djStory(['By Ann Lee', 'TOKYO--Shares rose.']);
  const record = {
    StoryId: 1234567,
    Headline: 'UPDATE: Tokyo Shares Rise',
    PublishDate: '/Date(1768399500000)/',
    Story: text,
  };

  it('uses the record id, headline and publish time', () => {
    for (const input of [record, { NewsDetail: record }]) {
      const parsed = parseStory(JSON.stringify(input));
      expect(parsed.format).toBe('dowjones');
      expect(parsed.id).toBe('djn-1234567');
      expect(parsed.headline).toBe('UPDATE: Tokyo Shares Rise');
      expect(parsed.publishedAt).toBe('2026-01-14T14:05:00Z');
      expect(parsed.status).toBe('update');
      expect(parsed.authors).toEqual(['Ann Lee']);
    }
  });

  it('refuses a record without Story text', () => {
    const error = parseError(() =>
      parseStory(JSON.stringify({ StoryId: 1, Story: 5 }), { format: 'dowjones' }),
    );
    expect(error.code).toBe('missing-field');
  });
});
