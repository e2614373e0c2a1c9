/** The wire formats Wirewatch reads. */
export const STORY_FORMATS = [
  'dowjones',
  'nitf',
  'newsml-g2',
  'newsml-1',
  'ninjs',
  'anpa',
  'envelope',
] as const;
export type StoryFormat = (typeof STORY_FORMATS)[number];

/**
 * Editorial status of a story version.
 * - usable: a normal, publishable story
 * - update: a later version, write-through or new take of a story already sent
 * - correction: a version that corrects an earlier one
 * - withheld: embargoed or held back; do not alert yet
 * - killed: withdrawn or cancelled; never alert, and treat as a retraction
 */
export const STORY_STATUSES = ['usable', 'update', 'correction', 'withheld', 'killed'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

/** One wire story, normalized from whatever format it arrived in. */
export interface Story {
  /** Stable id of the story across its versions (doc-id, guid, uri, StoryId...). */
  readonly id: string;
  readonly format: StoryFormat;
  /** Main headline; empty string when the format carried none (Dow Jones text often has none). */
  readonly headline: string;
  /** People credited in the byline, in order, without "By" and without titles. */
  readonly authors: readonly string[];
  /** The place of the dateline, e.g. `MEXICO CITY`; empty when absent. */
  readonly dateline: string;
  /** Body text: paragraphs separated by one blank line; no byline, contact, trailer or copyright lines. */
  readonly body: string;
  /** Summary bullets or abstract paragraphs, where the story has them. */
  readonly summary: readonly string[];
  /** ISO 8601 UTC (`2017-02-23T20:13:00Z`), or undefined when the story carried no usable time. */
  readonly publishedAt?: string | undefined;
  /** BCP 47 language tag when known (`en`, `de`). */
  readonly language?: string | undefined;
  readonly status: StoryStatus;
  /** Version of the story; higher is later. 1 when the format says nothing. */
  readonly version: number;
  /** 1 (most urgent, flash) to 9 (least), when the format carries it. */
  readonly urgency?: number | undefined;
  readonly slugline?: string | undefined;
  /** Link to the story where the format carries one. */
  readonly url?: string | undefined;
  readonly keywords: readonly string[];
  readonly subjects: readonly string[];
  readonly people: readonly string[];
  readonly organisations: readonly string[];
  /** Subject codes as the format writes them (`medtop:20000763`, `subj:11000000`), when it carries them beside names. */
  readonly subjectCodes?: readonly string[] | undefined;
  /** Place metadata besides the dateline (NewsML-G2 `located` and geographic subjects, ninjs `places`...). */
  readonly places?: readonly string[] | undefined;
  /** Ticker metadata, `EXCHANGE:SYMBOL` or `SYMBOL` (`NYSE:BKR`). */
  readonly tickers?: readonly string[] | undefined;
  /** Provider or source, e.g. `Dow Jones Newswires`, `AP`, `Reuters`. */
  readonly source?: string | undefined;
}
