/**
 * A light, predictable English stemmer for keyword queries: it only removes plural and
 * third-person `-s` endings (and maps irregular plurals), so that `deportation` matches `deportations` and `immigrant`
 * matches `immigrants`. Possessive `'s` is removed earlier, by the tokenizer.
 *
 * Rules, applied to a folded (lower case, unaccented) word, first match wins:
 *  0. Irregular plurals map to their singular (`women`, `children`, `crises`, `criteria`, `mice`,
 *     `feet`); `-men` -> `-man` (`chairmen`), except `specimen`-like words.
 *  1. Words of 3 letters or fewer, words with a digit, and a few fixed words (`news`, `series`...)
 *     are left alone. `-es` after `s`/`z` goes for `-us` nouns (`buses`, `viruses`), `-zzes`
 *     and `-tzes` (`buzzes`, `waltzes`).
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

/** Plurals that no suffix rule reaches: each maps to its singular. */
const IRREGULAR_PLURALS: ReadonlyMap<string, string> = new Map(
  `women:woman men:man children:child crises:crisis analyses:analysis theses:thesis
  hypotheses:hypothesis diagnoses:diagnosis oases:oasis emphases:emphasis syntheses:synthesis
  parentheses:parenthesis criteria:criterion phenomena:phenomenon mice:mouse lice:louse
  feet:foot teeth:tooth geese:goose oxen:ox indices:index appendices:appendix matrices:matrix
  vertices:vertex alumni:alumnus fungi:fungus nuclei:nucleus radii:radius stimuli:stimulus
  cacti:cactus syllabi:syllabus curricula:curriculum memoranda:memorandum strata:stratum
  bacteria:bacterium quizzes:quiz wives:wife knives:knife lives:life halves:half wolves:wolf
  thieves:thief shelves:shelf loaves:loaf calves:calf gases:gas biases:bias aliases:alias
  atlases:atlas canvases:canvas`
    .split(/\s+/)
    .map((pair) => pair.split(':') as [string, string]),
);

/** Singulars in `-us` whose plural adds `-es` (`buses`, `viruses`); `causes` -> `cause` stays the rule. */
const US_SINGULARS = new Set(
  `bus virus bonus campus census focus status consensus corpus apparatus prospectus surplus fetus
  foetus octopus cactus circus chorus genius caucus sinus thesaurus syllabus impetus nexus minibus
  omnibus stimulus lotus hiatus walrus abacus exodus terminus plus`.split(/\s+/),
);

/** `-men` words that are not plurals of `-man` (`specimen`, `Yemen`). */
const MEN_SINGULARS = new Set(
  'specimen abdomen regimen acumen stamen semen hymen yemen omen amen ramen lumen albumen bitumen cyclamen carmen dolmen cognomen'.split(
    ' ',
  ),
);

/**
 * The stem of a word that does not end in `s`: itself, unless an irregular plural. Every token goes
 * through here, so the map is consulted only for the endings irregular plurals have.
 */
function stemWithoutS(word: string): string {
  const last = word.charCodeAt(word.length - 1);
  if (last === 110 /* n */) {
    if (word.endsWith('men')) {
      if (word.length > 4 && !MEN_SINGULARS.has(word)) return `${word.slice(0, -3)}man`;
      return IRREGULAR_PLURALS.get(word) ?? word;
    }
    return word.endsWith('ren') || word.endsWith('xen') ? (IRREGULAR_PLURALS.get(word) ?? word) : word;
  }
  const irregular =
    last === 97 /* a */ ||
    last === 105 /* i */ ||
    (last === 101 /* e */ && (word.endsWith('ice') || word.endsWith('eese'))) ||
    (last === 116 /* t */ && word.endsWith('eet')) ||
    (last === 104 /* h */ && word.endsWith('eeth'));
  return irregular ? (IRREGULAR_PLURALS.get(word) ?? word) : word;
}

/** The stem of a folded word (see the rules above). */
export function stem(word: string): string {
  if (!word.endsWith('s')) return stemWithoutS(word);
  if (word.endsWith('es')) {
    const irregular = IRREGULAR_PLURALS.get(word);
    if (irregular !== undefined) return irregular;
  }
  if (word.length <= 3 || UNCHANGED.has(word) || hasDigit(word)) return word;
  if (word.endsWith('uses') && US_SINGULARS.has(word.slice(0, -2))) return word.slice(0, -2);
  if (word.endsWith('zzes') || word.endsWith('tzes')) return word.slice(0, -2);
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
