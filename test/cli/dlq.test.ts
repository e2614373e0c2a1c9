import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, describeDeadLetter } from '../../functions/cli/commands/dlq.ts';
import { type ProvisionedResources, provisionResources, standinClients } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

const POISON = '{"hello": "this is not a wire story"}';
const GOOD = JSON.stringify({
  wirewatch: 1,
  id: 'dlq-good-1',
  headline: 'Harbour reopens',
  body: 'Invented.',
});

describe('wirewatch dlq', () => {
  let standins: Standins;
  let resources: ProvisionedResources;
  let clients: ReturnType<typeof standinClients>;
  let port: string;

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await command.run(['--aws-port', port, ...args], {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
    });
    return { status, out, err };
  }

  beforeAll(async () => {
    standins = await startStandins();
    resources = await provisionResources(standins);
    clients = standinClients(standins);
    port = new URL(standins.endpoints.sqs).port;
  });
  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await standins?.stop();
  });

  it('says when the dead-letter queue is empty', async () => {
    expect(await run()).toEqual({ status: 0, out: ['stories-dlq is empty.'], err: [] });
  });

  it('lists dead-lettered stories with the reason, and leaves them there', async () => {
    for (const body of [POISON, GOOD]) {
      await clients.sqs.send(
        new SendMessageCommand({ QueueUrl: resources.queues.stories.deadLetter.url, MessageBody: body }),
      );
    }
    const listed = await run();
    expect(listed.status).toBe(0);
    expect(listed.out).toEqual([
      expect.stringMatching(
        /^\S+ {2}sent \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}received 1x {2}story that cannot be parsed \[/,
      ),
      expect.stringMatching(/story dlq-good-1: parses now, so it failed for another reason/),
      '2 message(s) in stories-dlq. --redrive sends them back to be tried again.',
    ]);
    // Still there, and visible at once.
    const again = await run();
    expect(again.out).toHaveLength(3);
  });

  it('redrives them to the stories queue', async () => {
    const redriven = await run('--redrive');
    expect(redriven.out.at(-1)).toBe('redrove 2 message(s) from stories-dlq to stories.');
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queues.stories.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages.map((message) => message.Body).sort()).toEqual([GOOD, POISON].sort());
    expect((await run()).out).toEqual(['stories-dlq is empty.']);
  });

  it('refuses unknown options and queues in one line, and names a stopped stack', async () => {
    expect((await run('--queue', 'alerts')).err).toEqual([
      "wirewatch dlq: --queue must be stories or deliveries, got 'alerts'. Run 'npm run --silent wirewatch -- dlq --help'.",
    ]);
    const stopped = await command.run(['--aws-port', '1'], {
      stdout: () => {},
      stderr: (line) => expect(line).toMatch(/is 'npm start' running\?/),
    });
    expect(stopped).toBe(1);
  });

  it('reads a base64 story and a delivery message for their reasons', () => {
    const latin1 = Buffer.from('Caf\xe9 chatter, no wire format', 'latin1').toString('base64');
    expect(
      describeDeadLetter('stories', {
        Body: latin1,
        MessageAttributes: { contentEncoding: { DataType: 'String', StringValue: 'base64' } },
      }),
    ).toMatch(/^story that cannot be parsed \[unknown-format\]: unrecognised story format/);
    expect(
      describeDeadLetter('deliveries', { Body: JSON.stringify({ story: { id: 's-9' }, matches: [{}, {}] }) }),
    ).toMatch(/^alerts of story s-9 for 2 subscription\(s\): sending failed/);
  });
});
