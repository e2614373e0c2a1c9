/**
 * Organisation names as the `org:` term and organisation metadata compare them: folded words without a
 * legal suffix (`Baker Hughes Co.` -> `baker hughes`) or a leading `The`, and the abbreviations a story may
 * introduce for them (`International Business Machines Corp. (IBM)`).
 */
import { tokenize } from './tokenize.ts';

function set(words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter((word) => word.length > 0));
}

/**
 * Legal-form suffixes, folded and without dots (`S.A.` -> `sa`, `N.V.` -> `nv`): English (Inc., Corp., Co.,
 * Ltd., LLC, plc), Romance (SA, SpA, SAS, SRL, SAB de CV), German and Dutch (AG, GmbH, KGaA, NV, BV), Nordic
 * (AB, ASA, AS, Oyj, A/S), Japanese (KK), European (SE) and Commonwealth (Pty, Pte, Bhd) forms.
 */
export const LEGAL_SUFFIXES = set(`
  inc incorporated corp corporation co company cos ltd limited llc llp lp plc
  sa sas sarl spa srl sab cv de
  ag gmbh kgaa kg nv bv se
  ab asa as oyj oy aps
  kk
  pty pte bhd
`);

/** Words that may stand in a name without an initial in its abbreviation (`Bank of America` -> `BofA`, `BA`). */
const CONNECTORS = set('of the and for de del la y und fur et du des');

/** Capitalised words after a name that make it a place or a building (`Baker Hughes Avenue`), not the company. */
export const PLACE_WORDS = set(`
  avenue ave street st road rd boulevard blvd lane ln drive way square plaza place parkway highway
  bridge building tower center centre hall stadium arena field school college university hospital
  station airport county park court terrace crescent
`);

/** `de` is a suffix only inside a longer one (`S.A.B. de C.V.`), never alone at the end. */
function isTrailingSuffix(words: readonly string[], at: number): boolean {
  const word = words[at] as string;
  if (!LEGAL_SUFFIXES.has(word)) return false;
  return word !== 'de' || at < words.length - 1;
}

/** The folded words of a name without a trailing legal suffix or a leading `The`; at least one word is kept. */
export function nameWords(forms: readonly string[]): string[] {
  let end = forms.length;
  while (end > 1 && isTrailingSuffix(forms, end - 1)) end--;
  let start = 0;
  if (end - start > 1 && forms[0] === 'the') start = 1;
  return forms.slice(start, end);
}

/** The metadata key of an organisation name (story metadata and `org:` queries share it). */
export function organisationKey(name: string): string {
  return nameWords(tokenize(name).map((token) => token.form)).join(' ');
}

/** Whether `letters` (upper case, `IBM`) are the initials of `words` in order; connectors may be skipped. */
export function isAbbreviationOf(letters: string, words: readonly string[]): boolean {
  if (letters.length < 2 || words.length < 2) return false;
  // reachable[i]: the first i letters are matched by the words seen so far.
  let reachable = new Uint8Array(letters.length + 1);
  reachable[0] = 1;
  for (const word of words) {
    const next = new Uint8Array(letters.length + 1);
    const initial = word.charAt(0).toUpperCase();
    for (let i = 0; i <= letters.length; i++) {
      if (!reachable[i]) continue;
      if (CONNECTORS.has(word)) next[i] = 1;
      if (i < letters.length && letters[i] === initial) next[i + 1] = 1;
    }
    reachable = next;
  }
  return reachable[letters.length] === 1;
}
