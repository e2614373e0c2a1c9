/**
 * People bench: recall and same-surname rejection of `person:` queries on the Reuters-21578
 * stories that have a body and `<PEOPLE>` labels (../shared/corpus/reuters21578).
 *
 *  - Recall: for each labelled person of a story, does `person:"<full name>"` match it? The full
 *    names come from our own mapping of the codes (people-names.ts). Also reported on the stories
 *    whose headline or body contains the surname at all: a label on a story that never names the
 *    person (the labellers tagged some from context) cannot be matched by any name rule.
 *  - Same-surname rejection: for the same pairs, does the namesake query (same surname, another
 *    given name) stay silent? Reported separately for stories that give the labelled person's
 *    given name somewhere and stories that only say `President Reagan`, where nothing in the text
 *    tells the two apart and the rules accept a titled reference (see the matching README).
 *
 * The label metadata is not given to the engine (the stories carry no people list): the labels are
 * the answer. Targets: recall >= 98 %, same-surname rejection >= 97 %.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSubscriptions, parseQuery } from '../functions/core/matching/index.ts';
import { fold } from '../functions/core/matching/text/fold.ts';
import { tokenize } from '../functions/core/matching/text/tokenize.ts';
import { storyFromReuters } from './matching-vocabulary.ts';
import { REUTERS_PEOPLE } from './people-names.ts';
import { type ReutersDocument, readReuters } from './reuters.ts';
import type { BenchSection } from './sections.ts';
import { markdownTable } from './support.ts';

const REUTERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/reuters21578');

interface Pair {
  readonly doc: ReutersDocument;
  readonly code: string;
}

interface Tally {
  hits: number;
  total: number;
}

const percent = (tally: Tally): string =>
  tally.total === 0
    ? '-'
    : `${((100 * tally.hits) / tally.total).toFixed(1)} % (${tally.hits} / ${tally.total})`;

/** The surname words and first given name of a query, as the engine reads them (first reading). */
function nameParts(query: string): { surname: readonly string[]; given: string | undefined } {
  const node = parseQuery(`person:"${query}"`);
  if (node.kind !== 'person') throw new Error(`not a person query: ${query}`);
  const reading = node.names[0];
  if (reading === undefined) throw new Error(`no reading: ${query}`);
  return { surname: reading.surname, given: reading.given[0] };
}

function words(doc: ReutersDocument): Set<string> {
  return new Set(tokenize(`${doc.title}\n\n${doc.body}`).map((token) => token.form));
}

function matchedIds(query: string, docs: readonly ReutersDocument[]): Set<string> {
  const { index, errors } = compileSubscriptions([{ id: 'q', query: `person:"${query}"` }]);
  if (errors.length > 0) throw new Error(`${query}: ${errors[0]?.error.message}`);
  const matched = new Set<string>();
  for (const doc of docs) {
    // No people metadata: the labels are the ground truth, not evidence.
    if (index.match({ ...storyFromReuters(doc), people: [] }).length > 0) matched.add(doc.id);
  }
  return matched;
}

export async function runPeopleBench(): Promise<string> {
  const docs = readReuters(REUTERS_DIR);
  if (docs === undefined) return `Skipped: no Reuters-21578 corpus at ${REUTERS_DIR}.`;
  const pairs: Pair[] = [];
  const unmapped = new Set<string>();
  for (const doc of docs) {
    for (const code of doc.people) {
      if (REUTERS_PEOPLE[code] === undefined) unmapped.add(code);
      else pairs.push({ doc, code });
    }
  }
  const byCode = new Map<string, ReutersDocument[]>();
  for (const pair of pairs) byCode.set(pair.code, [...(byCode.get(pair.code) ?? []), pair.doc]);

  const recall: Tally = { hits: 0, total: 0 };
  const recallNamed: Tally = { hits: 0, total: 0 };
  const rejectGiven: Tally = { hits: 0, total: 0 };
  const rejectTitled: Tally = { hits: 0, total: 0 };
  const misses: string[] = [];
  const confusions: string[] = [];
  for (const [code, labelled] of byCode) {
    const person = REUTERS_PEOPLE[code];
    if (person === undefined) continue;
    const found = matchedIds(person.query, labelled);
    const namesake = matchedIds(person.namesake, labelled);
    const { surname, given } = nameParts(person.query);
    const core = surname[surname.length - 1] ?? '';
    for (const doc of labelled) {
      const present = words(doc);
      const hit = found.has(doc.id);
      recall.total++;
      if (hit) recall.hits++;
      if (present.has(core)) {
        recallNamed.total++;
        if (hit) recallNamed.hits++;
        else if (misses.length < 12) misses.push(`${doc.id} ${person.query}`);
      }
      // Same-surname negatives only where the surname is there to be confused.
      if (!present.has(core) || given === undefined) continue;
      const tally = present.has(fold(given)) ? rejectGiven : rejectTitled;
      tally.total++;
      if (!namesake.has(doc.id)) tally.hits++;
      else if (confusions.length < 12) confusions.push(`${doc.id} ${person.namesake}`);
    }
  }
  const rejectAll: Tally = {
    hits: rejectGiven.hits + rejectTitled.hits,
    total: rejectGiven.total + rejectTitled.total,
  };
  const table = markdownTable(
    ['measure', 'result', 'target'],
    [
      ['recall, every labelled (story, person)', percent(recall), '>= 98 %'],
      ['recall, where the story contains the surname', percent(recallNamed), ''],
      ['same-surname rejection, all', percent(rejectAll), '>= 97 %'],
      ['  where the story gives the given name', percent(rejectGiven), ''],
      ['  where it never does (`President Reagan` only)', percent(rejectTitled), ''],
    ],
  );
  return [
    table,
    '',
    `${docs.length} stories with a body; ${pairs.length} labelled (story, person) pairs over ${byCode.size} people` +
      (unmapped.size > 0 ? `; codes not mapped: ${[...unmapped].sort().join(', ')}` : '') +
      '.',
    misses.length > 0 ? `\nMissed (first ${misses.length}): ${misses.join('; ')}` : '',
    confusions.length > 0 ? `\nNamesakes matched (first ${confusions.length}): ${confusions.join('; ')}` : '',
  ].join('\n');
}

export const peopleSection: BenchSection = {
  name: 'people',
  description:
    'Recall and same-surname rejection of person: queries on Reuters-21578 stories with <PEOPLE> labels (full names from bench/people-names.ts).',
  run: runPeopleBench,
};
