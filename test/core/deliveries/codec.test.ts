import { describe, expect, it } from 'vitest';
import {
  DELIVERY_MESSAGE_VERSION,
  decodeDeliveryMessage,
  encodeDeliveryMessages,
  MAX_DELIVERIES_PER_MESSAGE,
  MAX_MESSAGE_BYTES,
} from '../../../functions/core/deliveries/codec.ts';
import { InvalidDeliveryMessageError } from '../../../functions/core/deliveries/errors.ts';
import { deliveryCount, jobsOf } from '../../../functions/core/deliveries/types.ts';
import { aDeliveryJob, storyAlerts } from '../alerts/factories.ts';

describe('decodeDeliveryMessage: a bare job', () => {
  it('reads back what the matcher writes', () => {
    const job = aDeliveryJob();
    expect(jobsOf(decodeDeliveryMessage(JSON.stringify(job)))).toEqual([job]);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no story', JSON.stringify({ ...aDeliveryJob(), story: null }), /"story" must be an object/],
    ['bad channel', JSON.stringify({ ...aDeliveryJob(), channel: 'fax' }), /"channel" must be one of/],
    [
      'no destination',
      JSON.stringify({ ...aDeliveryJob(), destination: undefined }),
      /"destination" is required/,
    ],
    [
      'bad highlights',
      JSON.stringify({ ...aDeliveryJob(), snippet: { text: 'x', highlights: [[1]] } }),
      /highlights/,
    ],
  ])('refuses %s with a clear error', (_name, body, message) => {
    expect(() => decodeDeliveryMessage(body)).toThrow(InvalidDeliveryMessageError);
    expect(() => decodeDeliveryMessage(body)).toThrow(message);
  });
});

/** A message as the matcher writes it, with one part replaced. */
function message(change: { story?: unknown; matches?: unknown; channels?: unknown[] }): string {
  const written = JSON.parse(encodeDeliveryMessages(storyAlerts([aDeliveryJob()]))[0] ?? '{}');
  if ('story' in change) written.story = change.story;
  if ('channels' in change) written.matches[0].deliveries = change.channels;
  if ('matches' in change) written.matches = change.matches;
  return JSON.stringify(written);
}

