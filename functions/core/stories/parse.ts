import { detectFormat, jsonFormat, parseJson, unknownFormat } from './detect.ts';
import { finishStory, type StoryDraft } from './draft.ts';
import { StoryParseError } from './errors.ts';
import { parseAnpa } from './formats/anpa.ts';
import { parseDowJonesRecord, parseDowJonesText } from './formats/dowjones.ts';
import { envelopeDraft } from './formats/envelope.ts';
import { parseNewsMl1 } from './formats/newsml-1.ts';
import { parseNewsMlG2 } from './formats/newsml-g2.ts';
import { ninjsDraft } from './formats/ninjs.ts';
import { parseNitf } from './formats/nitf.ts';
import { decodeStoryInput } from './input.ts';
import { STORY_FORMATS, type Story, type StoryFormat } from './story.ts';
import { stripSafeDoctype } from './xml.ts';

export { detectFormat } from './detect.ts';

export interface ParseStoryOptions {
  /** Skip detection and read the input as this format. Default: detect from the content. */
  readonly format?: StoryFormat | undefined;
}

function jsonObject(text: string, what: string): Record<string, unknown> {
  const json = parseJson(text.trim());
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new StoryParseError('malformed-json', `${what} must be a JSON object; send one story object`);
  }
  return json as Record<string, unknown>;
}

function drafts(text: string, format: StoryFormat): StoryDraft[] {
  switch (format) {
    case 'dowjones':
      return [
        text.trimStart().startsWith('{')
          ? parseDowJonesRecord(jsonObject(text, 'Dow Jones record'))
          : parseDowJonesText(text),
      ];
    case 'nitf':
      return [parseNitf(text)];
    case 'newsml-g2':
      return parseNewsMlG2(text);
    case 'newsml-1':
      return parseNewsMl1(text);
    case 'ninjs':
      return [ninjsDraft(jsonObject(text, 'ninjs story'))];
    case 'anpa':
      return [parseAnpa(text)];
    case 'envelope':
      return [envelopeDraft(jsonObject(text, 'envelope'))];
  }
}

function formatOf(text: string): StoryFormat {
  const start = text.trimStart();
  // Refuse entity declarations before anything else looks at the markup.
  if (start.startsWith('<')) stripSafeDoctype(start);
  if (start.startsWith('{')) {
    const format = jsonFormat(jsonObject(start, 'JSON story'));
    if (format !== undefined) return format;
    throw unknownFormat(text);
  }
  const format = detectFormat(text);
  if (format === undefined) throw unknownFormat(text);
  return format;
}

/**
 * Every story in the input: one for most formats, one per `newsItem` in a NewsML-G2 `newsMessage`
 * and one per `NewsItem` in a NewsML 1.x document.
 * Items without any text are left out when the message has other stories.
 * Throws only StoryParseError (see errors.ts for the codes).
 */
export function parseStories(input: string | Uint8Array, options: ParseStoryOptions = {}): Story[] {
  const text = decodeStoryInput(input);
  if (options.format !== undefined && !STORY_FORMATS.includes(options.format)) {
    throw new StoryParseError(
      'unknown-format',
      `unknown format hint ${JSON.stringify(options.format)}; use one of ${STORY_FORMATS.join(', ')} or none`,
    );
  }
  const format = options.format ?? formatOf(text);
  const stories: Story[] = [];
  let firstError: StoryParseError | undefined;
  for (const draft of drafts(text, format)) {
    try {
      stories.push(finishStory(format, draft));
    } catch (error) {
      if (!(error instanceof StoryParseError)) throw error;
      firstError ??= error;
    }
  }
  if (stories.length === 0) throw firstError ?? unknownFormat(text);
  return stories;
}

/** The story in the input (the first one, for a NewsML message with several). */
export function parseStory(input: string | Uint8Array, options: ParseStoryOptions = {}): Story {
  return parseStories(input, options)[0]!;
}
