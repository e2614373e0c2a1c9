import { capSnippet, MAX_SNIPPET_CHARS } from '../alerts/snippet.ts';
import { truncateChars } from '../alerts/text.ts';
import type { Match, MatchIndex } from '../matching/types.ts';
import { encodeFingerprint, fingerprintText, storyText } from '../stories/near-duplicates.ts';
import type { Story } from '../stories/story.ts';
import { storyTitle } from '../stories/title.ts';
import { deliveryInput } from '../subscriptions/preferences.ts';
import { type ChannelType, deliverableChannels, type Subscription } from '../subscriptions/subscription.ts';
import type { AlertDelivery, AlertStory, PlannedMatch, StoryAlerts } from './types.ts';

/** Story statuses that never alert: embargoed or held stories, and kills (a retraction is not news to push). */
const SILENT_STATUSES: ReadonlySet<Story['status']> = new Set(['killed', 'withheld']);

/** Longest headline carried by an alert (headlines are short; this bounds a pathological one). */
const MAX_ALERT_HEADLINE_CHARS = 1000;

/** A story's alerts as the deliveries queue carries them, and what the matcher reports about them. */
export interface DeliveryPlan extends StoryAlerts {
  /** Time spent in `index.match`, for the `MatchLatency` metric; 0 when the story was not matched. */
  readonly matchMilliseconds: number;
}

/**
 * The alerts a story causes, in the deliveries-queue message shape: the story once, and for each active
 * subscription it satisfies (what the `Matches` metric counts) the match once with its channels: each
 * confirmed e-mail and SMS channel, and the alerts topic when the subscription chose it (`sns: true`). The
 * topic delivery is per subscription (not per story) so that its attributes carry the subscription id for
 * filter policies. A killed or withheld story plans no alert (a killed one is still queued, as a kill notice
 * that stops its alerts not yet sent). Updates and corrections plan normally: the delivery ledger makes
 * them send nothing to a subscriber already alerted about that story.
 */
export function planDeliveries(
  story: Story,
  index: MatchIndex,
  subscriptions: ReadonlyMap<string, Subscription>,
): DeliveryPlan {
  if (SILENT_STATUSES.has(story.status)) return withAlertStory(story, [], 0);
  const started = performance.now();
  const allMatches = index.match(story);
  const matchMilliseconds = performance.now() - started;

  const matches: PlannedMatch[] = [];
  for (const match of allMatches) {
    const subscription = subscriptions.get(match.subscriptionId);
    if (subscription === undefined || subscription.status !== 'active') continue;
    matches.push(planMatch(subscription, match));
  }
  return withAlertStory(story, matches, matchMilliseconds);
}

/**
 * The plan, its story built when first read: most stories match nothing and are never queued, so their
 * title (which may scan the lead) is not worked out on the matching path.
 */
function withAlertStory(
  story: Story,
  matches: readonly PlannedMatch[],
  matchMilliseconds: number,
): DeliveryPlan {
  let alertStory: AlertStory | undefined;
  return {
    get story(): AlertStory {
      alertStory ??= toAlertStory(story);
      return alertStory;
    },
    matches,
    matchMilliseconds,
  };
}

/** The story as its alerts carry it, built once per story (its title may scan the lead, its fingerprint the text). */
function toAlertStory(story: Story): AlertStory {
  return {
    id: story.id,
    version: story.version,
    status: story.status,
    // A story without a headline is titled by its lead sentence (stories/title.ts).
    headline: truncateChars(storyTitle(story), MAX_ALERT_HEADLINE_CHARS),
    url: story.url,
    publishedAt: story.publishedAt,
    source: story.source,
    byline: story.authors.length === 0 ? undefined : truncateChars(story.authors.join(', '), 200),
    dateline: story.dateline === '' ? undefined : truncateChars(story.dateline, 100),
    urgency: story.urgency,
    fingerprint: encodeFingerprint(fingerprintText(storyText(story))),
  };
}

function planMatch(subscription: Subscription, match: Match): PlannedMatch {
  // The delivery key is per channel type, so only the first channel of each type is used. Only confirmed
  // channels the subscriber chose receive anything: the alerts topic too only with `sns: true`.
  const planned = new Set<ChannelType>();
  const deliveries: AlertDelivery[] = [];
  for (const channel of deliverableChannels(subscription)) {
    if (planned.has(channel.type)) continue;
    planned.add(channel.type);
    if (channel.type === 'sns') continue;
    const destination = channel.type === 'email' ? channel.address : channel.phone;
    deliveries.push({ channel: channel.type, destination });
  }
  if (planned.has('sns')) deliveries.push({ channel: 'sns' });
  return {
    subscription: {
      id: subscription.id,
      name: subscription.name,
      owner: subscription.owner,
      query: subscription.query,
      ...(subscription.updates === undefined || subscription.updates === 'first'
        ? {}
        : { updates: subscription.updates }),
      ...(subscription.delivery === undefined ? {} : { delivery: deliveryInput(subscription.delivery) }),
    },
    snippet: capSnippet(match.snippet, MAX_SNIPPET_CHARS),
    matchedTerms: [...new Set(match.hits.map((hit) => hit.term))],
    matchedFields: [...new Set(match.hits.map((hit) => hit.field))],
    deliveries,
  };
}
