import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { QueryPlans } from '../core/matching/plans.ts';
import type { SnapshotRead, SnapshotStore } from '../core/pipeline/ports.ts';
import type { Subscription } from '../core/subscriptions/subscription.ts';
import { httpStatus } from './aws-errors.ts';
import { fromItem, toItem } from './subscription-item.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** `format` marks the file as ours; `version` of its layout lets a later matcher read an older snapshot. */
export const SNAPSHOT_FORMAT = 'wirewatch-subscriptions';
/** Version 2 added `plans` (the queries' anchors); version 1 is still read, and compiled from its queries. */
export const SNAPSHOT_LAYOUT_VERSION = 2;
const READABLE_LAYOUT_VERSIONS: readonly unknown[] = [1, 2];

/** Largest snapshot accepted once unzipped (a guard against a corrupt or hostile object). */
const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

/**
 * The subscriptions snapshot: gzipped JSON `{ format, version, subscriptions: SubscriptionItem[], plans }`
 * in one S3 object (`plans`: core/matching/plans.ts). Reads are conditional on the ETag (If-None-Match),
 * so an unchanged snapshot costs one small request; items are read with the shared codec and invalid
 * ones skipped.
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
    const document = parseSnapshot(
      await gunzipAsync(zipped, { maxOutputLength: MAX_UNZIPPED_BYTES }),
      this.key,
    );
    const subscriptions: Subscription[] = [];
    let skipped = 0;
    for (const item of document.subscriptions) {
      const subscription =
        typeof item === 'object' && item !== null ? fromItem(item as Record<string, unknown>) : undefined;
      if (subscription === undefined) skipped++;
      else subscriptions.push(subscription);
    }
    return {
      kind: 'loaded',
      version: response.ETag ?? `unversioned-${Date.now()}`,
      subscriptions,
      skipped,
      plans: document.plans,
    };
  }

  async write(
    subscriptions: readonly Subscription[],
    plans?: QueryPlans,
  ): Promise<{ version: string; bytes: number }> {
    // Same subscriptions, same bytes, same ETag: a rebuild that changes nothing makes no matcher recompile.
    // (Hence sorted, and the build time in object metadata rather than in the body.)
    const sorted = [...subscriptions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const document = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_LAYOUT_VERSION,
      subscriptions: sorted.map(toItem),
      plans,
    };
    const body = await gzipAsync(Buffer.from(JSON.stringify(document), 'utf8'));
    const { ETag } = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key,
        Body: body,
        ContentType: 'application/gzip',
        // The matcher checks often; no cache between it and S3 may serve an old copy.
        CacheControl: 'no-cache',
        Metadata: { 'built-at': new Date().toISOString(), subscriptions: String(sorted.length) },
      }),
    );
    return { version: ETag ?? '', bytes: body.length };
  }
}

function parseSnapshot(bytes: Buffer, key: string): { subscriptions: unknown[]; plans?: QueryPlans } {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`Subscriptions snapshot ${key} is not valid JSON: rebuild it with the snapshot builder.`);
  }
  const record = (typeof document === 'object' && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  if (record.format !== SNAPSHOT_FORMAT || !READABLE_LAYOUT_VERSIONS.includes(record.version)) {
    throw new Error(
      `Subscriptions snapshot ${key} is not a ${SNAPSHOT_FORMAT} document of version ${READABLE_LAYOUT_VERSIONS.join(' or ')}: ` +
        'rebuild it with the snapshot builder of this release.',
    );
  }
  if (!Array.isArray(record.subscriptions)) {
    throw new Error(
      `Subscriptions snapshot ${key} has no subscriptions list: rebuild it with the snapshot builder.`,
    );
  }
  // Only an object is passed on: compileSubscriptions checks plans in full and ignores any it cannot use.
  const plans =
    typeof record.plans === 'object' && record.plans !== null ? (record.plans as QueryPlans) : undefined;
  return { subscriptions: record.subscriptions, plans };
}
