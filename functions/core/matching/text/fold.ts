/**
 * Case and accent folding: `Peña` -> `pena`, `ÉTAT` -> `etat`, `Straße` -> `strasse`.
 * Applied to single words (story tokens and query words), never to whole texts, so that offsets
 * into the original text stay exact.
 */

// Letters that Unicode decomposition does not split into a base letter plus a mark.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
};

// A fixed pattern, never built from input: combining marks left over after NFKD decomposition.
const COMBINING_MARKS = /\p{M}/gu;
const SPECIAL_LETTER_PATTERN = /[ßæœøđðłıþ]/g;

function isPlainAscii(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) > 0x7f) return false;
  }
  return true;
}

/** Folds accents away, keeping case: `Peña` -> `Pena`. Used for case-sensitive acronym checks. */
export function foldAccents(word: string): string {
  if (isPlainAscii(word)) return word;
  return word
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(SPECIAL_LETTER_PATTERN, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .replace(/[ÆŒØĐÐŁÞ]/g, (letter) => (SPECIAL_LETTERS[letter.toLowerCase()] ?? letter).toUpperCase());
}

/** Lower case, no accents: the form words are compared in. */
export function fold(word: string): string {
  if (isPlainAscii(word)) return word.toLowerCase();
  return foldAccents(word).toLowerCase();
}
