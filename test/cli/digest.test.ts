import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPendingDigests } from '../../functions/adapters/dynamodb-digests.ts';
import { toItem } from '../../functions/adapters/subscription-item.ts';
import { command } from '../../functions/cli/commands/digest.ts';
import { type LocalAws, sentMails, startLocalAws } from '../adapters/support.ts';
import { aDeliveryJob, aSubscription } from '../core/alerts/factories.ts';

describe('wirewatch digest --now', () => {
  let aws: LocalAws;
  let dataDir: string;
  let ports: string[];

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await command.run([...ports, ...args], {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
    });
    return { status, out, err };
  }

  beforeAll(async () => {
    aws = await startLocalAws();
    dataDir = await mkdtemp(join(tmpdir(), 'wirewatch-digest-cli-'));
    await writeFile(join(dataDir, 'signing-secret'), 'a-local-signing-secret-of-at-least-32-bytes\n');
    const port = (url: string) => new URL(url).port;
    ports = [
      '--data-dir',
      dataDir,
      '--aws-port',
      port(aws.standins.endpoints.sqs),
      '--dynamodb-port',
      port(aws.standins.endpoints.dynamodb),
      '--ses-port',
      port(aws.standins.endpoints.ses),
    ];
  }, 30_000);
  afterAll(async () => {
    await aws?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to run without --now, and says why', async () => {
    expect(await run()).toEqual({
      status: 2,
      out: [],
      err: ['wirewatch digest: say --now to send digests now (--all: every pending one)'],
    });
    expect((await run('--now', '--data-dir', join(dataDir, 'missing'))).err).toEqual([
      expect.stringContaining('no local stack state in '),
    ]);
  });

  it('sends nothing not yet due, then with --all the pending digest, once', async () => {
    const pending = new DynamoDbPendingDigests(aws.documents, aws.resources.tables.digests);
    const job = aDeliveryJob({ destination: 'cli-digest@example.com' });
    const channels = [{ type: 'email' as const, address: 'cli-digest@example.com', confirmed: true }];
    await aws.documents.send(
      new PutCommand({
        TableName: aws.resources.tables.subscriptions,
        Item: toItem(aSubscription({ channels })),
      }),
    );
    const dueAt = Date.now() + 24 * 3600_000;
    await pending.hold([
      {
        window: {
          subscriptionId: job.subscription.id,
          channel: 'email',
          destination: 'cli-digest@example.com',
          dueAt,
        },
        reason: 'digest',
        job,
        heldAt: Date.now(),
      },
    ]);
    expect((await run('--now')).out).toEqual([
      'digests: 0 sent with 0 alerts, 0 empty (not sent), 0 failed, of 0 due',
    ]);
    expect(await run('--now', '--all')).toEqual({
      status: 0,
      out: ['digests: 1 sent with 1 alerts, 0 empty (not sent), 0 failed, of 1 pending'],
      err: [],
    });
    const mails = (await sentMails(aws.standins)).filter((mail) =>
      mail.destination.to.includes('cli-digest@example.com'),
    );
    expect(mails.map((mail) => mail.subject)).toEqual(['[Wirewatch] Ports: 1 story']);
  });
});
