import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  CreateTopicCommand,
  InvalidParameterException,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortInUseError, type SmsRecord, type Standins, startStandins } from '../../local/standins.ts';

describe('local stand-ins', () => {
  let standins: Standins;
  let dataDir: string;
  let sqs: SQSClient;
  let sns: SNSClient;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wirewatch-standins-'));
    standins = await startStandins({ dataDir });
    // Clients configured the way the handlers are: only through the environment the stand-ins hand out.
    const env = standins.sdkEnv;
    const base = {
      region: env.AWS_REGION ?? '',
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      },
    };
    sqs = new SQSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SQS });
    sns = new SNSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SNS });
  });
  afterAll(async () => {
    sqs?.destroy();
    sns?.destroy();
    await standins?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback only and hands out queue URLs on the endpoint origin', async () => {
    for (const endpoint of Object.values(standins.endpoints))
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'origin-check' }));
    expect(QueueUrl).toBe(`${standins.endpoints.sqs}/000000000000/origin-check`);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.map((message) => message.Body)).toEqual(['one']);
  });

  it('answers SNS Publish with a PhoneNumber itself: outbox list, event and JSON-lines file', async () => {
    const seen: SmsRecord[] = [];
    standins.smsOutbox.on('sms', (record) => seen.push(record));
    const { MessageId } = await sns.send(
      new PublishCommand({
        PhoneNumber: '+15555550100',
        Message: 'Wirewatch: deportation ruling',
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    expect(MessageId).toBeTruthy();
    expect(seen).toEqual([expect.objectContaining({ messageId: MessageId, phoneNumber: '+15555550100' })]);
    expect(seen[0]?.attributes).toEqual({ 'AWS.SNS.SMS.SMSType': 'Transactional' });
    expect(standins.smsOutbox.messages.at(-1)?.message).toBe('Wirewatch: deportation ruling');
    await standins.smsOutbox.flushed();
    const lines = (await readFile(join(dataDir, 'sms-outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      messageId: MessageId,
      phoneNumber: '+15555550100',
    });
  });

  it('refuses an SMS to a number that is not E.164, as SNS does', async () => {
    const before = standins.smsOutbox.messages.length;
    await expect(
      sns.send(new PublishCommand({ PhoneNumber: '5550100', Message: 'x' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    expect(standins.smsOutbox.messages.length).toBe(before);
  });

  it('still passes a topic publish on to fauxqs, which fans it out to a subscribed queue', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fanout-check' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'fanout-check' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
    const before = standins.smsOutbox.messages.length;
    await sns.send(new PublishCommand({ TopicArn, Message: 'to the topic' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(JSON.parse(Messages?.[0]?.Body ?? '{}').Message).toBe('to the topic');
    expect(standins.smsOutbox.messages.length).toBe(before);
  });

  it('serves sent mail with its headers as JSON from the SES store', async () => {
    const env = standins.sdkEnv;
    const ses = new SESv2Client({
      region: standins.region,
      credentials: standins.credentials,
      endpoint: env.AWS_ENDPOINT_URL_SESV2,
    });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'alerts@wirewatch.local',
        Destination: { ToAddresses: ['standins-test@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Check' },
            Body: { Text: { Data: 'body' } },
            Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
          },
        },
      }),
    );
    ses.destroy();
    const store = (await (await fetch(standins.endpoints.sesStore)).json()) as {
      emails: { destination: { to: string[] }; headers: { name: string; value: string }[] }[];
    };
    const mail = store.emails.find((email) => email.destination.to.includes('standins-test@example.com'));
    expect(mail?.headers).toContainEqual({
      name: 'List-Unsubscribe-Post',
      value: 'List-Unsubscribe=One-Click',
    });
  });
});

describe('a port already in use', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  for (const [service, flag, env] of [
    ['aws', '--aws-port', 'WIREWATCH_AWS_PORT'],
    ['dynamodb', '--dynamodb-port', 'WIREWATCH_DYNAMODB_PORT'],
    ['ses', '--ses-port', 'WIREWATCH_SES_PORT'],
  ] as const) {
    it(`gives one line naming the ${service} port and how to change it`, async () => {
      const failure = await startStandins({ ports: { [service]: port } }).then(
        (standins) => standins.stop().then(() => undefined),
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PortInUseError);
      const message = (failure as Error).message;
      expect(message).toContain(`Port ${port}`);
      expect(message).toContain(flag);
      expect(message).toContain(env);
      expect(message).not.toContain('\n');
    });
  }
});
