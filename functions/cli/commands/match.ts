import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../core/describe-error.ts';
import {
  compileSubscriptions,
  type Match,
  type MatchIndex,
  renderSnippet,
} from '../../core/matching/index.ts';
import type { Hit, QuerySource } from '../../core/matching/types.ts';
import { StoryParseError } from '../../core/stories/errors.ts';
import { parseStories } from '../../core/stories/parse.ts';
import { readArguments } from '../arguments.ts';
import { ChunkedOutput, lineSink } from '../chunked-output.ts';
import type { Command, CommandIo } from '../command.ts';
import { readStoryFile } from '../story-file.ts';

const USAGE = [
  'Usage: npm run --silent wirewatch -- match --subscriptions SUBS.json [--ids] FILE...',
  '',
  'Matches wire story files against subscriptions and prints, for each story, one JSON line:',
  '  {"story": "<id>", "matches": [{"subscription": "<id>", "snippet": "...[hit]...", "hits": [...]}]}',
  'SUBS.json is an array of {"id": "...", "query": "..."} (other properties are ignored).',
  '--ids prints the matched subscriptions only, unexplained: {"story": "<id>", "matches": [{"subscription": "<id>"}]}',
  '(at a million subscriptions the explanations are most of the output and of the time).',
  '',
  'Exit status: 0 when everything matched; 1 when a story file failed to parse (one line on',
  'stderr per file, the others still match); 2 for a usage error, an unreadable SUBS.json, or a',
  'subscription whose query does not parse (reported on stderr and skipped). 2 wins over 1.',
].join('\n');

const PREFIX = 'wirewatch match';

