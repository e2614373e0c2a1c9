import { errorMessage } from '../describe-error.ts';
import type { QueryPlans } from '../matching/plans.ts';
import type { CompileResult, IncrementalMatchIndex, MatchIndex, QuerySource } from '../matching/types.ts';
import type { Subscription } from '../subscriptions/subscription.ts';
import { applyUpdates } from './apply-updates.ts';
import type { ChangeLog, SnapshotStore } from './ports.ts';

/** The subscriptions the matcher matches against, compiled. */
export interface CompiledSubscriptions {
  readonly index: MatchIndex;
  /** Active subscriptions by id (the ones compiled into the index). */
  readonly byId: ReadonlyMap<string, Subscription>;
  /** Version of the snapshot they came from; undefined when there is no snapshot yet. */
  readonly version: string | undefined;
}

/** Where the cache reports what it did (a Powertools Logger fits). */
export interface PipelineLog {
  info(message: string, ...details: Record<string, unknown>[]): void;
  warn(message: string, ...details: Record<string, unknown>[]): void;
}

export interface SnapshotCacheOptions {
  readonly store: SnapshotStore;
  readonly compile: (
    subscriptions: readonly QuerySource[],
    options: { readonly plans?: QueryPlans },
  ) => CompileResult;
  /** Seconds between snapshot checks (a conditional GET, cheap when unchanged). */
  readonly checkIntervalSeconds: number;
  readonly log: PipelineLog;
  /** Clock in milliseconds; tests pass their own. Default Date.now. */
  readonly now?: () => number;
  /**
   * The change log after the snapshot. With it, a check applies the new segments to the compiled index in
   * place and the snapshot is read again only when the matcher is more than `maxPendingSegments` behind
   * (a container frozen for long) or has no index yet. Without it, any change to the snapshot recompiles.
   */
  readonly changes?: ChangeLog;
  /**
   * Pending segments past which a check first looks for a newer snapshot (a conditional read) before it
   * applies them. Default 200.
   */
  readonly maxPendingSegments?: number;
  /**
   * Changes applied in place after which a newer snapshot, when there is one, is loaded (it folds them into
   * the packed tables). Default 20,000.
   */
  readonly reloadAfterChanges?: number;
}

const EMPTY_INDEX: MatchIndex = { size: 0, match: () => [] };
const DEFAULT_MAX_PENDING_SEGMENTS = 200;
const DEFAULT_RELOAD_AFTER_CHANGES = 20_000;
/** Segments read from the log at once (applied in order). */
const SEGMENT_READS_AT_ONCE = 8;

/**
 * Keeps the compiled subscriptions of one container: loads the snapshot on first use, then checks at most
 * every `checkIntervalSeconds` whether it changed and recompiles when it did. With no snapshot yet it matches
 * nothing (and warns). When a check fails it keeps what it has; with nothing yet, the failure propagates so
 * that the stories are retried rather than matched against nothing.
 */
export class SubscriptionSnapshotCache {
  private compiled: CompiledSubscriptions | undefined;
  /** With a change log: the index to apply changes to, the active subscriptions by id, the last segment applied. */
  private incremental:
    | {
        index: IncrementalMatchIndex;
        byId: Map<string, Subscription>;
        position: string | undefined;
        /** Changes applied in place since the snapshot was compiled. */
        applied: number;
      }
    | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<CompiledSubscriptions> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The last change-log segment applied (or folded into the snapshot loaded); undefined before any. */
  get changesPosition(): string | undefined {
    return this.incremental?.position;
  }

