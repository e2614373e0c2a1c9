import { beforeEach, describe, expect, it } from 'vitest';
import { deliverAll } from '../../../functions/core/deliveries/deliver.ts';
import { controlJobs, recordDelivered, worthAnAlert } from '../../../functions/core/deliveries/same-news.ts';
import type { AlertStory, DeliveryJob, StoryAlerts } from '../../../functions/core/deliveries/types.ts';
import { encodeFingerprint, fingerprintText } from '../../../functions/core/stories/near-duplicates.ts';
import type { UpdatePolicy } from '../../../functions/core/subscriptions/subscription.ts';
import { aDeliveryJob, SECRET, storyAlerts } from '../alerts/factories.ts';
import { MemoryClaims, MemorySuppressions, RecordingEmail, RecordingSms, RecordingTopic } from './fakes.ts';
import { MemoryDeliveryMemory } from './memory-fake.ts';

const settings = {
  publicBaseUrl: 'https://alerts.example.com',
  signingSecret: SECRET,
  allowedSmsCountries: ['US', 'CA'],
};

// Texts written for these tests.
const FIRST_TAKE =
  'Dock workers at the port of Valdoria walked out on Tuesday after talks over night-shift pay collapsed, halting the loading of grain and container ships for the first time in eleven years. The union said the strike would last until the port authority restored the allowance it cut in March.';
const RETRANSMITTED = `${FIRST_TAKE} `;
const NEW_LEAD = `A court in Valdoria on Wednesday ordered striking dock workers back to work, granting the port authority an injunction hours after ministers offered to mediate; union leaders said they would appeal and kept pickets at the main gates overnight. ${FIRST_TAKE}`;
const OTHER_AGENCY_COPY = `Dock workers at the port of Valdoria walked out on Tuesday after talks over night-shift pay collapsed, halting the loading of grain and container ships for the first time in eleven years, the union said. The union said the strike would last until the port authority restored the allowance it cut in March.`;
const UNRELATED =
  'Container volumes at the port of Valdoria rose 6% last year as new cranes cut waiting times for ships, the port authority said in its annual report on Thursday, while grain exports fell slightly after a dry summer.';

function story(id: string, version: number, status: AlertStory['status'], text: string): AlertStory {
  return {
    id,
    version,
    status,
    headline: `Strike ${id} v${version}`,
    source: 'Test Wire',
    fingerprint: encodeFingerprint(fingerprintText(text)),
  };
}

function alertsFor(alerted: AlertStory, policy: UpdatePolicy = 'first'): StoryAlerts {
  const subscription = { ...aDeliveryJob().subscription, ...(policy === 'first' ? {} : { updates: policy }) };
  return storyAlerts([aDeliveryJob({ story: alerted, subscription })]);
}

