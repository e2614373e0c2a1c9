/**
 * Keyword inflection for story languages other than English: Spanish and German, with the Snowball
 * stemmers of `@orama/stemmers` (Apache-2.0, about 15 KB minified for both). English keeps the light
 * plural rules of stem.ts. The Snowball rules read accents (`-ación`), so a word is stemmed as written
 * (lower case) and the stem is folded afterwards: folding stays the same for every language.
 */
import { stemmer as germanStemmer } from '@orama/stemmers/german';
import { stemmer as spanishStemmer } from '@orama/stemmers/spanish';
import { fold } from './fold.ts';

/** Languages whose keywords inflect by their own rules, by primary language subtag. */
export const STEMMED_LANGUAGES = ['es', 'de'] as const;
export type StemmedLanguage = (typeof STEMMED_LANGUAGES)[number];

const STEMMERS: Readonly<Record<StemmedLanguage, (word: string) => string>> = {
  es: spanishStemmer,
  de: germanStemmer,
};

/** The stemmed language of a BCP 47 tag (`es-MX` -> `es`), or undefined for English and the rest. */
export function stemmedLanguage(tag: string | undefined): StemmedLanguage | undefined {
  if (tag === undefined) return undefined;
  const primary = tag.slice(0, 2).toLowerCase();
  if (tag.length > 2 && tag[2] !== '-' && tag[2] !== '_') return undefined;
  return primary === 'es' || primary === 'de' ? primary : undefined;
}

/**
 * The last letters of every suffix each stemmer removes or replaces (their Snowball rules, checked in
 * test/core/matching/language-stemmers.test.ts). Neither stemmer changes anything but the word's end, apart
 * from marks its prelude sets and its postlude undoes, and accents an ASCII word has none of: so a lower-case
 * ASCII word ending in another letter is its own stem, and needs no stemmer run (compile meets a million new
 * names and words).
 */
const SUFFIX_LAST_LETTERS: Readonly<Record<StemmedLanguage, string>> = {
  es: 'adenors',
  de: 'degkhmnrst',
};

/** True when the word is lower-case ASCII letters ending in none of the language's suffixes' last letters. */
function isOwnStem(language: StemmedLanguage, word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  return !SUFFIX_LAST_LETTERS[language].includes(word.charAt(word.length - 1));
}

/** The folded stem of a word as written (`Abschiebungen` -> `abschieb`), by the language's rules. */
export function languageStem(language: StemmedLanguage, written: string): string {
  if (isOwnStem(language, written)) return written;
  let word = written;
  // Most words have no apostrophe or dot: no need to rebuild them a character at a time (compile stems
  // every keyword of a million queries in two languages).
  if (written.includes("'") || written.includes('\u2019') || written.includes('.')) {
    word = '';
    for (const char of written) if (char !== "'" && char !== '\u2019' && char !== '.') word += char;
  }
  return fold(STEMMERS[language](word.toLowerCase()));
}

/**
 * A query word's stems in each stemmed language, or undefined when they all equal its English stem
 * (most English words), so that plain queries carry nothing extra.
 */
export function languageStems(written: string, englishStem: string): Record<string, string> | undefined {
  let stems: Record<string, string> | undefined;
  for (const language of STEMMED_LANGUAGES) {
    const stemmed = languageStem(language, written);
    if (stemmed === englishStem) continue;
    stems ??= {};
    stems[language] = stemmed;
  }
  return stems;
}
