/**
 * The local drop folder: a file saved into it is sent, as is, as one message to the stories queue, then moved to
 * `sent/` (or to `rejected/` when SQS could not take it: over 1 MiB, empty, cut short).
 *
 * A file must never be sent half-written. The convention: write it under a temporary name (a leading dot, or a
 * `.part`, `.tmp`, `.partial` or `.download` suffix; all ignored here) and rename it into place when complete,
 * which is atomic. As a second guard, for producers that write in place: a file is sent only once its size and
 * time stopped changing between two polls, and only when it looks whole (XML closed, JSON parsing, ANPA ended;
 * file-completeness.ts); one that still looks cut short after `incompleteAfterMs` goes to `rejected/` with the
 * reason. Polls rather than using fs.watch, which misses events on some file systems.
 */
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES } from '../definitions/resources.ts';
import { errorMessage } from '../functions/core/describe-error.ts';
import {
  encodeStoryMessage,
  type StoryMessage,
  storyMessageAttributes,
} from '../functions/core/stories/message.ts';
import { incompleteBecause } from './file-completeness.ts';

export interface InboxOptions {
  readonly dir: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Milliseconds between polls. Default 300. */
  readonly intervalMs?: number;
  /** How long an unchanging file that looks cut short is waited for before it is rejected. Default 10 s. */
  readonly incompleteAfterMs?: number;
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
  const lastSeen = new Map<string, { readonly signature: string; readonly since: number }>();
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const incompleteAfterMs = options.incompleteAfterMs ?? 10_000;

  const pollOnce = async (): Promise<void> => {
    const entries = await readdir(options.dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const entry of entries) {
      if (!entry.isFile() || isTemporaryName(entry.name)) continue;
      present.add(entry.name);
      const path = join(options.dir, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined) continue;
      const signature = `${info.size}:${info.mtimeMs}`;
      const seen = lastSeen.get(entry.name);
      if (seen?.signature !== signature) {
        lastSeen.set(entry.name, { signature, since: Date.now() });
        continue;
      }
      const refusal = sizeRefusal(info.size);
      const bytes = refusal === undefined ? await readFile(path) : undefined;
      const cutShort = bytes === undefined ? undefined : incompleteBecause(bytes);
      if (cutShort !== undefined && Date.now() - seen.since < incompleteAfterMs) continue;
      lastSeen.delete(entry.name);
      if (bytes === undefined || cutShort !== undefined) {
        const reason =
          refusal ??
          `looks cut short: ${cutShort}. Write a file under a temporary name (.part, or a leading dot) ` +
            'and rename it into the folder when it is complete';
        await rename(path, await freeName(rejectedDir, entry.name));
        options.onRejected?.(entry.name, reason);
        continue;
      }
      await deliver(path, entry.name, bytes);
    }
    for (const name of lastSeen.keys()) if (!present.has(name)) lastSeen.delete(name);
  };

  const deliver = async (path: string, name: string, bytes: Uint8Array): Promise<void> => {
    // As `wirewatch publish` sends it: as text, or base64 when SQS cannot carry the bytes as they are.
    const message: StoryMessage = encodeStoryMessage(bytes);
    if (Buffer.byteLength(message.body) > MAX_BYTES) {
      await rename(path, await freeName(rejectedDir, name));
      options.onRejected?.(name, 'over the 1 MiB SQS limit once base64-encoded');
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

const TEMPORARY_SUFFIXES = ['.part', '.partial', '.tmp', '.download', '.crdownload', '.swp', '~'];

/** Names a producer writes to before renaming into place: never sent. */
function isTemporaryName(name: string): boolean {
  const lower = name.toLowerCase();
  return name.startsWith('.') || TEMPORARY_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

function sizeRefusal(size: number): string | undefined {
  if (size > MAX_BYTES) return `${size} bytes is over the 1 MiB SQS limit`;
  return size === 0 ? 'empty' : undefined;
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