describe('delivery control through the notifier steps', () => {
  let memory: MemoryDeliveryMemory;
  let claims: MemoryClaims;
  let email: RecordingEmail;
  let ports: Parameters<typeof deliverAll>[1];

  beforeEach(() => {
    memory = new MemoryDeliveryMemory();
    claims = new MemoryClaims();
    email = new RecordingEmail();
    ports = {
      claims,
      suppressions: new MemorySuppressions(),
      email,
      sms: new RecordingSms(),
      topic: new RecordingTopic(),
    };
  });

  /** What the notifier does with one message: control, deliver, record. Returns the e-mails it sent. */
  async function notify(alerts: StoryAlerts): Promise<number> {
    const before = email.sent.length;
    const jobs: DeliveryJob[] = await controlJobs(alerts, memory);
    const results = await deliverAll(jobs, ports, settings);
    await recordDelivered(alerts.story, results, memory, { ttlSeconds: 3600 });
    return email.sent.length - before;
  }

  it('first (the default): one alert per story, whatever comes after', async () => {
    expect(await notify(alertsFor(story('s1', 1, 'usable', FIRST_TAKE)))).toBe(1);
    expect(await notify(alertsFor(story('s1', 2, 'update', NEW_LEAD)))).toBe(0);
    expect(await notify(alertsFor(story('s1', 3, 'correction', NEW_LEAD)))).toBe(0);
    expect(memory.alerted.size).toBe(0);
  });

  it('substantive: a new lead alerts again, once; a retransmission and a correction of a word do not', async () => {
    expect(await notify(alertsFor(story('s1', 1, 'usable', FIRST_TAKE), 'substantive'))).toBe(1);
    expect(await notify(alertsFor(story('s1', 2, 'update', RETRANSMITTED), 'substantive'))).toBe(0);
    expect(await notify(alertsFor(story('s1', 3, 'update', NEW_LEAD), 'substantive'))).toBe(1);
    // The same version again (SQS delivers twice): its own key is settled.
    expect(await notify(alertsFor(story('s1', 3, 'update', NEW_LEAD), 'substantive'))).toBe(0);
    const typo = NEW_LEAD.replace('overnight', 'over night');
    expect(await notify(alertsFor(story('s1', 4, 'correction', typo), 'substantive'))).toBe(0);
    // An older version arriving late sends nothing.
    expect(await notify(alertsFor(story('s1', 2, 'update', UNRELATED), 'substantive'))).toBe(0);
    expect(email.sent.map((mail) => mail.subject)).toEqual([
      expect.stringContaining('Strike s1 v1'),
      expect.stringContaining('Strike s1 v3'),
    ]);
    expect(claims.items.has('sub-1#email#s1#v3')).toBe(true);
  });

  it('corrections: every correction alerts too, even a small one; updates as substantive', async () => {
    expect(await notify(alertsFor(story('s1', 1, 'usable', FIRST_TAKE), 'corrections'))).toBe(1);
    expect(await notify(alertsFor(story('s1', 2, 'update', RETRANSMITTED), 'corrections'))).toBe(0);
    const typo = FIRST_TAKE.replace('eleven', '11');
    expect(await notify(alertsFor(story('s1', 3, 'correction', typo), 'corrections'))).toBe(1);
    expect(await notify(alertsFor(story('s1', 4, 'update', NEW_LEAD), 'corrections'))).toBe(1);
  });

  it('without fingerprints (an older matcher) a newer version counts when the wire calls it an update', () => {
    const last = { version: 1 };
    const plain = { id: 's1', version: 2, headline: 'x' };
    expect(worthAnAlert('substantive', last, { ...plain, status: 'update' })).toBe(true);
    expect(worthAnAlert('substantive', last, { ...plain, status: 'usable' })).toBe(false);
    expect(worthAnAlert('first', last, { ...plain, status: 'update' })).toBe(false);
  });

  it('near-duplicates: the same news under another id alerts a subscriber once; a different story alerts', async () => {
    expect(await notify(alertsFor(story('ap-1', 1, 'usable', FIRST_TAKE)))).toBe(1);
    expect(await notify(alertsFor(story('dpa-7', 1, 'usable', OTHER_AGENCY_COPY)))).toBe(0);
    expect(await notify(alertsFor(story('rtr-3', 1, 'usable', NEW_LEAD)))).toBe(0);
    expect(await notify(alertsFor(story('ap-2', 1, 'usable', UNRELATED)))).toBe(1);
    expect(memory.groups.get('dpa-7')).toBe('ap-1');
    expect(memory.groups.get('ap-2')).toBe('ap-2');
    // Another subscriber who did not get ap-1 gets the copy: at most one per subscriber, not none.
    const other = { ...aDeliveryJob().subscription, id: 'sub-2' };
    const copy = storyAlerts([
      aDeliveryJob({ story: story('dpa-7', 1, 'usable', OTHER_AGENCY_COPY), subscription: other }),
    ]);
    expect(await notify(copy)).toBe(1);
  });

  it('records who received a story, and a retry after a failed record records it', async () => {
    const first = alertsFor(story('s1', 1, 'usable', FIRST_TAKE));
    memory.failure = new Error('ledger down');
    await expect(notify(first)).rejects.toThrow('ledger down');
    memory.failure = undefined;
    expect(await notify(first)).toBe(0);
    expect((await memory.recipientsOf('s1')).recipients).toEqual([
      {
        subscriptionId: 'sub-1',
        subscriptionName: 'Ports',
        channel: 'email',
        destination: 'reader@example.com',
      },
    ]);
  });

  it('does not count the receivers of another story of the group as receivers of this one', async () => {
    await notify(alertsFor(story('ap-1', 1, 'usable', FIRST_TAKE)));
    await notify(alertsFor(story('dpa-7', 1, 'usable', OTHER_AGENCY_COPY)));
    expect((await memory.recipientsOf('dpa-7')).recipients).toEqual([]);
  });
});
