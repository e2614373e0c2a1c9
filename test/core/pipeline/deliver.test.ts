import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryKey } from '../../../functions/core/alerts/delivery.ts';
import {
  DEFAULT_CLAIM_LEASE_SECONDS,
  DeliveryInFlightError,
  deliver,
} from '../../../functions/core/pipeline/deliver.ts';
import { DestinationRejectedError } from '../../../functions/core/pipeline/ports.ts';
import { PermanentSendError, TransientSendError } from '../../../functions/core/ports.ts';
import { aDeliveryJob, SECRET } from '../alerts/factories.ts';
import { MemoryClaims, MemorySuppressions, RecordingEmail, RecordingSms, RecordingTopic } from './fakes.ts';

const settings = {
  publicBaseUrl: 'https://alerts.example.com',
  signingSecret: SECRET,
  allowedSmsCountries: ['+1', '+44'],
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
    await claims.claim(deliveryKey(job), { ttlSeconds: 100, leaseSeconds: 60 });
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
    const uk = aDeliveryJob({ channel: 'sms', destination: '+447700900123' });
    expect(await deliver(uk, ports, settings)).toEqual({ status: 'sent' });
    expect(sms.sent.map((m) => m.phone)).toEqual(['+447700900123']);
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
    suppressions.isSuppressed = async () => {
      throw new Error('network down');
    };
    await expect(deliver(job, ports, settings)).rejects.toThrow('network down');
    expect(claims.items.has(deliveryKey(job))).toBe(false);
  });
});
