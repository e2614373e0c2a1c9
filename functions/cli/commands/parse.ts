import { errorMessage } from '../../core/describe-error.ts';
import { StoryParseError } from '../../core/stories/errors.ts';
import { parseStories } from '../../core/stories/parse.ts';
import { STORY_FORMATS, type Story, type StoryFormat } from '../../core/stories/story.ts';
import { readArguments } from '../arguments.ts';
import type { Command, CommandIo } from '../command.ts';
import { readStoryFile } from '../story-file.ts';

const USAGE = [
  'Usage: npm run --silent wirewatch -- parse [--format FORMAT] FILE...',
  '',
  'Reads wire stories (NITF, NewsML-G2, NewsML 1.x, ninjs, ANPA-1312, Dow Jones text or a Wirewatch',
  'JSON envelope, see docs/story-envelope.md) and prints each story as one JSON object per line.',
  '',
  'Options:',
  `  --format FORMAT  read every FILE as FORMAT (${STORY_FORMATS.join(', ')}) instead of detecting it`,
  '  --               end of options (for file names that start with -)',
  '',
  'Exit status: 0 when every file parsed, 1 when any file failed (each failure is one line on',
  'stderr: "wirewatch parse: FILE: reason"), 2 for a usage error.',
].join('\n');

interface Arguments {
  readonly files: string[];
  readonly format?: StoryFormat | undefined;
}

function isFormat(value: string): value is StoryFormat {
  return (STORY_FORMATS as readonly string[]).includes(value);
}

/** Options and files, or the one-line reason the arguments are wrong. */
function readParseArguments(args: readonly string[]): Arguments | string {
  const parsed = readArguments(args, {
    strings: ['format'],
    values: { format: `one of ${STORY_FORMATS.join(', ')}` },
  });
  if (typeof parsed === 'string') return parsed;
  const format = parsed.options.format;
  if (format !== undefined && (typeof format !== 'string' || !isFormat(format))) {
    return `--format needs one of ${STORY_FORMATS.join(', ')}, not '${String(format)}'`;
  }
  if (parsed.positional.length === 0) return 'give at least one story FILE';
  return { files: [...parsed.positional], format };
}

/** Every Story field, in a fixed order, optional ones as null, so that each line has the same shape. */
export function storyRecord(story: Story): Record<string, unknown> {
  return {
    id: story.id,
    format: story.format,
    headline: story.headline,
    authors: story.authors,
    dateline: story.dateline,
    body: story.body,
    summary: story.summary,
    publishedAt: story.publishedAt ?? null,
    language: story.language ?? null,
    status: story.status,
    version: story.version,
    urgency: story.urgency ?? null,
    slugline: story.slugline ?? null,
    url: story.url ?? null,
    keywords: story.keywords,
    subjects: story.subjects,
    people: story.people,
    organisations: story.organisations,
    subjectCodes: story.subjectCodes ?? [],
    places: story.places ?? [],
    tickers: story.tickers ?? [],
    source: story.source ?? null,
  };
}

/** Reads and parses one file; returns the error line, or undefined when it parsed. */
async function parseFile(
  file: string,
  format: StoryFormat | undefined,
  io: CommandIo,
): Promise<string | undefined> {
  const bytes = await readStoryFile(file);
  if (typeof bytes === 'string') return bytes;
  try {
    for (const story of parseStories(bytes, { format })) io.stdout(JSON.stringify(storyRecord(story)));
    return undefined;
  } catch (error) {
    if (error instanceof StoryParseError) return error.message;
    // A bug rather than bad input: report it on one line and go on with the other files.
    return `internal error: ${errorMessage(error)}`;
  }
}

export const command: Command = {
  summary: 'parse wire story files and print them as JSON lines',
  usage: USAGE,
  async run(args, io) {
    const parsed = readParseArguments(args);
    if (typeof parsed === 'string') {
      io.stderr(`wirewatch parse: ${parsed}`);
      io.stderr(USAGE.split('\n')[0]!);
      return 2;
    }
    let failed = 0;
    for (const file of parsed.files) {
      const problem = await parseFile(file, parsed.format, io);
      if (problem !== undefined) {
        failed += 1;
        io.stderr(`wirewatch parse: ${file.replace(/[\r\n]/g, ' ')}: ${problem}`);
      }
    }
    return failed === 0 ? 0 : 1;
  },
};
