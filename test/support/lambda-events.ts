/** The one home of Lambda events and contexts for calling handlers directly in tests. */
import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBStreamEvent, SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ApiEvent } from '../../functions/api/app.ts';
import { keysOnlyStreamRecord } from '../../local/subscription-stream.ts';

/** A Lambda context for calling a handler directly. */
export function lambdaContext(functionName: string): Context {
  const unsupported = () => {
    throw new Error('async handlers only');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 20_000,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** A Lambda handler of SQS batches as the tests call it (event and context untyped, partial batch failures out). */
export type SqsBatchHandler = (
  event: unknown,
  context: unknown,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** An SQS record as Lambda delivers it, for a body that did not go through a queue. */
export function sqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: `test-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
    awsRegion: 'us-east-1',
    ...overrides,
  };
}

/** An SQS record from a message received from a real (stand-in) queue: its receipt handle works. */
export function recordFromMessage(message: Message, queueArn: string): SQSRecord {
  return sqsRecord(message.Body ?? '', {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: String(Date.now()),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    eventSourceARN: queueArn,
  });
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** An SNS event as Lambda delivers it, one record per message. */
export function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:inbound-sms:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `m${i}`,
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:inbound-sms',
        Subject: '',
        Message,
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    })),
  };
}

export interface CallOptions {
  readonly user?: string;
  readonly body?: unknown;
  /** Sent as is (no JSON encoding). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
}

export function apiEvent(method: string, path: string, options: CallOptions = {}): ApiEvent {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  const query = options.query ?? {};
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'wirewatch.test',
      domainPrefix: 'wirewatch',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'test-request',
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(options.user === undefined
        ? {}
        : { authorizer: { jwt: { claims: { sub: options.user }, scopes: null } } }),
    },
  };
}

let streamSequence = 0;

/**
 * A batch of the subscriptions table's stream (keys only, as the table streams), one record per change:
 * `['a', 'INSERT']` or just `'a'` (MODIFY). Sequence numbers increase across calls, as in one shard.
 */
export function subscriptionStreamEvent(
  ...changes: (string | readonly [string, 'INSERT' | 'MODIFY' | 'REMOVE'])[]
): DynamoDBStreamEvent {
  return {
    Records: changes.map((change) => {
      const [id, eventName] = typeof change === 'string' ? [change, 'MODIFY' as const] : change;
      return keysOnlyStreamRecord(id, String(++streamSequence).padStart(21, '0'), eventName);
    }),
  };
}