  /** The current compiled subscriptions, refreshed first if the check interval has passed. */
  async current(): Promise<CompiledSubscriptions> {
    const due = this.now() - this.checkedAt >= this.options.checkIntervalSeconds * 1000;
    if (this.compiled !== undefined && !due) return this.compiled;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<CompiledSubscriptions> {
    const changes = this.options.changes;
    if (changes !== undefined && this.incremental !== undefined) {
      try {
        const limit = this.options.maxPendingSegments ?? DEFAULT_MAX_PENDING_SEGMENTS;
        if (await this.catchUp(changes, limit)) {
          const reloadAfter = this.options.reloadAfterChanges ?? DEFAULT_RELOAD_AFTER_CHANGES;
          // Started from the log alone (no snapshot then): the first snapshot written is loaded once there is one.
          const noSnapshotYet = this.compiled?.version === undefined;
          if (this.incremental.applied < reloadAfter && !noSnapshotYet)
            return this.compiled as CompiledSubscriptions;
          // Many changes sit beside the packed tables: a newer snapshot (a compaction) folds them in. The read
          // is conditional, so until a compaction writes one this costs one small request per check.
          const current = await this.reload();
          await this.catchUp(changes);
          return current;
        }
        // Far behind (a container frozen for long): a newer snapshot, when there is one, spares most of the
        // segments. With none newer, the segments are all there is: they are applied, however many.
        this.options.log.info('Too far behind the subscription change log: reloading the snapshot', {
          position: this.incremental.position,
        });
        const current = await this.reload();
        await this.catchUp(changes);
        return current;
      } catch (error) {
        this.checkedAt = this.now();
        this.options.log.warn(
          'Subscription change log check failed; matching with the subscriptions already loaded',
          { position: this.incremental?.position, error: errorMessage(error) },
        );
        if (this.compiled === undefined) throw error;
        return this.compiled;
      }
    }
    const loaded = await this.reload();
    if (changes !== undefined) {
      // Every segment after the snapshot, however many (a compaction an hour can leave hundreds). A matcher
      // that cannot catch up right after a load keeps the snapshot and tries again at the next check.
      await this.catchUp(changes).catch((error: unknown) =>
        this.options.log.warn('Subscription change log check failed after loading the snapshot', {
          error: errorMessage(error),
        }),
      );
    }
    return loaded;
  }

  /**
   * Applies the change-log segments after the current position to the index in place, in key order (read a
   * few at a time). False, with nothing applied, when more than `limit` are pending.
   */
  private async catchUp(changes: ChangeLog, limit = Number.MAX_SAFE_INTEGER): Promise<boolean> {
    const state = this.incremental;
    if (state === undefined) return true;
    const keys = await changes.keysAfter(
      state.position,
      limit === Number.MAX_SAFE_INTEGER ? limit : limit + 1,
    );
    this.checkedAt = this.now();
    if (keys.length > limit) return false;
    let applied = 0;
    for (let start = 0; start < keys.length; start += SEGMENT_READS_AT_ONCE) {
      const batch = keys.slice(start, start + SEGMENT_READS_AT_ONCE);
      const segments = await Promise.all(batch.map((key) => changes.read(key)));
      for (const [i, updates] of segments.entries()) {
        const errors = applyUpdates(state.index, state.byId, updates);
        for (const { id, error } of errors.slice(0, 20)) {
          this.options.log.warn('Subscription query does not compile; it is skipped', {
            subscriptionId: id,
            error: error.message,
          });
        }
        applied += updates.length;
        state.applied += updates.length;
        state.position = batch[i];
      }
    }
    if (keys.length > 0) {
      this.options.log.info('Subscription changes applied in place', {
        segments: keys.length,
        changes: applied,
        position: state.position,
        compiled: state.index.size,
      });
    }
    return true;
  }

  private async reload(): Promise<CompiledSubscriptions> {
    const { store, log } = this.options;
    const known = this.compiled?.version;
    let read: Awaited<ReturnType<SnapshotStore['read']>>;
    try {
      read = await store.read(known);
    } catch (error) {
      if (this.compiled === undefined) throw error;
      this.checkedAt = this.now();
      log.warn('Subscriptions snapshot check failed; matching with the subscriptions already loaded', {
        version: known,
        error: errorMessage(error),
      });
      return this.compiled;
    }
    this.checkedAt = this.now();
    if (read.kind === 'unchanged' && this.compiled !== undefined) return this.compiled;
    if (read.kind !== 'loaded') {
      // Still none: keep what the log has given so far.
      if (this.compiled !== undefined && this.options.changes !== undefined) return this.compiled;
      log.warn('No subscriptions snapshot yet: matching against zero subscriptions until one is written');
      if (this.options.changes === undefined) {
        this.compiled = { index: EMPTY_INDEX, byId: new Map(), version: undefined };
      } else {
        // No snapshot yet, but the change log may hold every subscription made so far: start from nothing.
        const { index } = this.options.compile([], {});
        const byId = new Map<string, Subscription>();
        this.compiled = { index, byId, version: undefined };
        this.incremental = { index, byId, position: undefined, applied: 0 };
      }
      return this.compiled;
    }
    const started = this.now();
    const active = read.subscriptions.filter((subscription) => subscription.status === 'active');
    // Subscriptions are QuerySources as they are: no copy of each for the compiler.
    const { index, errors, planned } = this.options.compile(active, { plans: read.plans });
    const failed = new Set(errors.map((error) => error.id));
    const byId = new Map<string, Subscription>();
    for (const subscription of active) {
      if (failed.size === 0 || !failed.has(subscription.id)) byId.set(subscription.id, subscription);
    }
    this.compiled = { index, byId, version: read.version };
    this.incremental = { index, byId, position: read.changesThrough, applied: 0 };
    log.info('Subscriptions snapshot compiled', {
      version: read.version,
      subscriptions: read.subscriptions.length,
      compiled: index.size,
      fromPlans: planned,
      queryErrors: errors.length,
      skippedItems: read.skipped,
      compileMilliseconds: this.now() - started,
    });
    for (const { id, error } of errors.slice(0, 20)) {
      log.warn('Subscription query does not compile; it is skipped', {
        subscriptionId: id,
        error: error.message,
      });
    }
    return this.compiled;
  }
}
