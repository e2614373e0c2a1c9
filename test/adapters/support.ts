import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ProvisionedResources, provisionResources, standinClients } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

export interface LocalAws {
  readonly standins: Standins;
  readonly resources: ProvisionedResources;
  readonly clients: ReturnType<typeof standinClients>;
  readonly documents: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/** The stand-ins on ephemeral loopback ports, with Wirewatch's resources provisioned (test-sized queue settings). */
export async function startLocalAws(
  options: { readonly visibilityTimeoutSeconds?: number; readonly maxReceiveCount?: number } = {},
): Promise<LocalAws> {
  const standins = await startStandins();
  try {
    const resources = await provisionResources(standins, {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      maxReceiveCount: options.maxReceiveCount ?? 3,
    });
    const clients = standinClients(standins);
    const documents = DynamoDBDocumentClient.from(clients.dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    return {
      standins,
      resources,
      clients,
      documents,
      stop: async () => {
        for (const client of Object.values(clients)) client.destroy();
        await standins.stop();
      },
    };
  } catch (error) {
    await standins.stop();
    throw error;
  }
}

export interface StoredMail {
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

/** Every mail the SES stand-in accepted so far. */
export async function sentMails(standins: Standins): Promise<StoredMail[]> {
  const response = await fetch(standins.endpoints.sesStore);
  const store = (await response.json()) as { emails: StoredMail[] };
  return store.emails;
}

/**
 * A queue named `queueName` subscribed to `topicArn` with raw delivery, as a downstream consumer of the alerts
 * topic would have; returns its URL (read what the topic published with `drainQueue`).
 */
export async function subscribeTopicTap(
  clients: { readonly sqs: SQSClient; readonly sns: SNSClient },
  topicArn: string,
  queueName: string,
): Promise<string> {
  const { QueueUrl = '' } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return QueueUrl;
}

/** Receives (and deletes) every message on a queue until one empty receive. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
}

/**
 * A tiny HTTP server on 127.0.0.1 that answers every request with an AWS JSON error (as SES v2 does for
 * throttling): `x-amzn-ErrorType` names the error. Counts the requests it got.
 */
export async function startErrorServer(
  errorType: string,
  status: number,
  message: string,
): Promise<{ readonly url: string; readonly requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-ErrorType': errorType });
      response.end(JSON.stringify({ message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
