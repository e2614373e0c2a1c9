/**
 * The local drop folder: a file saved into it is sent, as is, as one message to the stories queue, then moved to
 * `sent/` (or to `rejected/` when SQS could not take it: over 1 MiB, empty, not UTF-8).
 * Polls rather than using fs.watch, which misses events on some file systems; a file is sent only once its size
 * and time stopped changing between two polls, so a file still being written is not sent half-done.
 */
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES } from '../../definitions/resources.ts';
import { errorMessage } from '../../functions/core/describe-error.ts';
import {
  encodeStoryMessage,
  type StoryMessage,
  storyMessageAttributes,
} from '../../functions/core/stories/message.ts';

export interface InboxOptions {
  readonly dir: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Milliseconds between polls. Default 300. */
  readonly intervalMs?: number;
  readonly onSent?: (file: string, messageId: string) => void;
  readonly onRejected?: (file: string, reason: string) => void;
}

export interface Inbox {
  readonly dir: string;
  readonly sentDir: string;
  readonly rejectedDir: string;
  /** Runs one poll now (what the timer does); resolves when it is done. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BYTES = QUEUES.stories.maxMessageSizeBytes;

export async function startInbox(options: InboxOptions): Promise<Inbox> {
  const sentDir = join(options.dir, 'sent');
  const rejectedDir = join(options.dir, 'rejected');
  await mkdir(sentDir, { recursive: true });
  await mkdir(rejectedDir, { recursive: true });
  const lastSeen = new Map<string, string>();
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const pollOnce = async (): Promise<void> => {
    const entries = await readdir(options.dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      present.add(entry.name);
      const path = join(options.dir, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined) continue;
      const signature = `${info.size}:${info.mtimeMs}`;
      if (lastSeen.get(entry.name) !== signature) {
        lastSeen.set(entry.name, signature);
        continue;
      }
      lastSeen.delete(entry.name);
      await deliver(path, entry.name, info.size);
    }
    for (const name of lastSeen.keys()) if (!present.has(name)) lastSeen.delete(name);
  };

  const deliver = async (path: string, name: string, size: number): Promise<void> => {
    const refusal =
      size > MAX_BYTES ? `${size} bytes is over the 1 MiB SQS limit` : size === 0 ? 'empty' : undefined;
    let message: StoryMessage | undefined;
    let reason = refusal;
    if (reason === undefined) {
      // As `wirewatch publish` sends it: as text, or base64 when SQS cannot carry the bytes as they are.
      message = encodeStoryMessage(await readFile(path));
      if (Buffer.byteLength(message.body) > MAX_BYTES) {
        reason = 'over the 1 MiB SQS limit once base64-encoded';
        message = undefined;
      }
    }
    if (message === undefined) {
      await rename(path, await freeName(rejectedDir, name));
      options.onRejected?.(name, reason ?? 'unreadable');
      return;
    }
    const { MessageId } = await options.sqs.send(
      new SendMessageCommand({
        QueueUrl: options.queueUrl,
        MessageBody: message.body,
        MessageAttributes: storyMessageAttributes(message),
      }),
    );
    await rename(path, await freeName(sentDir, name));
    options.onSent?.(name, MessageId ?? '');
  };

  const poll = (): Promise<void> => {
    current = current.then(pollOnce).catch((error: unknown) => {
      options.onRejected?.('(inbox)', errorMessage(error));
    });
    return current;
  };
  const timer = setInterval(() => {
    if (!stopped) void poll();
  }, options.intervalMs ?? 300);

  return {
    dir: options.dir,
    sentDir,
    rejectedDir,
    poll,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

/** `name`, or `name` with a time prefix when a file of that name was moved there before. */
async function freeName(dir: string, name: string): Promise<string> {
  const plain = join(dir, name);
  const taken = await stat(plain).then(
    () => true,
    () => false,
  );
  return taken ? join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}`) : plain;
}
