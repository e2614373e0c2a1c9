import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCadenceSwitch } from '../../functions/adapters/dynamodb-cadence-switch.ts';
import { DynamoSubscriptionRepository } from '../../functions/adapters/subscription-repository.ts';
import { parseDeliveryPreferences } from '../../functions/core/subscriptions/preferences.ts';
import { aSubscription } from '../core/alerts/factories.ts';
import { type LocalAws, startLocalAws } from './support.ts';

let aws: LocalAws;
let store: DynamoSubscriptionRepository;
let cadence: DynamoDbCadenceSwitch;
beforeAll(async () => {
  aws = await startLocalAws();
  store = new DynamoSubscriptionRepository(aws.documents, aws.resources.tables.subscriptions);
  cadence = new DynamoDbCadenceSwitch(aws.documents, aws.resources.tables.subscriptions);
}, 30_000);
afterAll(async () => aws?.stop());

const DAILY = { kind: 'daily', at: 8 * 60 } as const;
const NOW = Date.parse('2026-07-01T12:00:00Z');

describe('DynamoDbCadenceSwitch (the subscriptions table on the stand-in)', () => {
  it('GIVEN an immediate subscription WHEN switched THEN its e-mail is a daily digest and the rest is as it was', async () => {
    const delivery = parseDeliveryPreferences({ timeZone: 'Europe/Berlin', dailyCap: 50, maxPerHour: 7 });
    const before = aSubscription({ id: 'sw-immediate', delivery, updates: 'substantive' });
    await store.create(before);

    expect(await cadence.switchToDaily('sw-immediate', DAILY, NOW)).toBe('switched');

    expect(await store.get('sw-immediate')).toEqual({
      ...before,
      delivery: { ...delivery, email: DAILY },
      updatedAt: '2026-07-01T12:00:00.000Z',
    });
    // A retry (a crash after the switch) finds it made.
    expect(await cadence.switchToDaily('sw-immediate', DAILY, NOW + 1000)).toBe('switched');
  });

  it('GIVEN a digest cadence, no stored preferences or no subscription WHEN switched THEN nothing changes', async () => {
    const weekly = aSubscription({
      id: 'sw-weekly',
      delivery: parseDeliveryPreferences({ email: 'weekly monday 09:00' }),
    });
    const legacy = aSubscription({ id: 'sw-legacy' });
    await store.create(weekly);
    await store.create(legacy);

    expect(await cadence.switchToDaily('sw-weekly', DAILY, NOW)).toBe('unchanged');
    expect(await cadence.switchToDaily('sw-legacy', DAILY, NOW)).toBe('unchanged');
    expect(await cadence.switchToDaily('sw-missing', DAILY, NOW)).toBe('unchanged');

    expect(await store.get('sw-weekly')).toEqual(weekly);
    expect(await store.get('sw-legacy')).toEqual(legacy);
    expect(await store.get('sw-missing')).toBeUndefined();
  });

  it('GIVEN an edit read before the switch WHEN it is saved after THEN it fails its condition (made again on the new state)', async () => {
    const before = aSubscription({ id: 'sw-race', delivery: parseDeliveryPreferences({ dailyCap: 3 }) });
    await store.create(before);
    await cadence.switchToDaily('sw-race', DAILY, NOW);

    expect(await store.replace({ ...before, name: 'Renamed' }, before.updatedAt)).toBe(false);
  });
});