interface Arguments {
  readonly subscriptions: string;
  readonly files: readonly string[];
  /** Matched subscription ids only, no snippets or hits. */
  readonly idsOnly: boolean;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function readMatchArguments(args: readonly string[]): Arguments | string {
  const parsed = readArguments(args, {
    strings: ['subscriptions'],
    flags: ['ids'],
    values: { subscriptions: 'a file name' },
  });
  if (typeof parsed === 'string') return parsed;
  const subscriptions = parsed.options.subscriptions;
  if (subscriptions === '') return '--subscriptions needs a file name';
  if (typeof subscriptions !== 'string') return 'give the subscriptions with --subscriptions SUBS.json';
  if (parsed.positional.length === 0) return 'give at least one story FILE';
  return { subscriptions, files: parsed.positional, idsOnly: parsed.options.ids === true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The subscriptions in the file, or the one-line reason they cannot be used. */
async function readSubscriptions(file: string): Promise<QuerySource[] | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return code === 'ENOENT' ? 'no such file' : errorMessage(error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${errorMessage(error)})`;
  }
  if (!Array.isArray(json)) return 'must be a JSON array of {"id": "...", "query": "..."} objects';
  const subs: QuerySource[] = [];
  const seen = new Set<string>();
  for (const [position, entry] of json.entries()) {
    if (
      !isRecord(entry) ||
      typeof entry.id !== 'string' ||
      typeof entry.query !== 'string' ||
      entry.id === ''
    ) {
      return `entry ${position} must be an object with a non-empty string "id" and a string "query"`;
    }
    if (seen.has(entry.id))
      return `entry ${position} repeats the id ${JSON.stringify(entry.id)}; ids must be unique`;
    seen.add(entry.id);
    subs.push({ id: entry.id, query: entry.query });
  }
  return subs;
}

const MATCH_OPEN = Buffer.from('{"subscription":');
const NEXT_MATCH_OPEN = Buffer.from(',{"subscription":');
const ID_ONLY_CLOSE = Buffer.from('}');

/** The explanations of a story's matches, each worked out and serialised once. */
interface Explained {
  /** The distinct rests of a match's object after its id: `,"snippet":...,"hits":[...]}`. */
  readonly texts: readonly string[];
  /** For each match, which of `texts` is its own. */
  readonly textOf: readonly number[];
}

/**
 * Subscriptions with the same query share one hits array (and so one snippet): at a million subscriptions
 * most matches share one. Worked out before anything of the line is written, so that a failure leaves no
 * half line.
 */
function explanations(matches: readonly Match[]): Explained {
  const known = new Map<readonly Hit[], number>();
  const texts: string[] = [];
  const textOf: number[] = new Array(matches.length);
  for (let i = 0; i < matches.length; i++) {
    const match = matches[i] as Match;
    const hits = match.hits;
    let at = known.get(hits);
    if (at === undefined) {
      at = texts.length;
      texts.push(
        `,"snippet":${JSON.stringify(renderSnippet(match.snippet))},"hits":${JSON.stringify(hits)}}`,
      );
      known.set(hits, at);
    }
    textOf[i] = at;
  }
  return { texts, textOf };
}

/**
 * One story's output line: `{"story", "matches": [{"subscription", "snippet", "hits"}]}`, or with `--ids`
 * `{"story", "matches": [{"subscription"}]}` (no explanation is worked out, since nothing reads them). Each
 * explanation is encoded once, where it is first written; later matches sharing it copy those bytes.
 */
function writeStoryLine(
  out: ChunkedOutput,
  storyId: string,
  matches: readonly Match[],
  idsOnly: boolean,
): void {
  const explained = idsOnly ? undefined : explanations(matches);
  const written: (Uint8Array | undefined)[] = new Array(explained?.texts.length ?? 0);
  out.text('{"story":');
  out.jsonString(storyId);
  out.text(',"matches":[');
  for (let i = 0; i < matches.length; i++) {
    out.bytes(i === 0 ? MATCH_OPEN : NEXT_MATCH_OPEN);
    out.jsonString((matches[i] as Match).subscriptionId);
    if (explained === undefined) {
      out.bytes(ID_ONLY_CLOSE);
      continue;
    }
    const at = explained.textOf[i] as number;
    const bytes = written[at];
    if (bytes === undefined) written[at] = out.keptText(explained.texts[at] as string);
    else out.bytes(bytes);
  }
  out.text(']}\n');
}

/** Matches the stories of one file; returns the error line, or undefined when it parsed. */
async function matchFile(
  file: string,
  index: MatchIndex,
  out: ChunkedOutput,
  idsOnly: boolean,
): Promise<string | undefined> {
  const bytes = await readStoryFile(file);
  if (typeof bytes === 'string') return bytes;
  try {
    for (const story of parseStories(bytes)) {
      writeStoryLine(out, story.id, index.match(story), idsOnly);
      await out.drained();
    }
    return undefined;
  } catch (error) {
    if (error instanceof StoryParseError) return error.message;
    return `internal error: ${errorMessage(error)}`;
  }
}

/** Where the lines go: the byte stream when there is one, else line by line. */
function outputFor(io: CommandIo): { out: ChunkedOutput; end(): Promise<void> } {
  if (io.writeStdout !== undefined) {
    const out = new ChunkedOutput(io.writeStdout);
    return { out, end: () => out.end() };
  }
  const lines = lineSink(io.stdout);
  const out = new ChunkedOutput(lines.sink);
  return {
    out,
    async end() {
      await out.end();
      lines.end();
    },
  };
}

export const command: Command = {
  summary: 'match story files against subscriptions and explain each match',
  usage: USAGE,
  async run(args, io) {
    const parsed = readMatchArguments(args);
    if (typeof parsed === 'string') {
      io.stderr(`${PREFIX}: ${parsed}`);
      io.stderr(USAGE.split('\n')[0] as string);
      return 2;
    }
    const subs = await readSubscriptions(parsed.subscriptions);
    if (typeof subs === 'string') {
      io.stderr(`${PREFIX}: ${oneLine(parsed.subscriptions)}: ${subs}`);
      return 2;
    }
    const { index, errors } = compileSubscriptions(subs);
    for (const { id, error } of errors) {
      io.stderr(
        `${PREFIX}: subscription ${JSON.stringify(id)} skipped: ${error.message} (position ${error.position})`,
      );
    }
    let failedFiles = 0;
    const output = outputFor(io);
    for (const file of parsed.files) {
      const problem = await matchFile(file, index, output.out, parsed.idsOnly);
      if (problem !== undefined) {
        failedFiles += 1;
        io.stderr(`${PREFIX}: ${oneLine(file)}: ${problem}`);
      }
    }
    await output.end();
    if (errors.length > 0) return 2;
    return failedFiles > 0 ? 1 : 0;
  },
};
