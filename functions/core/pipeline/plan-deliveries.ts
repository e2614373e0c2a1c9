import type { DeliveryJob } from '../alerts/delivery.ts';
import { capSnippet, MAX_SNIPPET_CHARS } from '../alerts/snippet.ts';
import { truncateChars } from '../alerts/text.ts';
import type { Match, MatchIndex } from '../matching/types.ts';
import type { Story } from '../stories/story.ts';
import { storyTitle } from '../stories/title.ts';
import { type ChannelType, deliverableChannels, type Subscription } from '../subscriptions/subscription.ts';

/** Story statuses that never alert: embargoed or held stories, and kills (a retraction is not news to push). */
const SILENT_STATUSES: ReadonlySet<Story['status']> = new Set(['killed', 'withheld']);

/** Longest headline carried by a job (headlines are short; this bounds a pathological one). */
const MAX_JOB_HEADLINE_CHARS = 1000;

export interface DeliveryPlan {
  readonly jobs: readonly DeliveryJob[];
  /** Matches of subscriptions that exist and are active (what the `Matches` metric counts). */
  readonly matches: readonly Match[];
  /** Time spent in `index.match`, for the `MatchLatency` metric; 0 when the story was not matched. */
  readonly matchMilliseconds: number;
}

/**
 * The deliveries a story causes. For each active subscription it satisfies: one job per confirmed e-mail
 * and SMS channel, and one `sns` job for the alerts topic. The topic job is per subscription (not per story)
 * so that its attributes carry the subscription id for filter policies; the topic carries every alert.
 * A killed or withheld story plans nothing. Updates and corrections plan normally: the delivery ledger makes
 * them send nothing to a subscriber already alerted about that story.
 */
export function planDeliveries(
  story: Story,
  index: MatchIndex,
  subscriptions: ReadonlyMap<string, Subscription>,
): DeliveryPlan {
  if (SILENT_STATUSES.has(story.status)) return { jobs: [], matches: [], matchMilliseconds: 0 };
  const started = performance.now();
  const allMatches = index.match(story);
  const matchMilliseconds = performance.now() - started;

  const jobs: DeliveryJob[] = [];
  const matches: Match[] = [];
  let jobStory: DeliveryJob['story'] | undefined;
  for (const match of allMatches) {
    const subscription = subscriptions.get(match.subscriptionId);
    if (subscription === undefined || subscription.status !== 'active') continue;
    matches.push(match);
    jobStory ??= jobStoryOf(story);
    jobs.push(...jobsForMatch(jobStory, subscription, match));
  }
  return { jobs, matches, matchMilliseconds };
}

/** The story as every job of it carries it: built once per story (its title scans the lead), shared by reference. */
function jobStoryOf(story: Story): DeliveryJob['story'] {
  return {
    id: story.id,
    version: story.version,
    status: story.status,
    // A story without a headline is titled by its lead sentence (stories/title.ts).
    headline: truncateChars(storyTitle(story), MAX_JOB_HEADLINE_CHARS),
    url: story.url,
    publishedAt: story.publishedAt,
    source: story.source,
    byline: story.authors.length === 0 ? undefined : truncateChars(story.authors.join(', '), 200),
    dateline: story.dateline === '' ? undefined : truncateChars(story.dateline, 100),
    urgency: story.urgency,
  };
}

function jobsForMatch(
  jobStory: DeliveryJob['story'],
  subscription: Subscription,
  match: Match,
): DeliveryJob[] {
  const common = {
    story: jobStory,
    subscription: {
      id: subscription.id,
      name: subscription.name,
      owner: subscription.owner,
      query: subscription.query,
    },
    snippet: capSnippet(match.snippet, MAX_SNIPPET_CHARS),
    matchedTerms: [...new Set(match.hits.map((hit) => hit.term))],
    matchedFields: [...new Set(match.hits.map((hit) => hit.field))],
  };
  // The delivery key is per channel type, so only the first channel of each type is used.
  const planned = new Set<ChannelType>();
  const jobs: DeliveryJob[] = [];
  for (const channel of deliverableChannels(subscription)) {
    if (planned.has(channel.type) || channel.type === 'sns') continue;
    planned.add(channel.type);
    const destination = channel.type === 'email' ? channel.address : channel.phone;
    jobs.push({ ...common, channel: channel.type, destination });
  }
  jobs.push({ ...common, channel: 'sns' });
  return jobs;
}
