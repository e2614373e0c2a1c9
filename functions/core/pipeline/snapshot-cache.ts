import { errorMessage } from '../describe-error.ts';
import type { QueryPlans } from '../matching/plans.ts';
import type { CompileResult, MatchIndex, QuerySource } from '../matching/types.ts';
import type { Subscription } from '../subscriptions/subscription.ts';
import type { SnapshotStore } from './ports.ts';

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
}

const EMPTY_INDEX: MatchIndex = { size: 0, match: () => [] };

/**
 * Keeps the compiled subscriptions of one container: loads the snapshot on first use, then checks at most
 * every `checkIntervalSeconds` whether it changed and recompiles when it did. With no snapshot yet it matches
 * nothing (and warns). When a check fails it keeps what it has; with nothing yet, the failure propagates so
 * that the stories are retried rather than matched against nothing.
 */
export class SubscriptionSnapshotCache {
  private compiled: CompiledSubscriptions | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<CompiledSubscriptions> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotCacheOptions) {
    this.now = options.now ?? Date.now;
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
      log.warn('No subscriptions snapshot yet: matching against zero subscriptions until one is written');
      this.compiled = { index: EMPTY_INDEX, byId: new Map(), version: undefined };
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
