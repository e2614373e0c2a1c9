import { stemmer as germanStemmer } from '@orama/stemmers/german';
import { stemmer as spanishStemmer } from '@orama/stemmers/spanish';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../../../functions/core/matching/text/fold.ts';
import {
  languageStem,
  languageStems,
  STEMMED_LANGUAGES,
  stemmedLanguage,
} from '../../../functions/core/matching/text/language-stemmers.ts';
import { aStory } from '../../support/stories.ts';
import { hitTexts, matchesBody } from './helpers.ts';

describe('keywords inflect by the story language', () => {
  it('Spanish: deportación matches deportaciones, and the reverse, in a Spanish story', () => {
    expect(
      hitTexts(
        'deportación',
        aStory({ language: 'es', headline: '', body: 'Las deportaciones aumentaron.' }),
      ),
    ).toEqual(['deportaciones']);
    expect(matchesBody('deportaciones', 'Una deportación más.', { language: 'es-MX' })).toBe(true);
    expect(matchesBody('inmigrante', 'Los inmigrantes llegaron.', { language: 'es' })).toBe(true);
  });

  it('German: Abschiebung matches Abschiebungen in a German story', () => {
    expect(matchesBody('Abschiebung', 'Die Abschiebungen nahmen zu.', { language: 'de' })).toBe(true);
    expect(matchesBody('Flüchtlinge', 'Ein Flüchtling kam an.', { language: 'de-CH' })).toBe(true);
    expect(matchesBody('Fluchtling', 'Die Flüchtlinge kamen an.', { language: 'de' })).toBe(true);
  });

  it('English stories keep the English rules, and so do stories in other or unknown languages', () => {
    expect(matchesBody('Abschiebung', 'Die Abschiebungen nahmen zu.', { language: 'en' })).toBe(false);
    expect(matchesBody('deportación', 'Las deportaciones aumentaron.', { language: undefined })).toBe(false);
    expect(matchesBody('deportation', 'Deportations rose.', { language: 'en' })).toBe(true);
    expect(matchesBody('deport', 'Deportations rose.', { language: 'en' })).toBe(false);
    expect(matchesBody('operations', 'They are operating.', { language: 'en' })).toBe(false);
  });

  it('phrases and acronyms stay exact in every language', () => {
    expect(matchesBody('"las deportación"', 'Las deportaciones aumentaron.', { language: 'es' })).toBe(false);
    expect(matchesBody('"las deportaciones"', 'Las deportaciones aumentaron.', { language: 'es' })).toBe(
      true,
    );
    expect(matchesBody('EU', 'La eu dijo.', { language: 'es' })).toBe(false);
    expect(matchesBody('EU', 'La EU dijo.', { language: 'es' })).toBe(true);
  });
});

describe('language-stemmers', () => {
  it('finds the stemmed language of a tag', () => {
    expect([stemmedLanguage('es'), stemmedLanguage('es-MX'), stemmedLanguage('DE_at')]).toEqual([
      'es',
      'es',
      'de',
    ]);
    expect([stemmedLanguage('en'), stemmedLanguage('est'), stemmedLanguage(undefined)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('stems a word as written and folds the stem (folding stays language-independent)', () => {
    expect(languageStem('es', 'Deportación')).toBe('deport');
    expect(languageStem('de', 'Abschiebungen')).toBe('abschieb');
    expect(languageStem('de', 'Straße')).toBe('strass');
  });

  it('gives a query word nothing extra when every language stems it as English does', () => {
    expect(languageStems('deportation', 'deportation')).toBeUndefined();
    expect(languageStems('Abschiebungen', 'abschiebungen')).toEqual({ es: 'abschiebung', de: 'abschieb' });
  });
});

describe('languageStem skips the stemmer only where it would change nothing', () => {
  // Lower-case ASCII words, often ending in the letters the suffixes end in.
  const word = fc
    .tuple(
      fc.stringMatching(/^[a-z]{0,10}$/),
      fc.constantFrom(
        '',
        'a',
        'i',
        'u',
        'y',
        'l',
        'c',
        'lich',
        'isch',
        'heit',
        'keit',
        'ung',
        'ig',
        'ik',
        'end',
      ),
    )
    .map(([stem, end]) => stem + end)
    .filter((text) => text.length > 0);

  it.each(STEMMED_LANGUAGES)(
    '%s: the same stem as the Snowball stemmer, for any lower-case word',
    (language) => {
      const snowball = language === 'es' ? spanishStemmer : germanStemmer;
      fc.assert(
        fc.property(word, (text) => {
          expect(languageStem(language, text)).toBe(fold(snowball(text)));
        }),
        { numRuns: 20_000 },
      );
    },
  );

  it('leaves words with nothing to strip as they are, and still stems the rest', () => {
    expect(languageStem('de', 'kopitenana')).toBe('kopitenana');
    expect(languageStem('es', 'kopitenani')).toBe('kopitenani');
    expect(languageStem('es', 'kopitenana')).toBe(fold(spanishStemmer('kopitenana')));
    expect(languageStem('de', 'abschiebungen')).toBe('abschieb');
    expect(languageStem('es', 'deportaciones')).toBe('deport');
  });
});
