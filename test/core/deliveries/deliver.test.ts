import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_CLAIM_LEASE_SECONDS,
  deliver,
  deliverAll,
  readBeforeSending,
} from '../../../functions/core/deliveries/deliver.ts';
import {
  DeliveryInFlightError,
  DestinationRejectedError,
} from '../../../functions/core/deliveries/errors.ts';
import { deliveryKey, matchClaimKey } from '../../../functions/core/deliveries/types.ts';
import { PermanentSendError, TransientSendError } from '../../../functions/core/ports.ts';
import { aDeliveryJob, SECRET } from '../alerts/factories.ts';
import { MemoryClaims, MemorySuppressions, RecordingEmail, RecordingSms, RecordingTopic } from './fakes.ts';

const settings = {
  publicBaseUrl: 'https://alerts.example.com',
  signingSecret: SECRET,
  allowedSmsCountries: ['US', 'CA', 'GB'],
};

describe('deliver', () => {
  let claims: MemoryClaims;
  let suppressions: MemorySuppressions;
  let email: RecordingEmail;
  let sms: RecordingSms;
  let topic: RecordingTopic;
  let ports: Parameters<typeof deliver>[1];

  beforeEach(() => {
    claims = new MemoryClaims();
    suppressions = new MemorySuppressions();
    email = new RecordingEmail();
    sms = new RecordingSms();
    topic = new RecordingTopic();
    ports = { claims, suppressions, email, sms, topic };
  });

  it('sends an e-mail once, however often the job arrives', async () => {
    const job = aDeliveryJob();
    expect(await deliver(job, ports, settings)).toEqual({ status: 'sent' });
    expect(await deliver(job, ports, settings)).toEqual({ status: 'duplicate' });
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]?.to).toBe('reader@example.com');
    expect(claims.items.get(deliveryKey(job))?.state).toBe('done');
  });

  it('sends nothing for a later version of a story already alerted', async () => {
    await deliver(aDeliveryJob(), ports, settings);
    const update = aDeliveryJob({ story: { ...aDeliveryJob().story, version: 2, status: 'update' } });
    expect(await deliver(update, ports, settings)).toEqual({ status: 'duplicate' });
    expect(email.sent).toHaveLength(1);
  });

  it('releases the claim and rethrows a transient failure, so that the retry sends', async () => {
    const job = aDeliveryJob();
    email.failures.push(new TransientSendError('ThrottlingException'));
    await expect(deliver(job, ports, settings)).rejects.toBeInstanceOf(TransientSendError);
    expect(claims.items.has(deliveryKey(job))).toBe(false);
    expect(await deliver(job, ports, settings)).toEqual({ status: 'sent' });
    expect(email.sent).toHaveLength(1);
  });

  it('keeps the claim on a permanent failure and does not retry', async () => {
    const job = aDeliveryJob();
    email.failures.push(new PermanentSendError('MailFromDomainNotVerifiedException'));
    expect(await deliver(job, ports, settings)).toEqual({
      status: 'rejected',
      reason: 'MailFromDomainNotVerifiedException',
      suppressed: false,
    });
    expect(await deliver(job, ports, settings)).toEqual({ status: 'duplicate' });
    expect(email.sent).toHaveLength(0);
    expect(suppressions.suppressed.size).toBe(0);
  });

  it('suppresses a destination that refused for good, and skips it from then on', async () => {
    const job = aDeliveryJob({ channel: 'sms', destination: '+14155550123' });
    sms.failures.push(new DestinationRejectedError('OptedOutException'));
    expect(await deliver(job, ports, settings)).toMatchObject({ status: 'rejected', suppressed: true });
    expect(suppressions.suppressed.get('+14155550123')).toBe('sms: OptedOutException');

    const nextStory = aDeliveryJob({
      channel: 'sms',
      destination: '+14155550123',
      story: { ...job.story, id: 'story-43' },
    });
    expect(await deliver(nextStory, ports, settings)).toEqual({ status: 'suppressed' });
    expect(sms.sent).toHaveLength(0);
  });

  it('skips a destination suppressed by an SMS STOP reply', async () => {
    suppressions.suppressed.set('reader@example.com', 'complaint');
    expect(await deliver(aDeliveryJob(), ports, settings)).toEqual({ status: 'suppressed' });
    expect(email.sent).toHaveLength(0);
  });

  it('reports a copy in flight elsewhere as transient, and takes over once its lease has run out', async () => {
    const job = aDeliveryJob();
    await claims.claim(deliveryKey(job), { ttlSeconds: 100, leaseSeconds: 60, token: 'other-worker' });
    const inFlight = deliver(job, ports, settings);
    await expect(inFlight).rejects.toBeInstanceOf(DeliveryInFlightError);
    await expect(inFlight).rejects.toBeInstanceOf(TransientSendError);
    expect(email.sent).toHaveLength(0);
    claims.nowSeconds += DEFAULT_CLAIM_LEASE_SECONDS + 1;
    expect(await deliver(job, ports, settings)).toEqual({ status: 'sent' });
  });

  it('sends SMS only to allowed countries and E.164 numbers', async () => {
    const france = aDeliveryJob({ channel: 'sms', destination: '+33612345678' });
    expect(await deliver(france, ports, settings)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/not allowed/),
    });
    const local = aDeliveryJob({ channel: 'sms', destination: '0612345678' });
    expect(await deliver(local, ports, settings)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/E\.164/),
    });
    // Checked again at send time: a premium-rate number, or one of a country no longer allowed.
    const premium = aDeliveryJob({ channel: 'sms', destination: '+449090101234' });
    expect(await deliver(premium, ports, settings)).toMatchObject({
      status: 'rejected',
      reason: 'a premium-rate number: alerts go by SMS only to mobile numbers',
    });
    const jamaica = aDeliveryJob({ channel: 'sms', destination: '+18762101234' });
    expect(await deliver(jamaica, ports, settings)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^SMS to Jamaica \(JM\) is not allowed here/),
    });
    const uk = aDeliveryJob({ channel: 'sms', destination: '+447400123456' });
    expect(await deliver(uk, ports, settings)).toEqual({ status: 'sent' });
    expect(sms.sent.map((m) => m.phone)).toEqual(['+447400123456']);
    expect(Buffer.byteLength(sms.sent[0]?.text ?? '')).toBeLessThanOrEqual(140);
  });

  it('publishes topic jobs with their attributes', async () => {
    const job = aDeliveryJob({ channel: 'sns', destination: undefined });
    expect(await deliver(job, ports, settings)).toEqual({ status: 'sent' });
    expect(topic.sent[0]?.attributes).toMatchObject({
      subscriptionId: 'sub-1',
      storyId: 'story-42',
      channel: 'sns',
    });
  });

  it('still reports an alert as sent when only settling its claim failed', async () => {
    claims.settle = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const outcome = await deliver(aDeliveryJob(), ports, settings);
    expect(outcome).toMatchObject({ status: 'sent', warning: expect.stringMatching(/DynamoDB unavailable/) });
    expect(email.sent).toHaveLength(1);
  });

  it('treats an unexpected error like a transient one (released, rethrown)', async () => {
    const job = aDeliveryJob();
    email.send = async () => {
      throw new Error('network down');
    };
    await expect(deliver(job, ports, settings)).rejects.toThrow('network down');
    expect(claims.items.has(deliveryKey(job))).toBe(false);
  });

  it('fails every job, claiming none, when the ledger cannot be read', async () => {
    suppressions.suppressedAmong = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const results = await deliverAll(
      [aDeliveryJob(), aDeliveryJob({ channel: 'sns', destination: undefined })],
      ports,
      settings,
    );
    expect(
      results.map((result) => ('error' in result ? String(result.error) : result.outcome.status)),
    ).toEqual(['Error: DynamoDB unavailable', 'Error: DynamoDB unavailable']);
    expect(claims.items.size).toBe(0);
    expect(email.sent).toHaveLength(0);
  });
});

