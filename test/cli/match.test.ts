import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../functions/cli/commands/match.ts';

const STORY = `By Ana Reporter

MEXICO CITY--Mr. Kelly said there would be "no mass deportations." Homeland Security Secretary John Kelly spoke on Thursday.

(END) Dow Jones Newswires

February 23, 2017 15:13 ET (20:13 GMT)
`;

const OTHER_STORY = `By Ana Reporter

LISBON--Ministers met on Tuesday to discuss fishing quotas.

(END) Dow Jones Newswires

February 24, 2017 10:00 ET (15:00 GMT)
`;

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function run(args: string[]): Promise<{ status: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await command.run(args, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
  });
  return { status, stdout, stderr };
}

/** Runs the CLI as a process whose stdout is a pipe read slowly, or closed after the first chunk. */
function runCli(
  args: string[],
  reader: 'slow' | 'closes early',
): Promise<{ status: number | null; stdout: Buffer; stderr: string }> {
  const tsx = join(REPOSITORY, 'node_modules/.bin/tsx');
  const child = spawn(tsx, ['functions/cli/wirewatch.ts', 'match', ...args], { cwd: REPOSITORY });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  child.stdout.on('data', (data: Buffer) => {
    chunks.push(data);
    if (reader === 'closes early') {
      child.stdout.destroy();
      return;
    }
    // Fall behind the writer: it has to wait for the pipe to empty, many times over.
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 2);
  });
  return new Promise((done) => {
    child.on('close', (status) => done({ status, stdout: Buffer.concat(chunks), stderr }));
  });
}

