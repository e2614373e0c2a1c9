import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../definitions/resources.ts';
import { type Inbox, startInbox } from '../../local/inbox.ts';
import { type ProvisionedResources, provisionResources, standinClients } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

describe('drop folder', () => {
  let standins: Standins;
  let resources: ProvisionedResources;
  let clients: ReturnType<typeof standinClients>;
  let dir: string;
  let inbox: Inbox;
  const sent: string[] = [];
  const rejected: string[] = [];

  beforeAll(async () => {
    standins = await startStandins();
    resources = await provisionResources(standins);
    clients = standinClients(standins);
    dir = await mkdtemp(join(tmpdir(), 'wirewatch-inbox-'));
    inbox = await startInbox({
      dir,
      sqs: clients.sqs,
      queueUrl: resources.queues.stories.url,
      // Polls only when the test says so.
      intervalMs: 3_600_000,
      onSent: (file) => sent.push(file),
      onRejected: (file, reason) => rejected.push(`${file}: ${reason}`),
    });
  });
  afterAll(async () => {
    await inbox?.stop();
    for (const client of Object.values(clients ?? {})) client.destroy();
    await standins?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a file once it stopped changing, then moves it to sent/', async () => {
    await writeFile(join(dir, 'story.txt'), 'Invented: a first half');
    await inbox.poll();
    expect(sent).toEqual([]); // first sight: maybe still being written
    await writeFile(join(dir, 'story.txt'), 'Invented: a first half and the second half');
    await inbox.poll();
    expect(sent).toEqual([]); // changed since
    await inbox.poll();
    expect(sent).toEqual(['story.txt']);
    expect(await readdir(inbox.sentDir)).toEqual(['story.txt']);
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.stories.url, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => message.Body)).toEqual(['Invented: a first half and the second half']);
  });

  it('sends an ANPA file (control characters) base64-encoded, marked contentEncoding=base64', async () => {
    const anpa = Buffer.from('\x16\x16\x01a0001 r i BC-Invented\x02 Harbour story.\x03', 'latin1');
    await writeFile(join(dir, 'story.tst'), anpa);
    await inbox.poll();
    await inbox.poll();
    expect(sent).toContain('story.tst');
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queues.stories.url,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages[0]?.MessageAttributes?.contentEncoding?.StringValue).toBe('base64');
    expect(Buffer.from(Messages[0]?.Body ?? '', 'base64')).toEqual(anpa);
  });

  it('moves what SQS cannot take to rejected/ with the reason, and ignores dotfiles', async () => {
    await writeFile(join(dir, 'huge.txt'), 'x'.repeat(QUEUES.stories.maxMessageSizeBytes + 1));
    await writeFile(
      join(dir, 'huge.tst'),
      Buffer.concat([Buffer.alloc(900 * 1024, 0x16), Buffer.from([0x03])]),
    );
    await writeFile(join(dir, '.partial'), 'editor swap file');
    await inbox.poll();
    await inbox.poll();
    expect(rejected.sort()).toEqual([
      expect.stringMatching(/^huge\.tst: over the 1 MiB SQS limit once base64-encoded/),
      expect.stringMatching(/^huge\.txt: .*1 MiB/),
    ]);
    expect((await readdir(inbox.rejectedDir)).sort()).toEqual(['huge.tst', 'huge.txt']);
    expect(existsSync(join(dir, '.partial'))).toBe(true);
  });
  it('never sends a half-written file: waits until the XML is closed, then sends the whole', async () => {
    const half = '<?xml version="1.0"?>\n<nitf><head><title>Invented harbour story</title></head><body>';
    const whole = `${half}<body.content><p>The harbour reopened.</p></body.content></body></nitf>\n`;
    const path = join(dir, 'harbour.xml');
    await writeFile(path, half);
    for (let poll = 0; poll < 4; poll++) await inbox.poll();
    expect(sent).not.toContain('harbour.xml');
    expect(existsSync(path)).toBe(true);
    await writeFile(path, whole);
    await inbox.poll();
    await inbox.poll();
    expect(sent).toContain('harbour.xml');
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.stories.url, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => message.Body)).toEqual([whole]);
  });

  it('ignores a file under a temporary name until it is renamed into place', async () => {
    const temporary = join(dir, 'quay.json.part');
    await writeFile(temporary, '{"wirewatch": 1, "id": "quay-1", "headline": "Quay', 'utf8');
    await inbox.poll();
    await inbox.poll();
    expect(existsSync(temporary)).toBe(true);
    await writeFile(
      temporary,
      '{"wirewatch": 1, "id": "quay-1", "headline": "Quay reopens", "body": "Invented."}',
    );
    await rename(temporary, join(dir, 'quay.json'));
    await inbox.poll();
    await inbox.poll();
    expect(sent).toContain('quay.json');
    expect(rejected.filter((line) => line.startsWith('quay'))).toEqual([]);
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: resources.queues.stories.url }));
  });

  it('rejects, with the reason and the way out, a file that stays cut short', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'wirewatch-inbox-cut-'));
    const reasons: string[] = [];
    const strict = await startInbox({
      dir: otherDir,
      sqs: clients.sqs,
      queueUrl: resources.queues.stories.url,
      intervalMs: 3_600_000,
      incompleteAfterMs: 0,
      onSent: (file) => reasons.push(`sent ${file}`),
      onRejected: (file, reason) => reasons.push(`${file}: ${reason}`),
    });
    try {
      await writeFile(join(otherDir, 'cut.json'), '{"wirewatch": 1, "id": "cut-1", "headline": "Cut');
      await strict.poll();
      await strict.poll();
      expect(reasons).toEqual([
        'cut.json: looks cut short: JSON that does not parse (cut short?). Write a file under a temporary name ' +
          '(.part, or a leading dot) and rename it into the folder when it is complete',
      ]);
      expect(await readdir(strict.rejectedDir)).toEqual(['cut.json']);
    } finally {
      await strict.stop();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
