import { type DeliveryPlan, planDeliveries } from '../deliveries/plan.ts';
import type { DeliveryQueue } from '../deliveries/ports.ts';
import type { RecentStories } from '../ports.ts';
import type { Story } from '../stories/story.ts';
import type { CompiledSubscriptions } from './snapshot-cache.ts';

/**
 * One parsed story through the matcher: match and plan its alerts, then queue them (a failure throws, so that
 * the story is retried). A killed story is queued as a kill notice, which stops its alerts not yet sent.
 */
export async function matchAndQueue(
  story: Story,
  subscriptions: CompiledSubscriptions,
  deliveries: DeliveryQueue,
): Promise<DeliveryPlan> {
  const plan = planDeliveries(story, subscriptions.index, subscriptions.byId);
  if (plan.matches.length > 0 || story.status === 'killed') await deliveries.send(plan);
  return plan;
}

/**
 * Keeps a batch's parsed stories for query previews, in one write. Best effort: a failure is reported to
 * `onError`, never thrown (the stories themselves were matched). Withheld (embargoed) stories are not kept:
 * a preview must not show them before their time.
 */
export async function keepForPreviews(
  stories: readonly Story[],
  recent: RecentStories,
  onError: (error: unknown, stories: readonly Story[]) => void,
): Promise<void> {
  const kept = stories.filter((story) => story.status !== 'withheld');
  if (kept.length === 0) return;
  try {
    await recent.put(kept);
  } catch (error) {
    onError(error, kept);
  }
}
