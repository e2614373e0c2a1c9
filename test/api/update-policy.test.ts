import { describe, expect, it } from 'vitest';
import { fromItem, toItem } from '../../functions/adapters/subscription-item.ts';
import { apiHarness } from './support/harness.ts';

const valid = { name: 'Ports', query: 'harbour strike', channels: { email: 'ana@example.com' } };

describe('the update policy of a subscription', () => {
  it('defaults to first, is set on create and changed alone by PATCH', async () => {
    const { call, repository } = apiHarness();
    const plain = (await call('POST', '/subscriptions', { user: 'u1', body: valid })).json.subscription;
    expect(plain.updates).toBe('first');
    const created = await call('POST', '/subscriptions', {
      user: 'u1',
      body: { ...valid, updates: 'substantive' },
    });
    expect(created.status).toBe(201);
    const { id } = created.json.subscription;
    expect(created.json.subscription.updates).toBe('substantive');
    expect(repository.items.get(id)?.updates).toBe('substantive');
    const changed = await call('PATCH', `/subscriptions/${id}`, {
      user: 'u1',
      body: { updates: 'corrections' },
    });
    expect(changed.json.subscription).toMatchObject({ updates: 'corrections', query: 'harbour strike' });
    const renamed = await call('PATCH', `/subscriptions/${id}`, { user: 'u1', body: { name: 'Harbours' } });
    expect(renamed.json.subscription.updates).toBe('corrections');
  });

  it.each([['every'], [''], [true], [['first']]])('refuses %j with the choices', async (updates) => {
    const { call, repository } = apiHarness();
    const response = await call('POST', '/subscriptions', { user: 'u1', body: { ...valid, updates } });
    expect(response.status).toBe(400);
    expect(response.json.error.field).toBe('updates');
    expect(response.json.error.message).toContain("use 'first'");
    expect(response.json.error.message).toContain("'substantive'");
    expect(repository.items.size).toBe(0);
  });

  it('is stored only when not the default, and an unknown stored value reads as first', () => {
    const base = {
      id: 's',
      owner: 'u',
      name: 'n',
      query: 'q',
      channels: [],
      status: 'active' as const,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    expect(toItem({ ...base, updates: 'first' })).not.toHaveProperty('updates');
    expect(fromItem({ ...toItem({ ...base, updates: 'corrections' }) })?.updates).toBe('corrections');
    expect(fromItem({ ...base, updates: 'sometimes' })).not.toHaveProperty('updates');
  });
});
