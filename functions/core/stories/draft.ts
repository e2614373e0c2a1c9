import { StoryParseError } from './errors.ts';
import { STORY_STATUSES, type Story, type StoryFormat, type StoryStatus } from './story.ts';
import { cleanLine, trimCredits, uniqueClean } from './text.ts';

/** What a format module extracts; `finishStory` normalizes it into a Story. */
export interface StoryDraft {
  readonly id: string;
  readonly headline?: string | undefined;
  readonly authors?: readonly string[] | undefined;
  readonly dateline?: string | undefined;
  readonly paragraphs?: readonly string[] | undefined;
  readonly summary?: readonly string[] | undefined;
  readonly publishedAt?: string | undefined;
  readonly language?: string | undefined;
  readonly status?: StoryStatus | undefined;
  readonly version?: number | undefined;
  readonly urgency?: number | undefined;
  readonly slugline?: string | undefined;
  readonly url?: string | undefined;
  readonly keywords?: readonly (string | undefined)[] | undefined;
  readonly subjects?: readonly (string | undefined)[] | undefined;
  readonly people?: readonly (string | undefined)[] | undefined;
  readonly organisations?: readonly (string | undefined)[] | undefined;
  readonly subjectCodes?: readonly (string | undefined)[] | undefined;
  readonly places?: readonly (string | undefined)[] | undefined;
  readonly tickers?: readonly (string | undefined)[] | undefined;
  readonly source?: string | undefined;
}

/** Editorial signals found in a story; the strongest one wins. */
export interface StatusSignals {
  readonly killed?: boolean;
  readonly withheld?: boolean;
  readonly correction?: boolean;
  readonly update?: boolean;
}

/**
 * Signals in an editor's note (NITF `ed-msg`, NewsML-G2 `edNote`, ANPA `Eds:` lines):
 * "Kills ...", "Corrects ...", "Adds ..." / "Updates ..." / "Recasts ..." / "Writethru".
 */
export function noteSignals(note: string | undefined): StatusSignals {
  if (note === undefined) return {};
  return {
    killed: /\b(?:kill|kills|killed|withdrawn)\b/i.test(note),
    correction: /\b(?:corrects|corrected|correction)\b/i.test(note),
    update: /\b(?:adds|updates|updated|recasts|rewrites|writethru|write-thru)\b/i.test(note),
  };
}

/** killed > withheld > correction > update > usable: a retraction must never be lost to a weaker signal. */
export function resolveStatus(...signals: StatusSignals[]): StoryStatus {
  const any = (name: keyof StatusSignals): boolean => signals.some((signal) => signal[name] === true);
  if (any('killed')) return 'killed';
  if (any('withheld')) return 'withheld';
  if (any('correction')) return 'correction';
  if (any('update')) return 'update';
  return 'usable';
}

/** Whole number from a number or numeric string, else undefined. */
export function toInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

function optionalText(value: string | undefined): string | undefined {
  const clean = value === undefined ? '' : cleanLine(value);
  return clean === '' ? undefined : clean;
}

/** `{ [name]: list }` when the cleaned list has entries, else nothing: stories without the metadata stay as they were. */
function optionalList<Name extends string>(
  name: Name,
  list: readonly (string | undefined)[] | undefined,
): Partial<Record<Name, readonly string[]>> {
  const clean = uniqueClean(list ?? []);
  return clean.length === 0 ? {} : ({ [name]: clean } as unknown as Partial<Record<Name, readonly string[]>>);
}

const FORMAT_LABELS: Readonly<Record<StoryFormat, string>> = {
  dowjones: 'Dow Jones',
  nitf: 'NITF',
  'newsml-g2': 'NewsML-G2',
  'newsml-1': 'NewsML 1',
  ninjs: 'ninjs',
  anpa: 'ANPA-1312',
  envelope: 'envelope',
};

/**
 * Normalizes a draft into a Story: text cleaned (no control characters, no CR/LF in one-line fields),
 * lists de-duplicated, body paragraphs joined by one blank line, numbers range-checked.
 * A story with neither headline nor body text is refused: there is nothing to match or to alert with.
 */
export function finishStory(format: StoryFormat, draft: StoryDraft): Story {
  const headline = cleanLine(draft.headline ?? '');
  const paragraphs = trimCredits(draft.paragraphs?.map(cleanLine).filter((line) => line !== '') ?? []);
  // Some feeds repeat the headline as the first line of the text.
  if (headline !== '' && paragraphs[0]?.toLowerCase() === headline.toLowerCase()) paragraphs.shift();
  const body = paragraphs.join('\n\n');
  if (headline === '' && body === '') {
    throw new StoryParseError(
      'missing-field',
      `${FORMAT_LABELS[format]} story ${draft.id} has no headline and no body text, so there is nothing to alert on; send the story with its text`,
    );
  }
  const version = toInteger(draft.version);
  const urgency = toInteger(draft.urgency);
  const status =
    draft.status !== undefined && STORY_STATUSES.includes(draft.status) ? draft.status : 'usable';
  return {
    id: cleanLine(draft.id),
    format,
    headline,
    authors: uniqueClean(draft.authors ?? []),
    dateline: cleanLine(draft.dateline ?? ''),
    body,
    summary: uniqueClean(draft.summary ?? []),
    publishedAt: draft.publishedAt,
    language: optionalText(draft.language),
    status,
    version: version !== undefined && version >= 1 ? version : 1,
    urgency: urgency !== undefined && urgency >= 1 && urgency <= 9 ? urgency : undefined,
    slugline: optionalText(draft.slugline),
    url: optionalText(draft.url),
    keywords: uniqueClean(draft.keywords ?? []),
    subjects: uniqueClean(draft.subjects ?? []),
    people: uniqueClean(draft.people ?? []),
    organisations: uniqueClean(draft.organisations ?? []),
    ...optionalList('subjectCodes', draft.subjectCodes),
    ...optionalList('places', draft.places),
    ...optionalList('tickers', draft.tickers),
    source: optionalText(draft.source),
  };
}
