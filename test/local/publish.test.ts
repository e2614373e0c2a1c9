import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QUEUES } from '../../definitions/resources.ts';
import { command } from '../../functions/cli/commands/publish.ts';
import { type ProvisionedResources, provisionResources } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

describe('wirewatch publish', () => {
  let standins: Standins;
  let resources: ProvisionedResources;
  let sqs: SQSClient;
  let dir: string;
  let port: string;

  beforeAll(async () => {
    standins = await startStandins();
    resources = await provisionResources(standins, { visibilityTimeoutSeconds: 2 });
    sqs = new SQSClient({
      region: standins.region,
      credentials: standins.credentials,
      endpoint: standins.endpoints.sqs,
    });
    dir = await mkdtemp(join(tmpdir(), 'wirewatch-publish-'));
    port = new URL(standins.endpoints.sqs).port;
  });
  afterAll(async () => {
    sqs?.destroy();
    await standins?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function run(args: readonly string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await command.run(args, {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
    });
    return { status, out, err };
  }

  async function receiveAll(): Promise<string[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queues.stories.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    return Messages.map((message) => message.Body ?? '');
  }

  it('sends each file as one message body and prints its message id', async () => {
    const story = join(dir, 'story.txt');
    const text = 'Invented story: a court ruled on deportation appeals on Tuesday.\n';
    await writeFile(story, text);
    const { status, out, err } = await run(['--aws-port', port, story]);
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^${story.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\t[0-9a-f-]{36}$`));
    expect(await receiveAll()).toEqual([text]);
  });

  it('reports a missing and an oversized file in one line each, still sends the others, exits 1', async () => {
    const good = join(dir, 'good.xml');
    const huge = join(dir, 'huge.txt');
    // Fits as bytes, but not once base64-encoded (control characters force base64).
    const hugeBinary = join(dir, 'huge.tst');
    await writeFile(good, '<nitf><body><body.content><p>Invented.</p></body.content></body></nitf>');
    await writeFile(huge, 'x'.repeat(QUEUES.stories.maxMessageSizeBytes + 1));
    await writeFile(hugeBinary, Buffer.alloc(900 * 1024, 0x16));
    const missing = join(dir, 'missing.txt');
    const { status, out, err } = await run(['--aws-port', port, missing, huge, good, hugeBinary]);
    expect(status).toBe(1);
    expect(out.map((line) => line.split('\t')[0])).toEqual([good]);
    expect(err).toHaveLength(3);
    expect(err[0]).toContain(`${missing}: cannot read it (no such file)`);
    expect(err[1]).toContain(`${huge}: `);
    expect(err[1]).toContain('1 MiB');
    expect(err[2]).toContain(`${hugeBinary}: base64-encoded`);
    for (const line of err) expect(line).not.toMatch(/[\r\n]/);
    expect(await receiveAll()).toHaveLength(1);
  });

  it('sends what SQS cannot carry as text (ANPA control characters, Latin-1) as base64, marked as such', async () => {
    const anpa = join(dir, 'story.anpa');
    const latin1 = join(dir, 'latin1.txt');
    const anpaBytes = Buffer.from('\x16\x16\x01a0001 r i BC-Invented\x02 Harbour story.\x03', 'latin1');
    const latin1Bytes = Buffer.from([0x50, 0x65, 0xf1, 0x61]);
    await writeFile(anpa, anpaBytes);
    await writeFile(latin1, latin1Bytes);
    const { status, err } = await run(['--aws-port', port, anpa, latin1]);
    expect(err).toEqual([]);
    expect(status).toBe(0);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queues.stories.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(2);
    for (const message of Messages) {
      expect(message.MessageAttributes?.contentEncoding).toEqual({
        DataType: 'String',
        StringValue: 'base64',
      });
    }
    expect(Messages.map((message) => Buffer.from(message.Body ?? '', 'base64')).sort(Buffer.compare)).toEqual(
      [anpaBytes, latin1Bytes].sort(Buffer.compare),
    );
  });

  it('sends to an explicit --queue-url', async () => {
    const story = join(dir, 'explicit.txt');
    await writeFile(story, 'Invented story for an explicit queue URL.');
    // Not the local default: region and credentials come from the default chain (here the environment).
    vi.stubEnv('AWS_REGION', standins.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'from-env');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'from-env');
    try {
      const { status, err } = await run(['--queue-url', resources.queues.deliveries.url, story]);
      expect(err).toEqual([]);
      expect(status).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.deliveries.url, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => message.Body)).toEqual(['Invented story for an explicit queue URL.']);
  });

  it('explains usage mistakes in one line', async () => {
    expect((await run([])).err).toEqual([expect.stringContaining('no FILE given')]);
    expect((await run(['--bogus', 'x'])).err).toEqual([expect.stringContaining("unknown option '--bogus'")]);
    expect((await run(['--aws-port', 'seventy', 'x'])).err).toEqual([
      expect.stringContaining('not a port number'),
    ]);
    expect((await run(['--queue-url'])).err).toEqual([expect.stringContaining('--queue-url needs a value')]);
  });
});
