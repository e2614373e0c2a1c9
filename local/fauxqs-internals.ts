/**
 * The parts of fauxqs 2.x that its package does not export but the local stack needs: its stores and SQLite
 * persistence (`startFauxqs({ dataDir })` wires them, but binds every interface, so the stack wires them itself
 * around `buildApp` on loopback), and the message-body check, widened to what SQS accepts. Reached by file next
 * to the package's entry point, so a fauxqs that moved them fails here, at start, with a message that says so.
 */
import type { buildApp } from 'fauxqs';
import { errorMessage } from '../functions/core/describe-error.ts';

type Stores = NonNullable<NonNullable<Parameters<typeof buildApp>[0]>['stores']>;

interface PersistenceManager {
  load(sqs: Stores['sqsStore'], sns: Stores['snsStore'], s3: Stores['s3Store']): void;
  close(): void;
}

export interface FauxqsInternals {
  /** Fresh stores, loaded from `<dataDir>/fauxqs.db`-style SQLite files when `dataDir` is given. */
  createStores(dataDir: string | undefined): { stores: Stores; close: () => void };
}

/**
 * SQS accepts #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF; fauxqs's check reads UTF-16 code
 * units and so refuses every character outside the Basic Multilingual Plane (an emoji in a headline).
 */
const SQS_INVALID_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export async function loadFauxqsInternals(): Promise<FauxqsInternals> {
  const entry = import.meta.resolve('fauxqs');
  const load = async <T>(path: string): Promise<T> => {
    try {
      return (await import(new URL(path, entry).href)) as T;
    } catch (error) {
      throw new Error(`fauxqs has no ${path} (${errorMessage(error)}); the local stack needs fauxqs 2.4.x`);
    }
  };
  const [{ SqsStore }, { SnsStore }, { S3Store }, { PersistenceManager }, types] = await Promise.all([
    load<{ SqsStore: new () => Stores['sqsStore'] }>('./sqs/sqsStore.js'),
    load<{ SnsStore: new () => Stores['snsStore'] }>('./sns/snsStore.js'),
    load<{ S3Store: new () => Stores['s3Store'] }>('./s3/s3Store.js'),
    load<{ PersistenceManager: new (dataDir: string) => PersistenceManager }>('./persistence.js'),
    load<{ INVALID_MESSAGE_BODY_CHAR?: RegExp }>('./sqs/sqsTypes.js'),
  ]);
  const check = types.INVALID_MESSAGE_BODY_CHAR;
  if (!(check instanceof RegExp))
    throw new Error('fauxqs has no INVALID_MESSAGE_BODY_CHAR; the local stack needs fauxqs 2.4.x');
  // The one shared RegExp object every send path tests against: recompiled in place (Annex B's compile).
  if (check.source !== SQS_INVALID_BODY_CHARACTER.source) {
    check.compile(SQS_INVALID_BODY_CHARACTER.source, SQS_INVALID_BODY_CHARACTER.flags);
  }

  return {
    createStores(dataDir) {
      const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
      if (dataDir === undefined) return { stores, close: () => {} };
      const persistence = new PersistenceManager(dataDir);
      // Load before attaching, as startFauxqs does (loading must not write back through the stores).
      persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
      const attach = stores as unknown as {
        sqsStore: {
          persistence?: PersistenceManager;
          allQueues(): Iterable<{ persistence?: PersistenceManager }>;
        };
        snsStore: { persistence?: PersistenceManager };
        s3Store: { persistence?: PersistenceManager };
      };
      attach.sqsStore.persistence = persistence;
      attach.snsStore.persistence = persistence;
      attach.s3Store.persistence = persistence;
      for (const queue of attach.sqsStore.allQueues()) queue.persistence = persistence;
      return { stores, close: () => persistence.close() };
    },
  };
}
