/** What the name lists and the story's people metadata say about a name. */
import type { PersonName } from '../query/ast.ts';
import type { StoryView } from '../story-view.ts';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './names.ts';

/** The gender a given name usually carries, when the lists say and agree. */
export function genderOfGivenName(form: string): 'male' | 'female' | undefined {
  const male = MALE_GIVEN_NAMES.has(form);
  const female = FEMALE_GIVEN_NAMES.has(form);
  if (male === female) return undefined;
  return male ? 'male' : 'female';
}

/** True when the lists know the word as a given name, of either gender. */
export function isKnownGivenName(form: string): boolean {
  return MALE_GIVEN_NAMES.has(form) || FEMALE_GIVEN_NAMES.has(form);
}

function namesPerson(words: ReadonlySet<string>, name: PersonName): boolean {
  const given = name.given[0];
  if (given !== undefined && !words.has(given)) return false;
  const whole = name.forms[0];
  if (whole === undefined) return false;
  return whole.words.every((word, index) => (whole.particles >> index) & 1 || words.has(word));
}

/**
 * True when the story's metadata (NITF `<person>`, NewsML-G2 person subjects, ninjs `people`)
 * names the person in full under one of the readings, in either order (`Assad, Bashar al-`).
 */
export function namedInMetadata(view: StoryView, names: readonly PersonName[]): boolean {
  const people = view.peopleWords;
  if (people.length === 0) return false;
  return people.some((words) => names.some((name) => namesPerson(words, name)));
}
