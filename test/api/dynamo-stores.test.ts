import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfirmationLedger } from '../../functions/adapters/subscription-ledger.ts';
import { DynamoSubscriptionRepository } from '../../functions/adapters/subscription-repository.ts';
import type { Subscription } from '../../functions/core/subscriptions/subscription.ts';
import { provisionResources } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';

let standins: Standins;
let client: DynamoDBDocumentClient;
let repository: DynamoSubscriptionRepository;
let ledger: DynamoConfirmationLedger;
let tables: { subscriptions: string; ledger: string };

beforeAll(async () => {
  standins = await startStandins();
  ({ tables } = await provisionResources(standins));
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: standins.region,
      credentials: standins.credentials,
      endpoint: standins.endpoints.dynamodb,
    }),
  );
  repository = new DynamoSubscriptionRepository(client, tables.subscriptions);
  ledger = new DynamoConfirmationLedger(client, tables.ledger);
});

afterAll(async () => {
  client?.destroy();
  await standins?.stop();
});

function aSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: `id-${Math.random().toString(36).slice(2)}`,
    owner: 'owner-1',
    name: 'Lisbon',
    query: 'ministers',
    channels: [
      { type: 'email', address: 'ana@example.com', confirmed: false },
      { type: 'sms', phone: '+14155550123', confirmed: true },
      { type: 'sns', confirmed: true },
    ],
    status: 'active',
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

describe('DynamoSubscriptionRepository (dynalite)', () => {
  it('round-trips a subscription and lists by owner, oldest first', async () => {
    const older = aSubscription({ owner: 'lister', createdAt: '2026-01-01T00:00:00.000Z' });
    const newer = aSubscription({ owner: 'lister', createdAt: '2026-02-01T00:00:00.000Z' });
    await repository.create(newer);
    await repository.create(older);
    await repository.create(aSubscription({ owner: 'someone-else' }));
    expect(await repository.get(older.id)).toEqual(older);
    expect((await repository.listByOwner('lister')).map((s) => s.id)).toEqual([older.id, newer.id]);
    expect(await repository.listByOwner('nobody')).toEqual([]);
    expect(await repository.get('missing')).toBeUndefined();
  });

  it('never overwrites on create', async () => {
    const subscription = aSubscription();
    await repository.create(subscription);
    await expect(repository.create({ ...subscription, name: 'other' })).rejects.toThrow();
    expect((await repository.get(subscription.id))?.name).toBe('Lisbon');
  });

  it('replaces only the version that was read', async () => {
    const subscription = aSubscription();
    await repository.create(subscription);
    const next = { ...subscription, name: 'Porto', updatedAt: '2026-03-02T00:00:00.000Z' };
    expect(await repository.replace(next, subscription.updatedAt)).toBe(true);
    const stale = { ...subscription, name: 'Faro', updatedAt: '2026-03-03T00:00:00.000Z' };
    expect(await repository.replace(stale, subscription.updatedAt)).toBe(false);
    expect((await repository.get(subscription.id))?.name).toBe('Porto');
    expect(await repository.replace({ ...next, id: 'gone' }, next.updatedAt)).toBe(false);
  });

  it('deletes, and finds subscriptions by SMS number', async () => {
    const phone = '+447400123555';
    const a = aSubscription({ channels: [{ type: 'sms', phone, confirmed: false }] });
    const b = aSubscription({
      channels: [
        { type: 'sms', phone, confirmed: true },
        { type: 'sns', confirmed: true },
      ],
    });
    await repository.create(a);
    await repository.create(b);
    expect((await repository.findByPhone(phone)).map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    await repository.delete(a.id);
    expect((await repository.findByPhone(phone)).map((s) => s.id)).toEqual([b.id]);
  });

  it('skips a corrupt item instead of failing the list', async () => {
    await client.send(
      new PutCommand({
        TableName: tables.subscriptions,
        Item: { id: 'corrupt', owner: 'lister-2', createdAt: 'x' },
      }),
    );
    const good = aSubscription({ owner: 'lister-2' });
    await repository.create(good);
    expect((await repository.listByOwner('lister-2')).map((s) => s.id)).toEqual([good.id]);
  });
});

describe('DynamoConfirmationLedger (dynalite)', () => {
  it('stores a pending code, counts attempts atomically and deletes it', async () => {
    await ledger.putSmsCode({
      subscriptionId: 's1',
      phone: '+14155550123',
      codeHash: 'h',
      attempts: 0,
      expiresAt: 100,
    });
    expect(await ledger.getSmsCode('s1')).toEqual({
      subscriptionId: 's1',
      phone: '+14155550123',
      codeHash: 'h',
      attempts: 0,
      expiresAt: 100,
    });
    const attempts = await Promise.all([1, 2, 3].map(() => ledger.addSmsCodeAttempt('s1')));
    expect(attempts.sort()).toEqual([1, 2, 3]);
    await ledger.deleteSmsCode('s1');
    expect(await ledger.getSmsCode('s1')).toBeUndefined();
    expect(await ledger.addSmsCodeAttempt('s1')).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts up to the limit per window, also under concurrent calls', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => ledger.consume('k', 5, 3600, 7200)));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await ledger.consume('k', 5, 3600, 7200 + 3599)).toBe(false);
    expect(await ledger.consume('k', 5, 3600, 7200 + 3600)).toBe(true);
    expect(await ledger.consume('other', 5, 3600, 7200)).toBe(true);
  });

  it('suppresses and lifts a destination', async () => {
    expect(await ledger.isSuppressed('+14155550999')).toBe(false);
    await ledger.suppress('+14155550999', 'sms reply STOP', 1_700_000_000);
    expect(await ledger.isSuppressed('+14155550999')).toBe(true);
    await ledger.unsuppress('+14155550999');
    expect(await ledger.isSuppressed('+14155550999')).toBe(false);
  });
});
