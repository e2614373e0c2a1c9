import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../functions/cli/commands/tail.ts';
import { type ProvisionedResources, provisionResources, standinClients } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

describe('wirewatch tail', () => {
  let standins: Standins;
  let resources: ProvisionedResources;
  let clients: ReturnType<typeof standinClients>;

  beforeAll(async () => {
    standins = await startStandins();
    resources = await provisionResources(standins);
    clients = standinClients(standins);
  });
  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await standins?.stop();
  });

  async function subscriptions(): Promise<number> {
    const { Subscriptions = [] } = await clients.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: resources.alertsTopicArn }),
    );
    return Subscriptions.length;
  }

  it('prints each topic message as one JSON line, then removes its queue and subscription', async () => {
    const before = await subscriptions();
    const out: string[] = [];
    const err: string[] = [];
    const port = new URL(standins.endpoints.sqs).port;
    const tailing = command.run(['--aws-port', port, '--count', '2'], {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
    });
    const deadline = Date.now() + 10_000;
    while ((await subscriptions()) === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const messages = [
      { type: 'wirewatch.alert', schemaVersion: 1, story: { id: 'tail-1' } },
      { type: 'wirewatch.alert', schemaVersion: 1, story: { id: 'tail-2', headline: 'two\nlines' } },
    ];
    for (const message of messages) {
      await clients.sns.send(
        new PublishCommand({ TopicArn: resources.alertsTopicArn, Message: JSON.stringify(message) }),
      );
    }
    expect(await tailing).toBe(0);
    expect(out.map((line) => JSON.parse(line))).toEqual(messages);
    expect(err).toEqual([`wirewatch tail: following ${resources.alertsTopicArn}; Ctrl-C stops.`]);
    expect(await subscriptions()).toBe(before);
    const queues = (await (await fetch(`${standins.endpoints.sqs}/_fauxqs/queues`)).json()) as {
      name: string;
    }[];
    expect(queues.filter((queue) => queue.name.startsWith('wirewatch-tail-'))).toEqual([]);
  });

  it('refuses a malformed topic ARN and a bad count in one line', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (line: string) => err.push(line) };
    expect(await command.run(['--topic-arn', 'alerts'], io)).toBe(2);
    expect(await command.run(['--count', '0'], io)).toBe(2);
    expect(err).toEqual([
      "wirewatch tail: --topic-arn 'alerts' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
      'wirewatch tail: --count must be a whole number of at least 1',
    ]);
  });
});
