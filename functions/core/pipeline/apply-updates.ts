import type { IncrementalMatchIndex, QueryError, SubscriptionChange } from '../matching/types.ts';
import type { Subscription } from '../subscriptions/subscription.ts';
import type { SubscriptionUpdate } from './ports.ts';

/**
 * Applies a change-log segment to a compiled index and its subscriptions by id, in place: an active
 * subscription is put (added or replaced), anything else (paused, pending, deleted) taken out. Returns the
 * subscriptions whose query does not compile (taken out as well).
 */
export function applyUpdates(
  index: IncrementalMatchIndex,
  byId: Map<string, Subscription>,
  updates: readonly SubscriptionUpdate[],
): { id: string; error: QueryError }[] {
  // Only each subscription's last state in the segment counts (a segment applies whole, before any story is
  // matched): an earlier state that does not compile must not take out a later one that does.
  const last = new Map<string, SubscriptionUpdate>();
  for (const update of updates) {
    const id = update.kind === 'put' ? update.subscription.id : update.id;
    last.delete(id);
    last.set(id, update);
  }
  const changes: SubscriptionChange[] = [];
  for (const update of last.values()) {
    if (update.kind === 'put' && update.subscription.status === 'active') {
      const { id, query } = update.subscription;
      changes.push({ kind: 'put', id, query });
      byId.set(id, update.subscription);
    } else {
      const id = update.kind === 'put' ? update.subscription.id : update.id;
      changes.push({ kind: 'remove', id });
      byId.delete(id);
    }
  }
  const errors = index.apply(changes);
  for (const { id } of errors) byId.delete(id);
  return errors;
}
