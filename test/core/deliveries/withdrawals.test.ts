import { beforeEach, describe, expect, it } from 'vitest';
import { deliverAll } from '../../../functions/core/deliveries/deliver.ts';
import { recordDelivered } from '../../../functions/core/deliveries/same-news.ts';
import { jobsOf } from '../../../functions/core/deliveries/types.ts';
import {
  sendWithdrawalNotices,
  WithdrawalNotSentError,
  withdrawalKey,
} from '../../../functions/core/deliveries/withdrawals.ts';
import { TransientSendError } from '../../../functions/core/ports.ts';
import { aDeliveryJob, SECRET, storyAlerts } from '../alerts/factories.ts';
import { MemoryClaims, MemorySuppressions, RecordingEmail, RecordingSms, RecordingTopic } from './fakes.ts';
import { MemoryDeliveryMemory } from './memory-fake.ts';

const settings = {
  publicBaseUrl: 'https://alerts.example.com',
  signingSecret: SECRET,
  allowedSmsCountries: ['US', 'CA'],
};

describe('withdrawal notices', () => {
  let memory: MemoryDeliveryMemory;
  let claims: MemoryClaims;
  let suppressions: MemorySuppressions;
  let email: RecordingEmail;
  let sms: RecordingSms;
  let topic: RecordingTopic;
  let ports: Parameters<typeof deliverAll>[1];
  const story = aDeliveryJob().story;
  const killed = { ...story, version: 2, status: 'killed' as const, headline: 'KILL: do not use' };

  beforeEach(() => {
    memory = new MemoryDeliveryMemory();
    claims = new MemoryClaims();
    suppressions = new MemorySuppressions();
    email = new RecordingEmail();
    sms = new RecordingSms();
    topic = new RecordingTopic();
    ports = { claims, suppressions, email, sms, topic };
  });

  /** The story alerted to one subscriber by e-mail, SMS and topic, and to another by e-mail. */
  async function alertEveryone(): Promise<void> {
    const first = aDeliveryJob().subscription;
    const second = { ...first, id: 'sub-2', name: 'Harbours' };
    const alerts = storyAlerts([
      aDeliveryJob(),
      aDeliveryJob({ channel: 'sms', destination: '+14155550123' }),
      aDeliveryJob({ channel: 'sns', destination: undefined }),
      aDeliveryJob({ subscription: second, destination: 'desk@example.org' }),
    ]);
    const results = await deliverAll(jobsOf(alerts), ports, settings);
    await recordDelivered(alerts.story, results, memory, { ttlSeconds: 3600 });
  }

  it('go to everyone who received the story, on the same channels, once each', async () => {
    await alertEveryone();
    const report = await sendWithdrawalNotices(killed, ports, memory, settings, 4);
    expect(report).toEqual({ sent: 4, skipped: 0 });
    expect(email.sent.slice(2).map((mail) => [mail.to, mail.subject])).toEqual(
      expect.arrayContaining([
        ['reader@example.com', '[Wirewatch] WITHDRAWN Ports: Harbour strike ends after three days'],
        ['desk@example.org', '[Wirewatch] WITHDRAWN Harbours: Harbour strike ends after three days'],
      ]),
    );
    expect(sms.sent.at(-1)).toEqual({
      phone: '+14155550123',
      text: 'Wirewatch WITHDRAWN: Harbour strike ends after three days - disregard the earlier alert.',
    });
    expect(JSON.parse(topic.sent.at(-1)!.message)).toMatchObject({
      type: 'wirewatch.withdrawal',
      story: { id: 'story-42' },
    });
    // The kill again (SQS delivers twice): nothing more.
    expect(await sendWithdrawalNotices(killed, ports, memory, settings, 4)).toEqual({ sent: 0, skipped: 4 });
    expect(email.sent).toHaveLength(4);
    expect(
      claims.items.get(withdrawalKey({ subscriptionId: 'sub-1', channel: 'sms', storyId: 'story-42' }))
        ?.state,
    ).toBe('done');
  });

  it('a story killed before it was sent sends nothing', async () => {
    expect(await sendWithdrawalNotices(killed, ports, memory, settings, 4)).toEqual({ sent: 0, skipped: 0 });
    expect(email.sent.length + sms.sent.length + topic.sent.length).toBe(0);
  });

  it('a failed notice is retried alone; suppressed destinations get none', async () => {
    await alertEveryone();
    await suppressions.suppress('desk@example.org', 'bounced');
    sms.failures.push(new TransientSendError('throttled'));
    await expect(sendWithdrawalNotices(killed, ports, memory, settings, 1)).rejects.toBeInstanceOf(
      WithdrawalNotSentError,
    );
    expect(await sendWithdrawalNotices(killed, ports, memory, settings, 1)).toEqual({ sent: 1, skipped: 3 });
    expect(sms.sent.filter((message) => message.text.includes('WITHDRAWN'))).toHaveLength(1);
    expect(email.sent.filter((mail) => mail.to === 'desk@example.org')).toHaveLength(1);
  });
});
