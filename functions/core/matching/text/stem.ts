/**
 * A light, predictable English stemmer for keyword queries: it only removes plural and
 * third-person `-s` endings, so that `deportation` matches `deportations` and `immigrant`
 * matches `immigrants`. Possessive `'s` is removed earlier, by the tokenizer.
 *
 * Rules, applied to a folded (lower case, unaccented) word, first match wins:
 *  1. Words of 3 letters or fewer, words with a digit, and a few fixed words (`news`, `series`...)
 *     are left alone.
 *  2. `-ies` -> `-y` (`policies` -> `policy`), except `-eies`/`-aies` and a few `-ie` nouns
 *     (`movies` -> `movie`).
 *  3. `-sses` -> `-ss` (`businesses` -> `business`).
 *  4. `-xes`, `-shes`, `-ches` -> drop `-es` (`taxes` -> `tax`, `churches` -> `church`), except
 *     nouns whose singular ends in `-che` (`tranches` -> `tranche`); `-oes` in words longer than
 *     5 letters -> drop `-es` (`embargoes` -> `embargo`).
 *  5. `-ss`, `-us`, `-is` stay (`congress`, `status`, `crisis`).
 *  6. Otherwise a final `-s` is dropped (`deportations` -> `deportation`, `cases` -> `case`).
 * No `-ed`/`-ing` rules: they conflate too much (`operating`/`operations`) to stay predictable.
 * Both the query word and the story word go through the same function, so an imperfect stem
 * (`texas` -> `texa`) still matches itself.
 */

const UNCHANGED = new Set([
  'news',
  'series',
  'species',
  'means',
  'always',
  'perhaps',
  'whereas',
  'towards',
  'afterwards',
  'headquarters',
  'olympics',
]);

// Plurals of nouns ending in -ie / -che, which the -ies / -ches rules would cut wrongly.
const IE_PLURALS = new Set([
  'movies',
  'cookies',
  'zombies',
  'rookies',
  'calories',
  'brownies',
  'prairies',
  'selfies',
  'hippies',
  'goalies',
  'freebies',
  'aussies',
  'budgies',
]);
const CHE_PLURALS = new Set([
  'aches',
  'caches',
  'niches',
  'tranches',
  'avalanches',
  'headaches',
  'cliches',
  'psyches',
  'quiches',
  'moustaches',
  'mustaches',
  'creches',
  'microniches',
]);

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/** The stem of a folded word (see the rules above). */
export function stem(word: string): string {
  if (word.length <= 3 || !word.endsWith('s') || UNCHANGED.has(word) || hasDigit(word)) return word;
  if (word.endsWith('ies')) {
    if (word.length > 4 && !word.endsWith('eies') && !word.endsWith('aies') && !IE_PLURALS.has(word)) {
      return `${word.slice(0, -3)}y`;
    }
    return word.slice(0, -1);
  }
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('xes') || word.endsWith('shes')) return word.slice(0, -2);
  if (word.endsWith('ches')) return CHE_PLURALS.has(word) ? word.slice(0, -1) : word.slice(0, -2);
  if (word.endsWith('oes') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  return word.slice(0, -1);
}
