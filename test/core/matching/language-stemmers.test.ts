import { describe, expect, it } from 'vitest';
import {
  languageStem,
  languageStems,
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
