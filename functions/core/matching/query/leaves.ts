/** Builds the leaves of a query (keywords, phrases, people) from lexer tokens, with their errors. */
import { languageStems } from '../text/language-stemmers.ts';
import { QueryError } from '../types.ts';
import { analyzeWords } from './analyze.ts';
import type { FieldMask, LeafNode } from './ast.ts';
import type { QueryToken } from './lexer.ts';
import { QUERY_LIMITS } from './limits.ts';
import { analyzePersonName } from './person-name.ts';

/** A keyword, or a phrase for quoted text and for a bare word that punctuation splits (`non-Mexican`). */
export function wordLeaf(token: QueryToken & { type: 'word' | 'phrase' }, fields: FieldMask): LeafNode {
  const written = token.type === 'phrase' ? token.raw : token.text;
  const words = analyzeWords(token.text);
  const first = words[0];
  if (first === undefined) {
    if (token.type === 'phrase') {
      throw new QueryError(`Empty phrase at ${token.pos}: put words between the quotes`, token.pos);
    }
    throw new QueryError(
      `Term '${token.text}' at ${token.pos} has no letters or digits: remove it or put it in a "phrase"`,
      token.pos,
    );
  }
  if (words.length > QUERY_LIMITS.maxPhraseWords) {
    throw new QueryError(
      `Phrase at ${token.pos} is too long (${words.length} words, max ${QUERY_LIMITS.maxPhraseWords})`,
      token.pos,
    );
  }
  if (token.type === 'word' && words.length === 1) {
    // Keywords (not phrases) inflect by the story's language; acronyms match as written.
    const stems = first.acronym === undefined ? languageStems(token.text, first.stem) : undefined;
    const word = stems === undefined ? first : { ...first, languageStems: stems };
    return { kind: 'term', text: written, fields, word };
  }
  return { kind: 'phrase', text: written, fields, words };
}

/** `person:NAME`; `fieldPos` is the position of `person:`. */
export function personLeaf(
  fieldPos: number,
  nameToken: QueryToken & { type: 'word' | 'phrase' },
  fields: FieldMask,
): LeafNode {
  const analyzed = analyzePersonName(nameToken.text);
  if ('problem' in analyzed) throw new QueryError(`person: at ${fieldPos} ${analyzed.problem}`, fieldPos);
  const words = analyzed.names.reduce(
    (total, name) => total + name.given.length + name.middles.length + name.surname.length,
    0,
  );
  if (words > QUERY_LIMITS.maxPhraseWords) {
    throw new QueryError(
      `Name at ${fieldPos} is too long (max ${QUERY_LIMITS.maxPhraseWords} words, aliases included)`,
      fieldPos,
    );
  }
  const written = nameToken.type === 'phrase' ? nameToken.raw : nameToken.text;
  return {
    kind: 'person',
    text: `person:${written}`,
    fields,
    names: analyzed.names,
    anchors: analyzed.anchors,
  };
}
