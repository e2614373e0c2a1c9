import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ChangeLog, SubscriptionUpdate } from '../core/pipeline/ports.ts';
import { fromItem, toItem } from './subscription-item.ts';

/** Largest segment accepted (a stream batch is at most 10,000 records of a few hundred bytes each). */
const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * The subscriptions' change log as small JSON objects under one S3 prefix, one per stream batch. Keys are
 * the write time in milliseconds, zero-padded, then random hex: they list in the order they were written
 * (the stream delivers one subscription's changes in order, one batch after the other, so its segments
 * are written at increasing times). Listing costs one request per 1,000 segments; a bucket lifecycle rule
 * expires old segments once compactions have folded them into the snapshot.
 */
export class S3ChangeLog implements ChangeLog {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** e.g. `subscriptions/changes/` */
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
    /** Keys per listing request (S3 gives at most 1,000). */
    private readonly pageSize = 1000,
  ) {}

  async append(updates: readonly SubscriptionUpdate[]): Promise<string> {
    const key = `${this.prefix}${String(this.now()).padStart(15, '0')}-${randomBytes(6).toString('hex')}.json`;
    const body = JSON.stringify({
      updates: updates.map((update) =>
        update.kind === 'put' ? { put: toItem(update.subscription) } : { remove: update.id },
      ),
    });
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
    return key;
  }

  async keysAfter(after: string | undefined, limit: number): Promise<readonly string[]> {
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

  async latest(): Promise<string | undefined> {
    const keys = await this.keysAfter(undefined, Number.MAX_SAFE_INTEGER);
    return keys[keys.length - 1];
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
