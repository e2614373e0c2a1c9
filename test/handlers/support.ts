import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { vi } from 'vitest';

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

/**
 * Powertools logs (stdout; warnings and errors on stderr) and EMF metrics (stdout) are JSON lines; this keeps
 * them for assertions, and keeps test output quiet.
 */
export function captureOutput() {
  const lines: Record<string, unknown>[] = [];
  const keep = (chunk: string | Uint8Array): boolean => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() === '') continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
  ];
  return {
    lines,
    /** Log entries with this message. */
    logs: (message: string) => lines.filter((line) => line.message === message),
    /** The sum of a metric's values over every EMF line flushed so far. */
    metric: (name: string) =>
      lines
        .filter((line) => '_aws' in line && name in line)
        .reduce((sum, line) => {
          const value = line[name];
          return (
            sum + (Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : Number(value))
          );
        }, 0),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** Sets environment variables, returning a function that puts the previous values back. */
export function setEnv(values: Readonly<Record<string, string | undefined>>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}
