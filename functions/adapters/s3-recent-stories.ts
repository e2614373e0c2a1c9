import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapLimited } from '../core/concurrency.ts';
import type { RecentStories } from '../core/ports.ts';
import { STORY_STATUSES, type Story } from '../core/stories/story.ts';

/** Larger than any epoch-millisecond time until the year 2286; `MAX - now` sorts newest first. */
const INVERTED_EPOCH_BASE = 9_999_999_999_999;
const MAX_ID_KEY_CHARS = 300;
const MAX_LIST = 200;
/** At most this many objects are read for one listing (a preview needs tens of stories, not thousands). */
const MAX_KEYS_READ = 1000;
const READ_CONCURRENCY = 8;

/**
 * Recent parsed stories as JSON objects under a prefix of the snapshots bucket, one object per batch the
 * matcher handled (`{ "stories": [...] }`, later ones newer; an object holding one bare story, as written
 * before, is read too), keyed `<prefix><inverted epoch ms>-<encoded id of the first story>.json` so that a
 * plain listing returns the newest first; a lifecycle rule expires them. Every version of a story is kept;
 * `list` returns the newest version of each, and leaves out stories whose newest version is a kill (a killed
 * story must not be shown).
 */
export class S3RecentStories implements RecentStories {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The object key a story stored now gets. */
  keyFor(story: Story, atMillis: number = this.now()): string {
    const inverted = String(INVERTED_EPOCH_BASE - atMillis).padStart(13, '0');
    const id = encodeURIComponent(story.id).slice(0, MAX_ID_KEY_CHARS);
    return `${this.prefix}${inverted}-${id}.json`;
  }

  async put(stories: readonly Story[]): Promise<void> {
    const [first] = stories;
    if (first === undefined) return;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyFor(first),
        Body: JSON.stringify({ stories }),
        ContentType: 'application/json; charset=utf-8',
      }),
    );
  }

  async list(limit: number): Promise<readonly Story[]> {
    const wanted = Math.max(0, Math.min(Math.floor(limit), MAX_LIST));
    const seen = new Set<string>();
    const result: Story[] = [];
    let continuation: string | undefined;
    let keysRead = 0;
    // Versions and kills share a story's id, so a page may yield fewer stories than keys: page on, within bounds.
    while (result.length < wanted && keysRead < MAX_KEYS_READ) {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          MaxKeys: Math.min(Math.max(wanted * 2, 10), MAX_KEYS_READ - keysRead),
          ContinuationToken: continuation,
        }),
      );
      const keys = (page.Contents ?? [])
        .map((object) => object.Key)
        .filter((key): key is string => key !== undefined);
      keysRead += keys.length;
      const objects = await mapLimited(keys, READ_CONCURRENCY, (key) => this.read(key));
      for (const story of objects.flatMap((stories) => [...stories].reverse())) {
        if (seen.has(story.id)) continue;
        seen.add(story.id);
        if (story.status !== 'killed' && story.status !== 'withheld') result.push(story);
        if (result.length === wanted) break;
      }
      continuation = page.NextContinuationToken;
      if (!page.IsTruncated || continuation === undefined || keys.length === 0) break;
    }
    return result;
  }

  /** The stories of one object, oldest first. */
  private async read(key: string): Promise<readonly Story[]> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (Body === undefined) return [];
      const value: unknown = JSON.parse(await Body.transformToString('utf8'));
      if (isStory(value)) return [value];
      const stories = (value as { stories?: unknown } | null)?.stories;
      return Array.isArray(stories) ? stories.filter(isStory) : [];
    } catch {
      // Expired between list and get, or not stories: a preview simply has fewer.
      return [];
    }
  }
}

const STRING_LISTS = ['authors', 'summary', 'keywords', 'subjects', 'people', 'organisations'] as const;
/** Lists a story carries only when it has entries. */
const OPTIONAL_STRING_LISTS = ['subjectCodes', 'places', 'tickers'] as const;

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

/** A stored object that has the shape of a Story (it was written by this adapter, but the bucket is shared). */
export function isStory(value: unknown): value is Story {
  if (typeof value !== 'object' || value === null) return false;
  const story = value as Record<string, unknown>;
  return (
    typeof story.id === 'string' &&
    typeof story.format === 'string' &&
    typeof story.headline === 'string' &&
    typeof story.dateline === 'string' &&
    typeof story.body === 'string' &&
    typeof story.version === 'number' &&
    (STORY_STATUSES as readonly unknown[]).includes(story.status) &&
    STRING_LISTS.every((name) => isStringList(story[name])) &&
    OPTIONAL_STRING_LISTS.every((name) => story[name] === undefined || isStringList(story[name]))
  );
}
