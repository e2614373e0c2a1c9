/**
 * A story's metadata as the query terms read it (`subject:`, `place:`, `lang:`, `source:`, `urgency:`,
 * `status:`, and the organisations and tickers `org:` and `ticker:` also count), worked out once per story,
 * with the keys that put the metadata in the index like any word: a filter alone is anchored on its key,
 * never evaluated for every story. Keys start with a control character, so no word of a text can equal one.
 */
import type { Story } from '../stories/story.ts';
import type { MetadataField } from './query/ast.ts';
import { organisationKey } from './text/organisation-names.ts';
import { tokenize } from './text/tokenize.ts';

const KEY_MARK = '\u0001';

/** The index key of a metadata value: `metadataKey('lang', 'es')`, `metadataKey('subject', stem)`. */
export function metadataKey(field: MetadataField | 'org' | 'ticker', value: string): string {
  return `${KEY_MARK}${field}:${value}`;
}

/** A text value of a story (a subject name or code, a place, the source) with its word stems. */
export interface MetadataValue {
  readonly text: string;
  readonly stems: readonly string[];
}

/** A ticker the story's metadata carries: `NYSE:BKR` -> exchange `NYSE`, symbol `BKR`. */
export interface MetadataTicker {
  readonly symbol: string;
  readonly exchange?: string;
}

export interface StoryMetadata {
  readonly values: Readonly<Record<'subject' | 'place' | 'source', readonly MetadataValue[]>>;
  /** Lower-case language tag (`es-mx`) and its primary subtag (`es`); empty when unknown. */
  readonly languages: readonly string[];
  /** Organisation metadata by key (organisationKey) -> the name as the story carries it. */
  readonly organisations: ReadonlyMap<string, string>;
  readonly tickers: readonly MetadataTicker[];
  /** Every index key of the metadata. */
  readonly keys: readonly string[];
}

/** `NYSE:BKR`, `NYSE: BKR` or `BKR` -> its parts; undefined when there is no symbol. */
export function parseTicker(written: string): MetadataTicker | undefined {
  const colon = written.lastIndexOf(':');
  const symbol = written.slice(colon + 1).trim();
  if (symbol === '') return undefined;
  const exchange = colon < 0 ? '' : written.slice(0, colon).trim().toUpperCase();
  return exchange === '' ? { symbol } : { symbol, exchange };
}

function values(texts: readonly (string | undefined)[]): MetadataValue[] {
  const out: MetadataValue[] = [];
  for (const text of texts) {
    if (text === undefined || text === '') continue;
    out.push({ text, stems: tokenize(text).map((token) => token.stem) });
  }
  return out;
}

/** The metadata of a story, with its index keys. */
export function storyMetadata(story: Story): StoryMetadata {
  const keys: string[] = [metadataKey('status', story.status)];
  if (story.urgency !== undefined) keys.push(metadataKey('urgency', String(story.urgency)));
  const languages: string[] = [];
  const tag = story.language?.toLowerCase().replaceAll('_', '-');
  if (tag !== undefined && tag !== '') {
    languages.push(tag);
    const primary = tag.split('-')[0] as string;
    if (primary !== tag) languages.push(primary);
    for (const language of languages) keys.push(metadataKey('lang', language));
  }
  const textValues = {
    subject: values([...story.subjects, ...(story.subjectCodes ?? [])]),
    place: values([story.dateline, ...(story.places ?? [])]),
    source: values([story.source]),
  };
  for (const field of ['subject', 'place', 'source'] as const) {
    const seen = new Set<string>();
    for (const value of textValues[field]) for (const stemmed of value.stems) seen.add(stemmed);
    for (const stemmed of seen) keys.push(metadataKey(field, stemmed));
  }
  const organisations = new Map<string, string>();
  for (const name of story.organisations) {
    const key = organisationKey(name);
    if (key === '' || organisations.has(key)) continue;
    organisations.set(key, name);
    keys.push(metadataKey('org', key));
  }
  const tickers: MetadataTicker[] = [];
  const symbols = new Set<string>();
  for (const written of story.tickers ?? []) {
    const ticker = parseTicker(written);
    if (ticker === undefined) continue;
    tickers.push(ticker);
    if (!symbols.has(ticker.symbol)) keys.push(metadataKey('ticker', ticker.symbol));
    symbols.add(ticker.symbol);
  }
  return { values: textValues, languages, organisations, tickers, keys };
}
