/**
 * Splits a `person:` name into given names and surname (the name model in ../README.md, "People").
 *
 *  - `Surname, Given names` (a comma) says the split outright: `Lula da Silva, Luiz Inácio`.
 *  - `A | B` lists aliases: each is read on its own and any of them identifies the person.
 *  - Otherwise: one word is a mononym (`Suharto`). The first word is a given name; the surname
 *    starts at the first particle (`von`, `de`, `al-`) or the first later word that is not a
 *    known given name (`Andrés Manuel | López Obrador`, `Ruth | Bader Ginsburg`), else it is the
 *    last word. Single letters are middle initials. A name starting with a common Chinese,
 *    Korean or Vietnamese surname (`Xi Jinping`) is also read surname first.
 *
 * The surname may stand alone in the story in several forms: whole (`von der Leyen`), without
 * a droppable particle (`Assad`), the words around a particle inside it (`Lula`, `da Silva`
 * of `Lula da Silva`), and its last word unless the given name is Spanish or Portuguese, whose
 * two surnames go together (`Ginsburg`, `Erdoğan`, but only `López Obrador`). Hyphenated words
 * stay together (`Leigh-Pemberton`).
 */

import {
  DOUBLE_SURNAME_GIVEN_NAMES,
  DROPPABLE_PARTICLES,
  FEMALE_GIVEN_NAMES,
  MALE_GIVEN_NAMES,
  PARTICLES,
  SURNAME_FIRST_SURNAMES,
} from '../text/names.ts';
import { stem } from '../text/stem.ts';
import { INITIAL, type Token, tokenize } from '../text/tokenize.ts';
import type { PersonName, SurnameForm } from './ast.ts';

/** A word of the name: hyphen-joined tokens stay one unit (`leigh-pemberton`, `jean-claude`). */
interface Unit {
  readonly words: readonly string[];
  readonly particle: boolean;
  readonly initial: boolean;
}

export interface AnalyzedPerson {
  readonly names: readonly PersonName[];
  readonly anchors: readonly string[];
}

const HYPHENS = new Set(['-', '\u2010', '\u2011']);

/** True when the text holds only ASCII letters and spaces: no hyphens, dots or apostrophes to read. */
function isAsciiLettersAndSpaces(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && ((code | 0x20) < 97 || (code | 0x20) > 122)) return false;
  }
  return true;
}

/** `units` of ASCII letters and spaces (most names): what the tokenizer would give, without its tokens. */
function asciiUnits(text: string): Unit[] {
  const out: Unit[] = [];
  let start = 0;
  for (let at = 0; at <= text.length; at++) {
    if (at < text.length && text.charCodeAt(at) !== 32) continue;
    if (at > start) {
      const word = text.slice(start, at).toLowerCase();
      out.push({ words: [word], particle: PARTICLES.has(word), initial: word.length === 1 });
    }
    start = at + 1;
  }
  return out;
}

function units(text: string): Unit[] {
  if (isAsciiLettersAndSpaces(text)) return asciiUnits(text);
  const tokens = tokenize(text);
  const out: Unit[] = [];
  let from = 0;
  for (let index = 1; index <= tokens.length; index++) {
    const previous = tokens[index - 1] as Token;
    const token = tokens[index];
    const hyphenated =
      token !== undefined && token.start - previous.end === 1 && HYPHENS.has(text.charAt(previous.end));
    if (hyphenated) continue;
    out.push(...splitParticle(tokens.slice(from, index)));
    from = index;
  }
  return out;
}

/** `al-Assad` is the particle `al` and `Assad`; other hyphenated words stay whole. */
function splitParticle(tokens: readonly Token[]): Unit[] {
  const first = tokens[0] as Token;
  if (tokens.length > 1 && PARTICLES.has(first.form)) {
    return [
      { words: [first.form], particle: true, initial: false },
      { words: tokens.slice(1).map((token) => token.form), particle: false, initial: false },
    ];
  }
  return [
    {
      words: tokens.map((token) => token.form),
      particle: tokens.length === 1 && PARTICLES.has(first.form),
      initial: tokens.length === 1 && (first.flags & INITIAL) !== 0,
    },
  ];
}

function isGivenName(word: string): boolean {
  return MALE_GIVEN_NAMES.has(word) || FEMALE_GIVEN_NAMES.has(word);
}

function genderOf(given: string | undefined): 'male' | 'female' | undefined {
  if (given === undefined) return undefined;
  const male = MALE_GIVEN_NAMES.has(given);
  const female = FEMALE_GIVEN_NAMES.has(given);
  if (male === female) return undefined;
  return male ? 'male' : 'female';
}

function form(parts: readonly Unit[]): SurnameForm {
  if (parts.length === 1 && !parts[0]?.particle) return { words: (parts[0] as Unit).words, particles: 0 };
  const words: string[] = [];
  let particles = 0;
  for (const unit of parts) {
    for (const word of unit.words) {
      if (unit.particle) particles |= 1 << words.length;
      words.push(word);
    }
  }
  // The last word anchors the form and must be capitalised in the story: never a particle.
  particles &= ~(1 << (words.length - 1));
  return { words, particles };
}

