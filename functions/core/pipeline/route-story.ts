import type { RecentStories } from '../ports.ts';
import type { Story } from '../stories/story.ts';
import { type DeliveryPlan, planDeliveries } from './plan-deliveries.ts';
import type { DeliveryQueue } from './ports.ts';
import type { CompiledSubscriptions } from './subscription-index.ts';

export interface RoutePorts {
  readonly deliveries: DeliveryQueue;
  /** Where parsed stories are kept for query previews; best effort. */
  readonly recent?: RecentStories | undefined;
  /** Told when keeping a story for previews failed; the story itself still counts as processed. */
  readonly onRecentStoryError?: ((story: Story, error: unknown) => void) | undefined;
}

/**
 * One parsed story through the matcher: match and plan, queue the delivery jobs (a failure throws, so the
 * story is retried) and, alongside, keep the story for previews (a failure there is reported, never thrown).
 * Withheld (embargoed) stories are not kept: a preview must not show them before their time.
 */
export async function routeStory(
  story: Story,
  subscriptions: CompiledSubscriptions,
  ports: RoutePorts,
): Promise<DeliveryPlan> {
  const plan = planDeliveries(story, subscriptions.index, subscriptions.byId);
  const kept =
    ports.recent === undefined || story.status === 'withheld'
      ? Promise.resolve()
      : ports.recent.put(story).catch((error: unknown) => ports.onRecentStoryError?.(story, error));
  try {
    if (plan.jobs.length > 0) await ports.deliveries.send(plan.jobs);
  } finally {
    await kept;
  }
  return plan;
}
