import type { Subscription } from '../subscriptions/subscription.ts';
import type { ChangeLog, SubscriptionLookup, SubscriptionUpdate } from './ports.ts';

export interface RecordedChanges {
  /** The segment written; undefined when the batch named no subscription. */
  readonly key: string | undefined;
  readonly puts: number;
  readonly removes: number;
  /** The changed subscriptions as they stand now (removed ones absent), for whatever else follows a change. */
  readonly current: ReadonlyMap<string, Subscription>;
}

/**
 * One stream batch -> one change-log segment. The stream says only which subscriptions changed (keys only);
 * their state is read now, strongly consistent, so the segment holds each one's latest state (or its
 * removal) once, in the order of the batch. A batch delivered again writes the same states again: applying a
 * segment twice changes nothing, so redelivery is harmless. A failure throws and nothing is half written.
 */
export async function recordChanges(
  changedIds: readonly string[],
  ports: { readonly lookup: SubscriptionLookup; readonly changes: ChangeLog },
): Promise<RecordedChanges> {
  const ids = [...new Set(changedIds)];
  if (ids.length === 0) return { key: undefined, puts: 0, removes: 0, current: new Map() };
  const current = await ports.lookup.currentStates(ids);
  const updates: SubscriptionUpdate[] = ids.map((id) => {
    const subscription = current.get(id);
    return subscription === undefined ? { kind: 'remove', id } : { kind: 'put', subscription };
  });
  const key = await ports.changes.append(updates);
  return { key, puts: current.size, removes: ids.length - current.size, current };
}