describe('deliverAll: the jobs of one message', () => {
  let claims: MemoryClaims;
  let suppressions: MemorySuppressions;
  let email: RecordingEmail;
  let ports: Parameters<typeof deliverAll>[1];
  const jobsFor = (count: number, story = 'story-42') =>
    Array.from({ length: count }, (_, i) =>
      aDeliveryJob({
        story: { ...aDeliveryJob().story, id: story },
        subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` },
        destination: `reader-${i}@example.com`,
      }),
    );

  beforeEach(() => {
    claims = new MemoryClaims();
    suppressions = new MemorySuppressions();
    email = new RecordingEmail();
    ports = { claims, suppressions, email, sms: new RecordingSms(), topic: new RecordingTopic() };
  });

  it('looks up the ledger once, claims each job, and settles each as soon as it is sent, grouped', async () => {
    const results = await deliverAll(jobsFor(30), ports, settings, 4);
    expect(results.map((result) => 'outcome' in result && result.outcome.status)).toEqual(
      Array(30).fill('sent'),
    );
    expect(email.sent.map((mail) => mail.to).sort()).toEqual(
      jobsFor(30)
        .map((job) => job.destination)
        .sort(),
    );
    expect(claims.calls[0]).toBe('lookUp 30');
    const settles = claims.calls.slice(1).map((call) => Number(call.replace('settle ', '')));
    expect(settles.reduce((sum, count) => sum + count, 0)).toBe(30);
    // Settled as they go (a crash repeats only the alerts in flight), yet grouped: far fewer writes than alerts.
    expect(settles.length).toBeGreaterThan(1);
    expect(settles.length).toBeLessThanOrEqual(15);
    expect(suppressions.lookups).toBe(1);
  });

  it('sends only the jobs that failed when the message comes back, and nothing for a story update', async () => {
    const jobs = jobsFor(10);
    let calls = 0;
    const send = email.send.bind(email);
    email.send = async (message) => {
      calls++;
      if (calls === 3 || calls === 7) throw new TransientSendError('ThrottlingException');
      await send(message);
    };
    const first = await deliverAll(jobs, ports, settings, 1);
    expect(first.filter((result) => 'error' in result)).toHaveLength(2);
    expect(email.sent).toHaveLength(8);
    expect(claims.calls[0]).toBe('lookUp 10');
    expect(claims.calls.at(-1)).toBe('release 2');
    const settled = claims.calls.filter((call) => call.startsWith('settle '));
    expect(settled.reduce((sum, call) => sum + Number(call.replace('settle ', '')), 0)).toBe(8);

    const retry = await deliverAll(jobs, ports, settings, 1);
    expect(retry.map((result) => 'outcome' in result && result.outcome.status).sort()).toEqual([
      ...Array(8).fill('duplicate'),
      'sent',
      'sent',
    ]);
    expect(email.sent).toHaveLength(10);
    expect(new Set(email.sent.map((mail) => mail.to)).size).toBe(10);

    const update = jobs.map((job) => ({
      ...job,
      story: { ...job.story, version: 2, status: 'update' as const },
    }));
    const again = await deliverAll(update, ports, settings, 1);
    expect(again.every((result) => 'outcome' in result && result.outcome.status === 'duplicate')).toBe(true);
    expect(email.sent).toHaveLength(10);
  });

  it('uses a read started early, and reads only the keys it missed (another near-duplicate group)', async () => {
    const jobs = jobsFor(6);
    await claims.settle([deliveryKey(jobs[0]!)], { ttlSeconds: 600 });
    suppressions.suppressed.set('reader-1@example.com', 'bounce');
    const early = readBeforeSending(jobs, ports);
    // Jobs 4 and 5 were put in another story's group after the early read started: their keys are new.
    const grouped = jobs.map((job, at) => (at >= 4 ? { ...job, group: 'story-first' } : job));
    await claims.settle([deliveryKey(grouped[5]!)], { ttlSeconds: 600 });
    claims.calls.length = 0;
    const results = await deliverAll(grouped, ports, settings, 2, early);
    expect(results.map((result) => 'outcome' in result && result.outcome.status)).toEqual([
      'duplicate',
      'suppressed',
      'sent',
      'sent',
      'sent',
      'duplicate',
    ]);
    expect(claims.calls[0]).toBe('lookUp 2');
    expect(suppressions.lookups).toBe(2);
    expect(email.sent.map((mail) => mail.to).sort()).toEqual([
      'reader-2@example.com',
      'reader-3@example.com',
      'reader-4@example.com',
    ]);
  });

  it('reads nothing more when the early read answers for every job, and fails the jobs when it failed', async () => {
    const jobs = jobsFor(3);
    const early = readBeforeSending(jobs, ports);
    claims.calls.length = 0;
    await deliverAll(jobs, ports, settings, 2, early);
    expect(claims.calls.filter((call) => call.startsWith('lookUp'))).toEqual([]);
    expect(email.sent).toHaveLength(3);

    const failed = Promise.reject(new Error('ledger unavailable'));
    const results = await deliverAll(jobsFor(2, 'story-43'), ports, settings, 2, failed);
    expect(results.map((result) => 'error' in result && String(result.error))).toEqual([
      'Error: ledger unavailable',
      'Error: ledger unavailable',
    ]);
    expect(email.sent).toHaveLength(3);
  });

  it('skips suppressed destinations and refuses bad ones, sending the rest', async () => {
    const jobs = jobsFor(3);
    suppressions.suppressed.set('reader-1@example.com', 'bounce');
    const sms = aDeliveryJob({ channel: 'sms', destination: '+33612345678' });
    const results = await deliverAll([...jobs, sms], ports, settings);
    expect(results.map((result) => 'outcome' in result && result.outcome.status)).toEqual([
      'sent',
      'suppressed',
      'sent',
      'rejected',
    ]);
    expect(email.sent.map((mail) => mail.to)).toEqual(['reader-0@example.com', 'reader-2@example.com']);
  });

  it('keeps at most `concurrency` topic alerts in flight, as it does e-mails (a crash repeats no more)', async () => {
    const topic = new RecordingTopic();
    ports = { ...ports, topic };
    const topicJobs = jobsFor(11).map((job) => ({ ...job, channel: 'sns' as const, destination: undefined }));
    await deliverAll(topicJobs, ports, settings, 4);
    expect(topic.calls).toEqual([4, 4, 3]);
  });

  it('publishes topic alerts ten to a request, retrying only the ones the topic refused', async () => {
    const topic = new RecordingTopic();
    ports = { ...ports, topic };
    const topicJobs = jobsFor(23).map((job) => ({ ...job, channel: 'sns' as const, destination: undefined }));
    topic.failures.push(new TransientSendError('InternalError'));
    const first = await deliverAll(topicJobs, ports, settings, 10);
    expect(topic.calls).toEqual([10, 10, 3]);
    expect(first.filter((result) => 'error' in result)).toHaveLength(1);
    expect(topic.sent).toHaveLength(22);

    const retry = await deliverAll(topicJobs, ports, settings, 10);
    expect(retry.filter((result) => 'outcome' in result && result.outcome.status === 'sent')).toHaveLength(1);
    expect(topic.calls).toEqual([10, 10, 3, 1]);
    expect(new Set(topic.sent.map((sent) => sent.attributes.subscriptionId)).size).toBe(23);
  });

  it('marks the sent alerts with a warning when settling fails, and sends nothing twice', async () => {
    claims.settle = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const results = await deliverAll(jobsFor(3), ports, settings);
    expect(results.map((result) => 'outcome' in result && result.outcome)).toEqual(
      Array(3).fill({ status: 'sent', warning: 'claims not settled: Error: DynamoDB unavailable' }),
    );
    expect(email.sent).toHaveLength(3);
  });
});

describe('deliverAll: crashes, stale workers and kills', () => {
  const jobsFor = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      aDeliveryJob({
        subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` },
        destination: `reader-${i}@example.com`,
      }),
    );

  it('repeats after a crash only the alerts in flight: the sent ones were settled as they went', async () => {
    const claims = new MemoryClaims();
    const email = new RecordingEmail();
    const ports = {
      claims,
      suppressions: new MemorySuppressions(),
      email,
      sms: new RecordingSms(),
      topic: new RecordingTopic(),
    };
    const concurrency = 2;
    // The worker "dies" at its 11th send: that send never returns, and nothing after it happens.
    let sends = 0;
    const send = email.send.bind(email);
    email.send = async (message) => {
      if (++sends > 10) return new Promise<void>(() => undefined);
      await send(message);
    };
    void deliverAll(jobsFor(30), ports, settings, concurrency);
    // Both send slots end up stuck: the worker is as good as dead.
    await vi.waitFor(() => expect(sends).toBe(10 + concurrency));
    expect(email.sent).toHaveLength(10);

    // After the lease, the message comes back to a healthy worker.
    claims.nowSeconds += DEFAULT_CLAIM_LEASE_SECONDS + 1;
    const healthy = new RecordingEmail();
    await deliverAll(jobsFor(30), { ...ports, email: healthy }, settings, concurrency);
    const repeated = healthy.sent.filter((mail) => email.sent.some((first) => first.to === mail.to));
    expect(repeated.length).toBeLessThanOrEqual(2 * concurrency);
    expect(new Set([...email.sent, ...healthy.sent].map((mail) => mail.to)).size).toBe(30);
  });

  it('sends nothing for a killed story', async () => {
    const claims = new MemoryClaims();
    const email = new RecordingEmail();
    await claims.withdraw('story-42');
    const ports = {
      claims,
      suppressions: new MemorySuppressions(),
      email,
      sms: new RecordingSms(),
      topic: new RecordingTopic(),
    };
    const results = await deliverAll(jobsFor(3), ports, settings);
    expect(results.map((result) => 'outcome' in result && result.outcome.status)).toEqual(
      Array(3).fill('withdrawn'),
    );
    expect(email.sent).toHaveLength(0);
  });

  it('retries a failed settle before reporting the alert unsettled', async () => {
    const claims = new MemoryClaims();
    const settle = claims.settle.bind(claims);
    let failures = 1;
    claims.settle = async (keys, options) => {
      if (failures-- > 0) throw new Error('DynamoDB unavailable');
      return settle(keys, options);
    };
    const ports = {
      claims,
      suppressions: new MemorySuppressions(),
      email: new RecordingEmail(),
      sms: new RecordingSms(),
      topic: new RecordingTopic(),
    };
    expect(await deliver(aDeliveryJob(), ports, settings)).toEqual({ status: 'sent' });
    expect(claims.items.get(deliveryKey(aDeliveryJob()))?.state).toBe('done');
  });
});

