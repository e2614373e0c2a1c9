/** Occurrences of keywords and phrases in a story view. */

import { casedLetters } from '../query/analyze.ts';
import type { PhraseNode, TermNode, WordMatcher } from '../query/ast.ts';
import { POSITION_SPAN, type Postings, type StoryView } from '../story-view.ts';
import { BREAK_BEFORE, type Token } from '../text/tokenize.ts';
import { NO_OCCURRENCES, Occurrence } from './occurrence.ts';

function acronymMatches(token: Token, text: string, word: WordMatcher): boolean {
  return word.acronym === undefined || casedLetters(text.slice(token.start, token.end)) === word.acronym;
}

/** Where a keyword's stem occurs: by the story language's rules in Spanish and German stories, else English. */
function keywordPostings(view: StoryView, word: WordMatcher): Postings | undefined {
  const language = view.keywordLanguage;
  if (language === undefined) return view.byStem.get(word.stem);
  return view.byLanguageStem?.get(word.languageStems?.[language] ?? word.stem);
}

/** True when the keyword occurs in one of its fields; allocates nothing for plain keywords. */
export function termOccurs(view: StoryView, term: TermNode): boolean {
  if (term.word.acronym === undefined)
    return ((keywordPostings(view, term.word)?.mask ?? 0) & term.fields) !== 0;
  return termOccurrences(view, term).length > 0;
}

export function termOccurrences(view: StoryView, term: TermNode): readonly Occurrence[] {
  const word = term.word;
  const postings = word.acronym === undefined ? keywordPostings(view, word) : view.byForm.get(word.form);
  if (postings === undefined || (postings.mask & term.fields) === 0) return NO_OCCURRENCES;
  const found: Occurrence[] = [];
  for (const position of postings.positions) {
    const field = Math.floor(position / POSITION_SPAN);
    if (((1 << field) & term.fields) === 0) continue;
    const index = position - field * POSITION_SPAN;
    const fieldView = view.fields[field];
    const token = fieldView?.tokens[index];
    if (token === undefined || !acronymMatches(token, fieldView?.text ?? '', word)) continue;
    found.push(new Occurrence(field, index, index));
  }
  return found;
}

/** Where the phrase's words occur in order, consecutively, within one sentence. */
export function phraseOccurrences(view: StoryView, phrase: PhraseNode): readonly Occurrence[] {
  const [firstWord, ...rest] = phrase.words;
  if (firstWord === undefined) return NO_OCCURRENCES;
  for (const word of rest) {
    if (((view.byForm.get(word.form)?.mask ?? 0) & phrase.fields) === 0) return NO_OCCURRENCES;
  }
  const postings = view.byForm.get(firstWord.form);
  if (postings === undefined || (postings.mask & phrase.fields) === 0) return NO_OCCURRENCES;
  const found: Occurrence[] = [];
  for (const position of postings.positions) {
    const field = Math.floor(position / POSITION_SPAN);
    if (((1 << field) & phrase.fields) === 0) continue;
    const fieldView = view.fields[field];
    if (fieldView === undefined) continue;
    const first = position - field * POSITION_SPAN;
    const tokens = fieldView.tokens;
    const firstToken = tokens[first];
    if (firstToken === undefined || !acronymMatches(firstToken, fieldView.text, firstWord)) continue;
    let matched = true;
    for (let k = 0; k < rest.length; k++) {
      const token = tokens[first + 1 + k];
      const word = rest[k] as WordMatcher;
      if (
        token === undefined ||
        token.form !== word.form ||
        token.flags & BREAK_BEFORE ||
        !acronymMatches(token, fieldView.text, word)
      ) {
        matched = false;
        break;
      }
    }
    if (matched) found.push(new Occurrence(field, first, first + rest.length));
  }
  return found;
}