describe('deliveries-queue messages', () => {
  const jobs = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, id: `sub-${i}` } }),
    );

  it('carry up to 50 jobs each, in order, and read back as they were written', () => {
    const written = jobs(120);
    const bodies = encodeDeliveryMessages(storyAlerts(written));
    expect(bodies).toHaveLength(3);
    const read = bodies.map((body) => jobsOf(decodeDeliveryMessage(body)));
    expect(read.map((message) => message.length)).toEqual([
      MAX_DELIVERIES_PER_MESSAGE,
      MAX_DELIVERIES_PER_MESSAGE,
      20,
    ]);
    expect(read.flat()).toEqual(written);
    expect(encodeDeliveryMessages({ story: aDeliveryJob().story, matches: [] })).toEqual([]);
  });

  it('stay within MAX_MESSAGE_BYTES, a job too large for that going alone', () => {
    const large = (i: number) =>
      aDeliveryJob({
        subscription: { ...aDeliveryJob().subscription, id: `big-${i}` },
        snippet: { text: 'é'.repeat(20_000), highlights: [] },
      });
    const bodies = encodeDeliveryMessages(
      storyAlerts([...Array.from({ length: 5 }, (_, i) => large(i)), ...jobs(2)]),
    );
    for (const body of bodies) {
      const count = deliveryCount(decodeDeliveryMessage(body));
      if (count > 1) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    }
    expect(
      bodies.flatMap((body) => jobsOf(decodeDeliveryMessage(body))).map((job) => job.subscription.id),
    ).toEqual(['big-0', 'big-1', 'big-2', 'big-3', 'big-4', 'sub-0', 'sub-1']);
    expect(bodies.length).toBeGreaterThan(1);
  });

  it('write a story once, and a match once for all its channels; another story starts another message', () => {
    const email = aDeliveryJob();
    const sns = { ...email, channel: 'sns' as const, destination: undefined };
    const other = aDeliveryJob({ story: { ...email.story, id: 'story-43' } });
    const bodies = [
      ...encodeDeliveryMessages(storyAlerts([email, sns])),
      ...encodeDeliveryMessages(storyAlerts([other])),
    ];
    expect(bodies).toHaveLength(2);
    const first = JSON.parse(bodies[0] ?? '{}');
    expect(first.version).toBe(DELIVERY_MESSAGE_VERSION);
    expect(first.story.id).toBe(email.story.id);
    expect(first.matches).toHaveLength(1);
    expect(first.matches[0].deliveries).toEqual([
      { channel: 'email', destination: 'reader@example.com' },
      { channel: 'sns' },
    ]);
    expect(bodies.flatMap((body) => jobsOf(decodeDeliveryMessage(body)))).toEqual([email, sns, other]);
  });

  it('carry the byline, dateline, urgency and matched fields under the same version, and read messages without them', () => {
    const job = aDeliveryJob({
      story: { ...aDeliveryJob().story, byline: 'Ana Lima', dateline: 'MEXICO CITY', urgency: 1 },
      matchedFields: ['headline', 'body'],
    });
    const [body = ''] = encodeDeliveryMessages(storyAlerts([job]));
    expect(JSON.parse(body).version).toBe(DELIVERY_MESSAGE_VERSION);
    const [read] = jobsOf(decodeDeliveryMessage(body));
    expect(read?.story).toMatchObject({ byline: 'Ana Lima', dateline: 'MEXICO CITY', urgency: 1 });
    expect(read?.matchedFields).toEqual(['headline', 'body']);
    const older = JSON.parse(body);
    delete older.story.byline;
    delete older.story.dateline;
    delete older.story.urgency;
    delete older.matches[0].matchedFields;
    const [plain] = jobsOf(decodeDeliveryMessage(JSON.stringify(older)));
    expect(plain?.story.byline).toBeUndefined();
    expect(plain?.story.urgency).toBeUndefined();
    expect(plain?.matchedFields).toBeUndefined();
  });

  it("carry the story's fingerprint and the update policy; an unknown policy reads as first", () => {
    const job = aDeliveryJob({
      story: { ...aDeliveryJob().story, fingerprint: 'm1.3.abc' },
      subscription: { ...aDeliveryJob().subscription, updates: 'corrections' },
    });
    const [body = ''] = encodeDeliveryMessages(storyAlerts([job]));
    const [read] = jobsOf(decodeDeliveryMessage(body));
    expect(read?.story.fingerprint).toBe('m1.3.abc');
    expect(read?.subscription.updates).toBe('corrections');
    const odd = JSON.parse(body);
    odd.matches[0].subscription.updates = 'always';
    odd.story.fingerprint = 'x'.repeat(1000);
    const [plain] = jobsOf(decodeDeliveryMessage(JSON.stringify(odd)));
    expect(plain?.subscription).not.toHaveProperty('updates');
    expect(plain?.story.fingerprint).toBeUndefined();
  });

  it('still read a bare job, as the matcher wrote before it grouped them', () => {
    const job = aDeliveryJob();
    expect(jobsOf(decodeDeliveryMessage(JSON.stringify(job)))).toEqual([job]);
  });

  it.each([
    ['no matches', message({ matches: [] }), /"matches" must be a non-empty list/],
    ['matches that are not a list', message({ matches: 'x' }), /"matches" must be a non-empty list/],
    ['no story', message({ story: null }), /"story" must be an object/],
    [
      'a bad channel among good ones',
      message({ channels: [{ channel: 'email', destination: 'a@example.com' }, { channel: 'fax' }] }),
      /"matches\[0\]\.deliveries\[1\]\.channel" must be one of/,
    ],
    [
      'an e-mail delivery without an address',
      message({ channels: [{ channel: 'email' }] }),
      /"matches\[0\]\.deliveries\[0\]\.destination" is required/,
    ],
    ['not an object', '[1, 2]', /"message" must be an object/],
    ['a version this notifier does not know', JSON.stringify({ version: 3 }), /"version" must be 2/],
  ])('refuse %s, naming the field', (_name, body, message) => {
    expect(() => decodeDeliveryMessage(body)).toThrow(InvalidDeliveryMessageError);
    expect(() => decodeDeliveryMessage(body)).toThrow(message);
  });
});

describe('delivery preferences in messages', () => {
  it('carries a subscription’s delivery preferences (input form) to the notifier, and leaves them out when absent', () => {
    const delivery = { timeZone: 'Europe/Berlin', email: 'daily 08:00', maxPerHour: 10, sendEmpty: false };
    const job = aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, delivery } });
    const [body] = encodeDeliveryMessages(storyAlerts([job]));
    expect(jobsOf(decodeDeliveryMessage(body!))[0]!.subscription.delivery).toEqual(delivery);
    const [plain] = encodeDeliveryMessages(storyAlerts([aDeliveryJob()]));
    expect(jobsOf(decodeDeliveryMessage(plain!))[0]!.subscription).not.toHaveProperty('delivery');
  });
});
