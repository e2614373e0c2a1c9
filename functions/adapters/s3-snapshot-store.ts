import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { QueryPlans } from '../core/matching/plans.ts';
import type { SnapshotRead, SnapshotStore } from '../core/pipeline/ports.ts';
import type { Subscription } from '../core/subscriptions/subscription.ts';
import { httpStatus } from './aws-errors.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-layout.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export { SNAPSHOT_FORMAT, SNAPSHOT_LAYOUT_VERSION } from './snapshot-layout.ts';

/** Object metadata naming the last change-log segment folded into the snapshot (ports.ts ChangeLog). */
const CHANGES_THROUGH = 'changes-through';

/** Largest snapshot accepted once unzipped (a guard against a corrupt or hostile object). */
const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

/**
 * The subscriptions snapshot: one gzipped JSON document (its layouts: snapshot-layout.ts) with the query
 * plans (core/matching/plans.ts) in one S3 object. Reads are conditional on the ETag (If-None-Match), so an
 * unchanged snapshot costs one small request; invalid subscriptions are skipped.
 */
export class S3SnapshotStore implements SnapshotStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  async read(knownVersion?: string): Promise<SnapshotRead> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key, IfNoneMatch: knownVersion }),
      );
    } catch (error) {
      const status = httpStatus(error);
      const name = (error as { name?: unknown }).name;
      if (status === 304 || name === 'NotModified') return { kind: 'unchanged' };
      if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return { kind: 'missing' };
      throw error;
    }
    if (response.Body === undefined) return { kind: 'missing' };
    const zipped = await response.Body.transformToByteArray();
    const unzipped = await gunzipAsync(zipped, { maxOutputLength: MAX_UNZIPPED_BYTES });
    const { subscriptions, skipped, plans } = decodeSnapshot(unzipped.toString('utf8'), this.key);
    return {
      kind: 'loaded',
      version: response.ETag ?? `unversioned-${Date.now()}`,
      subscriptions,
      skipped,
      plans,
      ...(response.Metadata?.[CHANGES_THROUGH] === undefined
        ? {}
        : { changesThrough: response.Metadata[CHANGES_THROUGH] }),
    };
  }

  /** Whether there is a snapshot at all (a HEAD request: nothing is downloaded). */
  async exists(): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key }));
      return true;
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (httpStatus(error) === 404 || name === 'NotFound' || name === 'NoSuchKey') return false;
      throw error;
    }
  }

  async write(
    subscriptions: readonly Subscription[],
    plans?: QueryPlans,
    changesThrough?: string,
  ): Promise<{ version: string; bytes: number }> {
    // Same subscriptions, same bytes, same ETag: a rebuild that changes nothing makes no matcher recompile.
    // (Hence sorted, and the build time in object metadata rather than in the body.)
    const sorted = [...subscriptions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const body = await gzipAsync(Buffer.from(encodeSnapshot(sorted, plans), 'utf8'));
    const { ETag } = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key,
        Body: body,
        ContentType: 'application/gzip',
        // The matcher checks often; no cache between it and S3 may serve an old copy.
        CacheControl: 'no-cache',
        Metadata: {
          'built-at': new Date().toISOString(),
          subscriptions: String(sorted.length),
          ...(changesThrough === undefined ? {} : { [CHANGES_THROUGH]: changesThrough }),
        },
      }),
    );
    return { version: ETag ?? '', bytes: body.length };
  }
}
