import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDeliveryMemory } from '../../functions/adapters/dynamodb-delivery-memory.ts';
import type { Recipient } from '../../functions/core/deliveries/control-ports.ts';
import { type LocalAws, startLocalAws } from './support.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

const ttl = { ttlSeconds: 600 };

describe('DynamoDbDeliveryMemory (against the local DynamoDB)', () => {
  it('remembers the newest version alerted per key; an older one changes nothing; expired reads as absent', async () => {
    let now = 1_000;
    const memory = new DynamoDbDeliveryMemory(aws.documents, aws.resources.tables.ledger, () => now);
    await memory.rememberAlerted([{ key: 'sub#email#s1', version: 2, fingerprint: 'm1.9.x' }], ttl);
    await memory.rememberAlerted([{ key: 'sub#email#s1', version: 1 }], ttl);
    await memory.rememberAlerted([{ key: 'sub#sms#s1', version: 3 }], ttl);
    const found = await memory.alertedAmong(['sub#email#s1', 'sub#sms#s1', 'sub#email#none']);
    expect(Object.fromEntries(found)).toEqual({
      'sub#email#s1': { version: 2, fingerprint: 'm1.9.x' },
      'sub#sms#s1': { version: 3, fingerprint: undefined },
    });
    now += 601;
    expect((await memory.alertedAmong(['sub#email#s1'])).size).toBe(0);
    await memory.rememberAlerted([{ key: 'sub#email#s1', version: 1 }], ttl);
    expect((await memory.alertedAmong(['sub#email#s1'])).get('sub#email#s1')?.version).toBe(1);
  });

  it('adds recipients across messages and shards, each once, and reads them in one go', async () => {
    const memory = new DynamoDbDeliveryMemory(aws.documents, aws.resources.tables.ledger);
    const recipients: Recipient[] = Array.from({ length: 40 }, (_, n) => ({
      subscriptionId: `sub-${n}`,
      subscriptionName: `Alert "${n}"`,
      channel: n % 3 === 0 ? 'sns' : n % 3 === 1 ? 'sms' : 'email',
      destination:
        n % 3 === 0 ? undefined : n % 3 === 1 ? `+1415555${String(n).padStart(4, '0')}` : `r${n}@example.com`,
    }));
    // One call per message, as the notifier makes them; the last one repeats a message (a retry).
    for (let start = 0; start < 40; start += 5) {
      await memory.addRecipients('story-9', 'Harbour strike', recipients.slice(start, start + 5), ttl);
    }
    await memory.addRecipients('story-9', 'KILL', recipients.slice(35), ttl);
    const { headline, recipients: read } = await memory.recipientsOf('story-9');
    expect(headline).toBe('Harbour strike');
    expect(read).toHaveLength(40);
    expect(new Set(read.map((recipient) => recipient.subscriptionId)).size).toBe(40);
    expect(read).toEqual(expect.arrayContaining(recipients));
    expect((await memory.recipientsOf('never-sent')).recipients).toEqual([]);
  });

  it('keeps the first group recorded for a story, and the bands of the first story of a group', async () => {
    const memory = new DynamoDbDeliveryMemory(aws.documents, aws.resources.tables.ledger);
    expect(await memory.groupOf('dpa-1')).toBeUndefined();
    expect(await memory.setGroup('dpa-1', 'ap-1', ttl)).toBe('ap-1');
    expect(await memory.setGroup('dpa-1', 'dpa-1', ttl)).toBe('ap-1');
    expect(await memory.groupOf('dpa-1')).toBe('ap-1');
    await memory.claimBands(['b0:1', 'b1:2'], { storyId: 'ap-1', fingerprint: 'm1.1.x' }, ttl);
    const owners = await memory.bandOwners(['b0:1', 'b1:2', 'b2:3']);
    expect(Object.fromEntries(owners)).toEqual({
      'b0:1': { storyId: 'ap-1', fingerprint: 'm1.1.x' },
      'b1:2': { storyId: 'ap-1', fingerprint: 'm1.1.x' },
    });
  });
});