describe('deliverAll: the channels of one match, claimed as one', () => {
  let claims: MemoryClaims;
  let email: RecordingEmail;
  let sms: RecordingSms;
  let topic: RecordingTopic;
  let ports: Parameters<typeof deliverAll>[1];
  let claimed: string[];
  /** For each of `count` subscriptions, its e-mail, SMS and topic alerts of one story, as a message carries them. */
  const matchesFor = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const match = aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` } });
      return [
        { ...match, channel: 'email' as const, destination: `reader-${i}@example.com` },
        { ...match, channel: 'sms' as const, destination: `+1202555${String(i).padStart(4, '0')}` },
        { ...match, channel: 'sns' as const, destination: undefined },
      ];
    }).flat();
  const statuses = (results: Awaited<ReturnType<typeof deliverAll>>) =>
    results.map((result) => ('outcome' in result ? result.outcome.status : 'error'));

  beforeEach(() => {
    claims = new MemoryClaims();
    email = new RecordingEmail();
    sms = new RecordingSms();
    topic = new RecordingTopic();
    ports = { claims, suppressions: new MemorySuppressions(), email, sms, topic };
    claimed = [];
    const claim = claims.claim.bind(claims);
    claims.claim = async (key, options) => {
      claimed.push(key);
      return claim(key, options);
    };
  });

  it('claims each match once for all its channels, and settles a chunk of matches in one write', async () => {
    const jobs = matchesFor(6);
    const results = await deliverAll(jobs, ports, settings, 4);
    expect(statuses(results)).toEqual(Array(18).fill('sent'));
    expect([email.sent.length, sms.sent.length, topic.sent.length]).toEqual([6, 6, 6]);
    expect(claimed).toEqual(Array.from({ length: 6 }, (_, i) => matchClaimKey(jobs.slice(3 * i, 3 * i + 3))));
    expect(claimed[0]).toBe(`sub-0#email+sms+sns#${jobs[0]!.story.id}`);
    // Two chunks (4 matches, then 2): one settle each, of every alert's key and its match's claim.
    expect(claims.calls.filter((call) => call.startsWith('settle'))).toEqual(['settle 16', 'settle 8']);
    for (const job of jobs) expect(claims.items.get(deliveryKey(job))?.state).toBe('done');
    expect(topic.calls).toEqual([4, 2]);
  });

  it('after a partial failure, a copy sends nothing twice and the retry sends only what failed', async () => {
    const jobs = matchesFor(2);
    topic.failures.push(new TransientSendError('InternalError'));
    const first = await deliverAll(jobs, ports, settings);
    expect(statuses(first)).toEqual(['sent', 'sent', 'error', 'sent', 'sent', 'sent']);
    // The match went out in part: its claim is settled, so a copy arriving now sends none of it again.
    expect(claims.items.get(matchClaimKey(jobs.slice(0, 3)))?.state).toBe('done');

    const retry = await deliverAll(jobs, ports, settings);
    expect(statuses(retry)).toEqual([
      'duplicate',
      'duplicate',
      'sent',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    // The topic alert left over is claimed under its own key.
    expect(claimed.at(-1)).toBe(deliveryKey(jobs[2]!));
    expect([email.sent.length, sms.sent.length, topic.sent.length]).toEqual([2, 2, 2]);
    expect(statuses(await deliverAll(jobs, ports, settings))).toEqual(Array(6).fill('duplicate'));
  });

  it('releases the claim of a match of which nothing went out, so that the retry sends it all', async () => {
    const jobs = matchesFor(1);
    email.failures.push(new TransientSendError('ThrottlingException'));
    sms.failures.push(new TransientSendError('ThrottlingException'));
    topic.failures.push(new TransientSendError('InternalError'));
    expect(statuses(await deliverAll(jobs, ports, settings))).toEqual(['error', 'error', 'error']);
    expect(claims.calls.at(-1)).toBe('release 1');
    expect(claims.items.has(matchClaimKey(jobs))).toBe(false);
    expect(statuses(await deliverAll(jobs, ports, settings))).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends each alert once when two workers take the same message at once', async () => {
    const jobs = matchesFor(5);
    const [one, two] = await Promise.all([
      deliverAll(jobs, ports, settings, 2),
      deliverAll(jobs, ports, settings, 2),
    ]);
    const failed = [...one, ...two].filter((result) => 'error' in result);
    for (const result of failed)
      expect((result as { error: unknown }).error).toBeInstanceOf(DeliveryInFlightError);
    // The loser's retry, once the winner is done, finds every alert sent.
    expect(statuses(await deliverAll(jobs, ports, settings)).every((status) => status === 'duplicate')).toBe(
      true,
    );
    expect([email.sent.length, sms.sent.length, topic.sent.length]).toEqual([5, 5, 5]);
  });

  it('repeats after a crash at most the matches in flight', async () => {
    const concurrency = 2;
    // The worker "dies" at its 7th e-mail: that send never returns, and nothing after it happens.
    let sends = 0;
    const send = email.send.bind(email);
    email.send = async (message) => {
      if (++sends > 6) return new Promise<void>(() => undefined);
      await send(message);
    };
    void deliverAll(matchesFor(12), ports, settings, concurrency);
    await vi.waitFor(() => expect(sends).toBe(6 + concurrency));
    const before = { email: email.sent.length, sms: sms.sent.length, topic: topic.sent.length };
    expect(before.email).toBe(6);

    claims.nowSeconds += DEFAULT_CLAIM_LEASE_SECONDS + 1;
    const healthy = { email: new RecordingEmail(), sms: new RecordingSms(), topic: new RecordingTopic() };
    await deliverAll(matchesFor(12), { ...ports, ...healthy }, settings, concurrency);
    // Every alert arrived; at most the matches of two chunks (one settling, one sending) went twice.
    const twice = (first: readonly unknown[], again: readonly unknown[], total: number) =>
      first.length + again.length - total;
    expect(twice(email.sent, healthy.email.sent, 12)).toBeLessThanOrEqual(2 * concurrency);
    expect(twice(sms.sent, healthy.sms.sent, 12)).toBeLessThanOrEqual(2 * concurrency);
    expect(twice(topic.sent, healthy.topic.sent, 12)).toBeLessThanOrEqual(2 * concurrency);
    expect(new Set([...email.sent, ...healthy.email.sent].map((mail) => mail.to)).size).toBe(12);
    expect(new Set([...sms.sent, ...healthy.sms.sent].map((text) => text.phone)).size).toBe(12);
    expect(
      new Set([...topic.sent, ...healthy.topic.sent].map((sent) => sent.attributes.subscriptionId)).size,
    ).toBe(12);
  });
});