function surnameForms(surname: readonly Unit[], doubleSurname: boolean): SurnameForm[] {
  const forms = [form(surname)];
  if (surname.length === 1) return forms; // the common case: one surname word
  let lead = 0;
  while (lead < surname.length - 1 && surname[lead]?.particle) lead++;
  const droppable = surname.slice(0, lead).every((unit) => DROPPABLE_PARTICLES.has(unit.words[0] ?? ''));
  if (lead > 0 && droppable) forms.push(form(surname.slice(lead)));
  const cores = surname.map((unit, index) => (unit.particle ? -1 : index)).filter((index) => index >= 0);
  const firstCore = cores[0];
  const lastCore = cores[cores.length - 1];
  if (cores.length >= 2 && firstCore !== undefined && lastCore !== undefined) {
    // `Lula da Silva` -> `Lula`, `da Silva`; `Bader Ginsburg` -> `Ginsburg` (not after Iberian given names).
    if (surname[firstCore + 1]?.particle) forms.push(form(surname.slice(0, firstCore + 1)));
    let start = lastCore;
    while (start > 0 && surname[start - 1]?.particle) start--;
    if (start < lastCore) forms.push(form(surname.slice(start, lastCore + 1)));
    else if (!doubleSurname) forms.push(form(surname.slice(lastCore)));
  }
  if (forms.length === 1) return forms;
  const seen = new Set<string>();
  return forms
    .filter((candidate) => {
      const key = candidate.words.join(' ');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => b.words.length - a.words.length);
}

const NONE: readonly string[] = Object.freeze([]);

function reading(given: readonly Unit[], surname: readonly Unit[], surnameFirst: boolean): PersonName {
  const names =
    given.length === 1 && !given[0]?.initial
      ? (given[0] as Unit).words
      : given.filter((unit) => !unit.initial).flatMap((unit) => unit.words);
  const middles = given.some((unit) => unit.initial)
    ? given.filter((unit) => unit.initial).flatMap((unit) => unit.words)
    : NONE;
  const gender = genderOf(names[0]);
  return {
    given: names,
    middles,
    surname: surname.length === 1 ? (surname[0] as Unit).words : surname.flatMap((unit) => unit.words),
    forms: surnameForms(surname, DOUBLE_SURNAME_GIVEN_NAMES.has(names[0] ?? '')),
    surnameFirst,
    mononym: names.length === 0 && middles.length === 0,
    ...(gender === undefined ? {} : { gender }),
  };
}

/** The readings of one alias; empty when it has no surname. */
function readingsOf(text: string): PersonName[] {
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const surname = units(text.slice(0, comma)).filter((unit) => !unit.initial);
    const given = units(text.slice(comma + 1));
    if (surname.length === 0) return [];
    return [reading(given, surname, false)];
  }
  const all = units(text);
  const first = all[0];
  if (first === undefined) return [];
  if (all.length === 1) return first.initial ? [] : [reading([], all, false)];
  // The given name is the first word that is not an initial (`T. Boone Pickens`).
  const givenAt = all.findIndex((unit) => !unit.initial);
  let start = all.findIndex(
    (unit, index) => index > givenAt && !unit.initial && (unit.particle || !isGivenName(unit.words[0] ?? '')),
  );
  if (start < 0) start = all.length - 1;
  const surname = all.slice(start).filter((unit) => !unit.initial);
  if (surname.length === 0) return [];
  const readings = [reading(all.slice(0, start), surname, false)];
  if (first.words.length !== 1 || !SURNAME_FIRST_SURNAMES.has(first.words[0] ?? '')) return readings;
  const rest = all.slice(1);
  if (
    rest.length <= 2 &&
    rest.every((unit) => !unit.particle && !unit.initial && !isGivenName(unit.words[0] ?? ''))
  ) {
    readings.push(reading(rest, [first], true));
  }
  return readings;
}

/** The readings and anchor stems of a `person:` name, or a message saying what is missing. */
export function analyzePersonName(text: string): AnalyzedPerson | { readonly problem: string } {
  const aliases = text.includes('|') ? text.split('|') : [text];
  const names: PersonName[] = [];
  for (const alias of aliases) {
    const found = readingsOf(alias);
    if (found.length === 0) {
      return {
        problem:
          aliases.length > 1
            ? `the alias '${alias.trim()}' has no surname`
            : 'needs a name with a surname, e.g. person:"Jane Doe" or person:Doe',
      };
    }
    names.push(...found);
  }
  const only = names.length === 1 ? names[0]?.forms : undefined;
  if (only?.length === 1) return { names, anchors: [stem(only[0]?.words[only[0].words.length - 1] ?? '')] };
  const anchors = new Set<string>();
  for (const name of names) {
    for (const candidate of name.forms) anchors.add(stem(candidate.words[candidate.words.length - 1] ?? ''));
  }
  return { names, anchors: [...anchors].sort() };
}
