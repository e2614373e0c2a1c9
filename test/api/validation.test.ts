import { describe, expect, it } from 'vitest';
import { checkEmail, checkPhone } from '../../functions/core/subscriptions/input.ts';
import { parseSmsCountries } from '../../functions/core/subscriptions/phone.ts';
import { apiHarness } from './support/harness.ts';

const valid = { name: 'Lisbon', query: 'ministers lisbon', channels: { email: 'ana@example.com' } };

async function create(body: unknown) {
  const { call, repository, email } = apiHarness();
  const response = await call('POST', '/subscriptions', { user: 'u1', body });
  expect(repository.items.size, 'nothing is stored for a bad request').toBe(response.status === 201 ? 1 : 0);
  expect(email.sent.length).toBe(response.status === 201 ? 1 : 0);
  return response;
}

describe('invalid input answers 400 with what to fix', () => {
  it.each([
    ['missing name', { query: 'x', channels: { sns: true } }, 'name', 'Missing name'],
    ['empty name', { ...valid, name: '   ' }, 'name', 'The name is empty'],
    [
      'too long name',
      { ...valid, name: 'n'.repeat(101) },
      'name',
      'too long (101 characters): use at most 100',
    ],
    [
      'CR/LF in name',
      { ...valid, name: 'Hi\r\nBcc: victim@example.com' },
      'name',
      'must not contain line breaks',
    ],
    ['control character in name', { ...valid, name: 'a\u0007b' }, 'name', 'control characters'],
    ['name not a string', { ...valid, name: 42 }, 'name', 'must be a string'],
    ['empty query', { ...valid, query: ' ' }, 'query', 'The query is empty'],
    ['missing channels', { name: 'x', query: 'y' }, 'channels', 'Missing channels'],
    ['no channel', { ...valid, channels: {} }, 'channels', 'No channel given'],
    ['channels as array', { ...valid, channels: ['a@b.c'] }, 'channels', 'channels must be an object'],
    ['unknown field', { ...valid, owner: 'root' }, 'owner', "Unknown field 'owner'"],
    [
      'unknown channel',
      { ...valid, channels: { fax: '+1' } },
      'channels.fax',
      "Unknown field 'channels.fax'",
    ],
    ['sns not boolean', { ...valid, channels: { sns: 'yes' } }, 'channels.sns', 'true or false'],
    [
      'unknown time zone',
      { ...valid, delivery: { timeZone: 'Europe/Atlantis' } },
      'delivery.timeZone',
      'Unknown time zone "Europe/Atlantis": use an IANA name',
    ],
    [
      'a time like 25:00',
      { ...valid, delivery: { email: 'daily 25:00' } },
      'delivery.email',
      '"25:00" is not a time of day: use HH:MM',
    ],
    [
      'quiet hours ending at 24:30',
      { ...valid, delivery: { quietHours: { start: '22:00', end: '24:30' } } },
      'delivery.quietHours.end',
      'is not a time of day',
    ],
    ['throttle of 0', { ...valid, delivery: { maxPerHour: 0 } }, 'delivery.maxPerHour', 'from 1 to 1000'],
    [
      'bad address',
      { ...valid, channels: { email: 'ana.example.com' } },
      'channels.email',
      'is not an e-mail address',
    ],
    [
      'two @',
      { ...valid, channels: { email: 'a@b@example.com' } },
      'channels.email',
      'is not an e-mail address',
    ],
    [
      'space in address',
      { ...valid, channels: { email: 'ana maria@example.com' } },
      'channels.email',
      'not allowed',
    ],
    ['double dot', { ...valid, channels: { email: 'ana..m@example.com' } }, 'channels.email', 'not allowed'],
    [
      'no TLD',
      { ...valid, channels: { email: 'ana@localhost' } },
      'channels.email',
      'not a valid mail domain',
    ],
    [
      'IP literal',
      { ...valid, channels: { email: 'ana@[127.0.0.1]' } },
      'channels.email',
      'not a valid mail domain',
    ],
    [
      'CR/LF in address',
      { ...valid, channels: { email: 'ana@example.com\r\nBcc: x@y.z' } },
      'channels.email',
      'line breaks',
    ],
    [
      'too long address',
      { ...valid, channels: { email: `${'a'.repeat(60)}@${'b'.repeat(200)}.com` } },
      'channels.email',
      'too long',
    ],
    [
      'too long local part',
      { ...valid, channels: { email: `${'a'.repeat(65)}@example.com` } },
      'channels.email',
      'before @ is too long',
    ],
    [
      'bad number',
      { ...valid, channels: { phone: '555-0123' } },
      'channels.phone',
      'not a phone number in E.164 form',
    ],
    ['number with spaces', { ...valid, channels: { phone: '+1 415 555 0123' } }, 'channels.phone', 'E.164'],
    ['too short number', { ...valid, channels: { phone: '+1415555' } }, 'channels.phone', 'E.164'],
    ['too long number', { ...valid, channels: { phone: '+1415555012345678' } }, 'channels.phone', 'E.164'],
    [
      'disallowed country',
      { ...valid, channels: { phone: '+33612345678' } },
      'channels.phone',
      'SMS to France (FR) is not allowed here (allowed countries: US, CA, GB)',
    ],
    [
      'premium-rate number',
      { ...valid, channels: { phone: '+19005551234' } },
      'channels.phone',
      "'+19005551234' cannot receive alerts: a premium-rate number: alerts go by SMS only to mobile numbers.",
    ],
    [
      'Caribbean +1 number when only the US and Canada are named',
      { ...valid, channels: { phone: '+18762101234' } },
      'channels.phone',
      'SMS to Jamaica (JM) is not allowed here',
    ],
  ])('%s', async (_label, body, field, message) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('invalid-input');
    expect(response.json.error.field).toBe(field);
    expect(response.json.error.message).toContain(message);
    expect(response.text).not.toMatch(/\n\s+at /);
  });

  it('reports a query error with its message and position', async () => {
    const response = await create({ ...valid, query: 'ministers "lisbon' });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: 'invalid-input',
      field: 'query',
      message: 'Unclosed quote at position 10: add a closing "',
      position: 10,
    });
  });

  it('refuses a query over the outer size limit before parsing it', async () => {
    const response = await create({ ...valid, query: 'a '.repeat(10_001) });
    expect(response.json.error).toMatchObject({ field: 'query', position: 20_000 });
    expect(response.json.error.message).toContain('too long');
  });

  it('validates PATCH bodies the same way', async () => {
    const { call } = apiHarness();
    const { id } = (await call('POST', '/subscriptions', { user: 'u1', body: valid })).json.subscription;
    const empty = await call('PATCH', `/subscriptions/${id}`, { user: 'u1', body: {} });
    expect(empty.json.error.message).toContain('Nothing to change');
    const bad = await call('PATCH', `/subscriptions/${id}`, { user: 'u1', body: { name: 'a\nb' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('name');
  });
});

describe('field checks', () => {
  it('accepts ordinary addresses and lower-cases only the domain', () => {
    expect(checkEmail('Ana.Maria+news@Example.COM')).toBe('Ana.Maria+news@example.com');
    expect(checkEmail("o'brien@mail.example.co.uk")).toBe("o'brien@mail.example.co.uk");
    expect(checkEmail('a@xn--bcher-kva.example')).toBe('a@xn--bcher-kva.example');
  });

  it('accepts E.164 numbers of allowed countries only', () => {
    expect(checkPhone('+14155550123', ['US'])).toBe('+14155550123');
    expect(checkPhone('+447400123456', ['US', 'GB'])).toBe('+447400123456');
    expect(() => checkPhone('+447400123456', [])).toThrow('SMS is not enabled here');
  });

  it('reads the allowed-countries setting and rejects a bad entry clearly', () => {
    expect(parseSmsCountries(' US, ca,GB ')).toEqual(['US', 'CA', 'GB']);
    expect(parseSmsCountries(['GB', 'GB'])).toEqual(['GB']);
    // One default everywhere: the CDK's, the US and Canada.
    expect(parseSmsCountries(undefined)).toEqual(['US', 'CA']);
    expect(() => parseSmsCountries('US,44')).toThrow('"44" is not a country: use ISO 3166 country codes');
    expect(() => parseSmsCountries('US,XX')).toThrow('"XX" is not a country');
  });

  // Shapes that make a backtracking pattern take exponential time: a checker that backtracked would not finish
  // within the test's timeout (the checks are hand-written scans, no regular expression over the address).
  it('refuses hostile addresses (no backtracking)', () => {
    expect(() => checkEmail(`${'a.'.repeat(30)}@${'a-'.repeat(100)}`)).toThrow();
    expect(() => checkEmail(`${'!'.repeat(64)}@${'a'.repeat(63)}.${'-'.repeat(120)}`)).toThrow();
  });
});

describe('delivery preferences through the API', () => {
  it('stores them on create, shows the preferences in force, changes and resets them with PATCH', async () => {
    const { call } = apiHarness();
    const plain = await call('POST', '/subscriptions', { user: 'u1', body: valid });
    expect(plain.json.subscription.delivery).toEqual({
      timeZone: 'UTC',
      email: 'immediate',
      maxPerHour: 10,
      sendEmpty: false,
    });
    const created = await call('POST', '/subscriptions', {
      user: 'u1',
      body: { ...valid, delivery: { timeZone: 'America/New_York', email: 'weekly fri 17:00', dailyCap: 30 } },
    });
    expect(created.status).toBe(201);
    const id = created.json.subscription.id as string;
    expect(created.json.subscription.delivery).toMatchObject({ email: 'weekly friday 17:00', dailyCap: 30 });
    const changed = await call('PATCH', `/subscriptions/${id}`, {
      user: 'u1',
      body: { delivery: { timeZone: 'Europe/Berlin', quietHours: { start: '22:00', end: '07:00' } } },
    });
    expect(changed.json.subscription.delivery).toEqual({
      timeZone: 'Europe/Berlin',
      email: 'immediate',
      maxPerHour: 10,
      sendEmpty: false,
      quietHours: { start: '22:00', end: '07:00', channels: ['email', 'sms'], urgentBypass: true },
    });
    const read = await call('GET', `/subscriptions/${id}`, { user: 'u1' });
    expect(read.json.subscription.delivery).toEqual(changed.json.subscription.delivery);
    const reset = await call('PATCH', `/subscriptions/${id}`, { user: 'u1', body: { delivery: null } });
    expect(reset.json.subscription.delivery).toEqual(plain.json.subscription.delivery);
  });
});