/** Subscriptions that all match STORY, so that one story's line is large. */
async function manySubscriptions(name: string, count: number): Promise<string> {
  const queries = ['"mass deportations"', 'person:"John Kelly"', 'kelly AND deportations', 'homeland'];
  return file(
    name,
    JSON.stringify(
      Array.from({ length: count }, (_, at) => ({ id: `sub-${at}`, query: queries[at % queries.length] })),
    ),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wirewatch-match-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wirewatch match', () => {
  it('prints one JSON line per story with matches, snippets and hits', async () => {
    const subs = await file(
      'subs.json',
      JSON.stringify([
        { id: 'kelly', query: 'person:"John Kelly"', name: 'ignored' },
        { id: 'phrase', query: '"mass deportations"' },
        { id: 'fish', query: 'quotas' },
      ]),
    );
    const result = await run([
      '--subscriptions',
      subs,
      await file('a.txt', STORY),
      await file('b.txt', OTHER_STORY),
    ]);
    expect(result.stderr).toEqual([]);
    expect(result.status).toBe(0);
    const [first, second] = result.stdout.map((line) => JSON.parse(line));
    expect(result.stdout).toHaveLength(2);
    expect(first.matches.map((match: { subscription: string }) => match.subscription)).toEqual([
      'kelly',
      'phrase',
    ]);
    expect(first.matches[1].snippet).toBe('Mr. Kelly said there would be "no [mass deportations]."');
    expect(first.matches[1].hits).toEqual([
      { term: '"mass deportations"', field: 'body', start: 34, end: 51, text: 'mass deportations' },
    ]);
    expect(first.matches[0].hits.map((hit: { text: string }) => hit.text)).toEqual([
      'Mr. Kelly',
      'John Kelly',
    ]);
    expect(typeof first.story).toBe('string');
    expect(second.matches.map((match: { subscription: string }) => match.subscription)).toEqual(['fish']);
  });

  it('writes the shared explanation of subscriptions with the same query in full for each of them', async () => {
    const subs = await file(
      'shared.json',
      JSON.stringify([
        { id: 'first', query: '"mass deportations"' },
        { id: 'other', query: 'kelly' },
        { id: 'second', query: '"mass deportations"' },
      ]),
    );
    const result = await run(['--subscriptions', subs, await file('shared.txt', STORY)]);
    expect(result.status).toBe(0);
    const line = JSON.parse(result.stdout[0] as string);
    const [first, , second] = line.matches;
    expect(line.matches.map((match: { subscription: string }) => match.subscription)).toEqual([
      'first',
      'other',
      'second',
    ]);
    expect(second).toEqual({ ...first, subscription: 'second' });
    expect(first.hits).toEqual([
      { term: '"mass deportations"', field: 'body', start: 34, end: 51, text: 'mass deportations' },
    ]);
    // The line is what serialising the whole object would give.
    expect(result.stdout[0]).toBe(JSON.stringify(line));
  });

  it('with --ids prints the same matches in the same order, ids only', async () => {
    const subs = await file(
      'ids.json',
      JSON.stringify([
        { id: 'first', query: '"mass deportations"' },
        { id: 'fish', query: 'quotas' },
        { id: 'other', query: 'kelly' },
      ]),
    );
    const stories = [await file('ids-a.txt', STORY), await file('ids-b.txt', OTHER_STORY)];
    const explained = await run(['--subscriptions', subs, ...stories]);
    const idsOnly = await run(['--subscriptions', subs, '--ids', ...stories]);
    expect(idsOnly.status).toBe(0);
    expect(idsOnly.stdout).toHaveLength(2);
    const lines = idsOnly.stdout.map((line) => JSON.parse(line));
    expect(lines[0].matches).toEqual([{ subscription: 'first' }, { subscription: 'other' }]);
    expect(lines[1].matches).toEqual([{ subscription: 'fish' }]);
    expect(lines.map((line) => line.story)).toEqual(explained.stdout.map((line) => JSON.parse(line).story));
  });

  it('writes the same lines to a byte stream as line by line', async () => {
    const subs = await manySubscriptions('bytes.json', 3000);
    const stories = [await file('bytes-a.txt', STORY), await file('bytes-b.txt', OTHER_STORY)];
    const lines = await run(['--subscriptions', subs, ...stories, await file('bytes-c.txt', STORY)]);
    const chunks: Uint8Array[] = [];
    const stderr: string[] = [];
    const status = await command.run(['--subscriptions', subs, ...stories, join(dir, 'bytes-c.txt')], {
      stdout: () => {
        throw new Error('bulk output goes to writeStdout when there is one');
      },
      stderr: (line) => stderr.push(line),
      writeStdout: (bytes) => {
        chunks.push(Buffer.from(bytes));
        return undefined;
      },
    });
    expect(status).toBe(0);
    expect(stderr).toEqual([]);
    expect(lines.stdout).toHaveLength(3);
    expect(JSON.parse(lines.stdout[0] as string).matches).toHaveLength(3000);
    // More than one chunk, so lines are cut between chunks and put together again.
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(lines.stdout.map((line) => `${line}\n`).join(''));
  });

  it('loses nothing when stdout is a pipe read slowly', async () => {
    const subs = await manySubscriptions('slow.json', 4000);
    const stories = [await file('slow-a.txt', STORY), await file('slow-b.txt', STORY)];
    const expected = await run(['--subscriptions', subs, ...stories]);
    const result = await runCli(['--subscriptions', subs, ...stories], 'slow');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Over a megabyte: several chunks and many times what a pipe holds.
    expect(result.stdout.length).toBeGreaterThan(1 << 20);
    expect(result.stdout.toString('utf8')).toBe(expected.stdout.map((line) => `${line}\n`).join(''));
  });

  it('stops quietly with status 141 when the reader closes stdout early', async () => {
    const subs = await manySubscriptions('early.json', 4000);
    const story = await file('early.txt', STORY);
    const result = await runCli(['--subscriptions', subs, story, story, story], 'closes early');
    expect(result.status).toBe(141);
    expect(result.stderr).toBe('');
    expect(result.stdout.length).toBeGreaterThan(0);
  });

  it('skips a subscription whose query does not parse, says where, and exits 2', async () => {
    const subs = await file(
      'bad-query.json',
      JSON.stringify([
        { id: 'broken', query: 'deportations AND (mass' },
        { id: 'ok', query: 'deportations' },
      ]),
    );
    const result = await run(['--subscriptions', subs, await file('c.txt', STORY)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toEqual([
      'wirewatch match: subscription "broken" skipped: Unclosed parenthesis at 17: add a closing ) (position 17)',
    ]);
    expect(
      JSON.parse(result.stdout[0] ?? '{}').matches.map((m: { subscription: string }) => m.subscription),
    ).toEqual(['ok']);
  });

  it('reports a story that fails to parse, goes on, and exits 1', async () => {
    const subs = await file('one.json', JSON.stringify([{ id: 'ok', query: 'deportations' }]));
    const empty = await file('empty.txt', '');
    const result = await run([
      '--subscriptions',
      subs,
      empty,
      await file('d.txt', STORY),
      join(dir, 'missing.txt'),
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toHaveLength(1);
    expect(result.stderr).toHaveLength(2);
    expect(result.stderr[0]).toMatch(/^wirewatch match: .*empty\.txt: /);
    expect(result.stderr[1]).toMatch(/missing\.txt: no such file$/);
  });

  it('exits 2 when both a query and a story fail', async () => {
    const subs = await file('mixed.json', JSON.stringify([{ id: 'bad', query: 'hedline:x' }]));
    const result = await run(['--subscriptions', subs, await file('empty2.txt', '')]);
    expect(result.status).toBe(2);
    expect(result.stderr[0]).toContain("Unknown field 'hedline' at 0");
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['{"id": "a", "query": "b"}', 'must be a JSON array'],
    ['[{"id": "a"}]', 'entry 0 must be an object with a non-empty string "id" and a string "query"'],
    ['[{"id": "a", "query": "x"}, {"id": "a", "query": "y"}]', 'entry 1 repeats the id "a"'],
  ])('rejects subscriptions %j with one line and exit 2', async (content, message) => {
    const subs = await file('shape.json', content);
    const result = await run(['--subscriptions', subs, await file('e.txt', STORY)]);
    expect(result.status).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toContain(message);
  });

  it.each([
    [[], 'give the subscriptions with --subscriptions SUBS.json'],
    [['--subscriptions'], '--subscriptions needs a file name'],
    [['--subscriptions', 'x.json'], 'give at least one story FILE'],
    [['--bogus'], "unknown option '--bogus'"],
  ])('usage error %j exits 2', async (args, message) => {
    const result = await run(args);
    expect(result.status).toBe(2);
    expect(result.stderr[0]).toBe(`wirewatch match: ${message}`);
  });

  it('reports a missing subscriptions file', async () => {
    const result = await run(['--subscriptions', join(dir, 'nope.json'), 'story.txt']);
    expect(result.status).toBe(2);
    expect(result.stderr[0]).toMatch(/nope\.json: no such file$/);
  });
});
