import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../functions/cli/commands/parse.ts';
import { MAX_STORY_BYTES } from '../../functions/core/stories/errors.ts';
import { FIXTURES } from '../core/stories/support.ts';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STORY_FIELDS = [
  'id',
  'format',
  'headline',
  'authors',
  'dateline',
  'body',
  'summary',
  'publishedAt',
  'language',
  'status',
  'version',
  'urgency',
  'slugline',
  'url',
  'keywords',
  'subjects',
  'people',
  'organisations',
  'subjectCodes',
  'places',
  'tickers',
  'source',
];

const scratch = mkdtempSync(join(tmpdir(), 'wirewatch-parse-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

async function run(...args: string[]): Promise<{ status: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await command.run(args, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
  });
  return { status, stdout, stderr };
}

describe('wirewatch parse', () => {
  it('prints one JSON line per story with every Story field, and exits 0', async () => {
    const result = await run(join(FIXTURES, 'dowjones-port.txt'), join(FIXTURES, 'newsml-message.xml'));
    expect(result.status).toBe(0);
    expect(result.stderr).toEqual([]);
    expect(result.stdout).toHaveLength(3); // the NewsML-G2 message holds two stories
    const stories = result.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const story of stories) expect(Object.keys(story)).toEqual(STORY_FIELDS);
    expect(stories[0]).toMatchObject({
      format: 'dowjones',
      dateline: 'GOTHENBURG',
      urgency: null,
      url: null,
    });
    expect(stories.map((story) => story.id)).toContain('urn:newsml:example.org:20260402:recall');
  });

  it('reports a failing file in one line on stderr, parses the others and exits 1', async () => {
    const broken = scratchFile('broken.xml', '<nitf>\n<body>\n</nitf>');
    const result = await run(broken, join(FIXTURES, 'ninjs-2.json'));
    expect(result.status).toBe(1);
    expect(result.stdout).toHaveLength(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(
      new RegExp(
        `^wirewatch parse: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*line \\d+, column \\d+`,
      ),
    );
  });

  it('gives clear one-line errors for missing files, directories and oversized files', async () => {
    const large = scratchFile('large.txt', new Uint8Array(MAX_STORY_BYTES + 1).fill(0x61));
    const missing = join(scratch, 'missing.xml');
    const result = await run(missing, scratch, large);
    expect(result.status).toBe(1);
    expect(result.stderr).toEqual([
      `wirewatch parse: ${missing}: no such file`,
      `wirewatch parse: ${scratch}: is a directory; give story files`,
      `wirewatch parse: ${large}: story is ${MAX_STORY_BYTES + 1} bytes, over the ${MAX_STORY_BYTES}-byte limit (1 MiB, the SQS message limit)`,
    ]);
  });

  it('reads every file as the --format given', async () => {
    const plain = scratchFile('plain.txt', 'Shares rose on Monday.\n\nBonds were flat.');
    expect((await run(plain)).status).toBe(1);
    const hinted = await run('--format', 'dowjones', plain);
    expect(hinted.status).toBe(0);
    expect(JSON.parse(hinted.stdout[0]!)).toMatchObject({
      format: 'dowjones',
      body: 'Shares rose on Monday.\n\nBonds were flat.',
    });
    const wrong = await run(`--format=nitf`, join(FIXTURES, 'ninjs-2.json'));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr[0]).toContain('not well-formed XML');
  });

  it('takes arguments after -- as file names, even when they start with -', async () => {
    const result = await run('--', '-no-such-story.xml');
    expect(result.status).toBe(1);
    expect(result.stderr).toEqual(['wirewatch parse: -no-such-story.xml: no such file']);
  });

  it.each([
    [[], 'give at least one story FILE'],
    [['--verbose', 'x'], "unknown option '--verbose'"],
    [['--format', 'xml', 'x'], "not 'xml'"],
    [['--format'], '--format needs one of'],
  ])('exits 2 on usage error %j', async (args, message) => {
    const result = await run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr[0]).toContain(message);
    expect(result.stdout).toEqual([]);
  });

  it('runs from the command line: JSON lines on stdout, one error line on stderr, exit status 1', async () => {
    const broken = scratchFile('broken.json', '{"wirewatch": 1, "id": }');
    const tsx = join(REPOSITORY, 'node_modules/.bin/tsx');
    const error = await promisify(execFile)(
      tsx,
      ['functions/cli/wirewatch.ts', 'parse', join(FIXTURES, 'anpa-strike.tst'), broken],
      { cwd: REPOSITORY },
    ).then(
      () => undefined,
      (failure: { code: number; stdout: string; stderr: string }) => failure,
    );
    expect(error?.code).toBe(1);
    const stdout = error?.stdout.trim().split('\n') ?? [];
    expect(stdout).toHaveLength(1);
    expect(JSON.parse(stdout[0]!)).toMatchObject({ format: 'anpa', version: 3, status: 'update' });
    expect(error?.stderr.trim()).toMatch(
      /^wirewatch parse: .*broken\.json: story is not valid JSON at line 1, column \d+: .+$/,
    );
  });
});
