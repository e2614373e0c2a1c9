import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ChangeLog, SubscriptionUpdate } from '../core/pipeline/ports.ts';
import { fromItem, toItem } from './subscription-item.ts';

/** Largest segment accepted (a stream batch is at most 10,000 records of a few hundred bytes each). */
const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
const STAMP_DIGITS = 15;

/** Default settling time: see S3ChangeLogOptions.settleMs. */
export const DEFAULT_SETTLE_MS = 5_000;
/** Writes of one segment before giving up (each one slower than the settling time). */
const WRITE_ATTEMPTS = 4;

export interface S3ChangeLogOptions {
  /** Clock in milliseconds (tests pass their own). Default Date.now. */
  readonly now?: () => number;
  /** Keys per listing request (S3 gives at most 1,000). */
  readonly pageSize?: number;
  /**
   * Milliseconds within which every segment key is visible after its time. A key is stamped before its
   * write, so two writers can make a later-stamped key visible first; readers list only keys older than
   * this, and a write that took longer is made again under a fresh key (a segment applied twice is
   * harmless: it holds whole states, in order). Default DEFAULT_SETTLE_MS; 0 turns it off (tests).
   */
  readonly settleMs?: number;
}

/**
 * The subscriptions' change log as small JSON objects under one S3 prefix, one per stream batch. Keys are
 * the write time in milliseconds, zero-padded, then random hex: they list in the order they were written
 * (the stream delivers one subscription's changes in order, one batch after the other, so its segments
 * are written at increasing times). Listing costs one request per 1,000 segments; a bucket lifecycle rule
 * expires old segments once compactions have folded them into the snapshot.
 */
export class S3ChangeLog implements ChangeLog {
  private readonly now: () => number;
  private readonly pageSize: number;
  private readonly settleMs: number;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** e.g. `subscriptions/changes/` */
    private readonly prefix: string,
    options: S3ChangeLogOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? 1000;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  async append(updates: readonly SubscriptionUpdate[]): Promise<string> {
    const body = JSON.stringify({
      updates: updates.map((update) =>
        update.kind === 'put' ? { put: toItem(update.subscription) } : { remove: update.id },
      ),
    });
    for (let attempt = 1; ; attempt++) {
      const started = this.now();
      const key = `${this.prefix}${String(started).padStart(STAMP_DIGITS, '0')}-${randomBytes(6).toString('hex')}.json`;
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
      if (this.settleMs <= 0 || this.now() - started < this.settleMs) return key;
      if (attempt === WRITE_ATTEMPTS) {
        throw new Error(
          `Change-log segment writes took longer than ${this.settleMs} ms ${WRITE_ATTEMPTS} times: S3 is slow; the batch is retried`,
        );
      }
    }
  }

  /** Settled keys only: every key older than the settling time is visible, so none is skipped. */
  async keysAfter(after: string | undefined, limit: number): Promise<readonly string[]> {
    const keys = await this.list(after, limit);
    if (this.settleMs <= 0) return keys;
    const settledBefore = this.now() - this.settleMs;
    const unsettled = keys.findIndex((key) => this.stampOf(key) > settledBefore);
    return unsettled < 0 ? keys : keys.slice(0, unsettled);
  }

  /**
   * The newest key, settled or not: a compaction names it, then scans the table. A segment not yet visible
   * is already in the table (the stream reports committed writes), so the scan includes it.
   */
  async latest(): Promise<string | undefined> {
    const keys = await this.list(undefined, Number.MAX_SAFE_INTEGER);
    return keys[keys.length - 1];
  }

  private async list(after: string | undefined, limit: number): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          StartAfter: after ?? this.prefix,
          ContinuationToken: token,
          MaxKeys: Math.min(this.pageSize, limit - keys.length),
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined && keys.length < limit);
    return keys.sort().slice(0, limit);
  }

  /** A key's time; a key not written by `append` counts as settled. */
  private stampOf(key: string): number {
    const stamp = Number(key.slice(this.prefix.length, this.prefix.length + STAMP_DIGITS));
    return Number.isFinite(stamp) ? stamp : Number.NEGATIVE_INFINITY;
  }

  async read(key: string): Promise<readonly SubscriptionUpdate[]> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const text = (await response.Body?.transformToString('utf8')) ?? '';
    if (text.length > MAX_SEGMENT_BYTES)
      throw new Error(`Change-log segment ${key} is over ${MAX_SEGMENT_BYTES} bytes`);
    const parsed = JSON.parse(text) as { updates?: unknown };
    if (!Array.isArray(parsed.updates)) throw new Error(`Change-log segment ${key} has no "updates" list`);
    const updates: SubscriptionUpdate[] = [];
    for (const entry of parsed.updates as unknown[]) {
      const record = (entry ?? {}) as { put?: unknown; remove?: unknown };
      if (typeof record.remove === 'string') updates.push({ kind: 'remove', id: record.remove });
      else if (typeof record.put === 'object' && record.put !== null) {
        const subscription = fromItem(record.put as Record<string, unknown>);
        // An item that is not a valid subscription is taken out, as the snapshot leaves such items out.
        const id = (record.put as { id?: unknown }).id;
        if (subscription !== undefined) updates.push({ kind: 'put', subscription });
        else if (typeof id === 'string') updates.push({ kind: 'remove', id });
      }
    }
    return updates;
  }
}
