import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { isEmailAddress, readSettings, SettingsError } from '../../infra/settings.ts';
import { buildWirewatch } from '../../infra/wirewatch.ts';

const settingsFrom = (context: Record<string, unknown>) => readSettings(new App({ context }));

describe('readSettings', () => {
  it('uses the documented defaults when the context is empty', () => {
    // GIVEN an App without Wirewatch context
    // WHEN the settings are read
    const settings = settingsFrom({});
    // THEN every default holds
    expect(settings).toEqual({
      senderAddress: 'alerts@example.com',
      sesIdentity: 'example.com',
      sesConfigurationSet: undefined,
      allowedSmsCountries: ['+1'],
      opsEmail: undefined,
      publicBaseUrl: undefined,
      retainData: true,
      logRetentionDays: 30,
      matcherMemoryMb: 1024,
    });
  });

  it('parses the string forms that `cdk synth -c key=value` passes', () => {
    // GIVEN context given on the command line (all strings)
    const settings = settingsFrom({
      senderAddress: 'news@alerts.example.org',
      allowedSmsCountries: '+1, +44,+1',
      opsEmail: 'ops@example.org',
      publicBaseUrl: 'https://alerts.example.org/',
      retainData: 'false',
      logRetentionDays: '90',
      sesConfigurationSet: 'wirewatch-alerts',
      matcherMemoryMb: '3008',
    });
    // THEN they become typed values; the identity defaults to the sender's domain
    expect(settings.sesIdentity).toBe('alerts.example.org');
    expect(settings.allowedSmsCountries).toEqual(['+1', '+44']);
    expect(settings.publicBaseUrl).toBe('https://alerts.example.org');
    expect(settings.retainData).toBe(false);
    expect(settings.logRetentionDays).toBe(90);
    expect(settings.sesConfigurationSet).toBe('wirewatch-alerts');
    expect(settings.matcherMemoryMb).toBe(3008);
  });

  it('accepts JSON context (cdk.json) for lists and booleans', () => {
    const settings = settingsFrom({
      allowedSmsCountries: ['+33', '+49'],
      retainData: true,
      logRetentionDays: 365,
    });
    expect(settings.allowedSmsCountries).toEqual(['+33', '+49']);
    expect(settings.retainData).toBe(true);
    expect(settings.logRetentionDays).toBe(365);
  });

  it.each([
    ['senderAddress', 'not-an-address', /senderAddress.*not an e-mail address/],
    ['senderAddress', 'Alerts <alerts@example.com>', /senderAddress/],
    ['senderAddress', 'alerts@localhost', /senderAddress/],
    ['allowedSmsCountries', '44', /allowedSmsCountries.*"44" is not a country calling code/],
    ['allowedSmsCountries', '+1,+0', /"\+0"/],
    ['allowedSmsCountries', '+12345', /"\+12345"/],
    ['opsEmail', 'ops', /opsEmail/],
    ['publicBaseUrl', 'http://alerts.example.com', /publicBaseUrl.*plain https URL/],
    ['publicBaseUrl', 'alerts.example.com', /publicBaseUrl.*not a URL/],
    ['retainData', 'maybe', /retainData.*true or false/],
    ['logRetentionDays', '31', /logRetentionDays.*not a CloudWatch Logs retention period/],
    ['sesIdentity', 'other.example.net', /sesIdentity.*does not cover the sender/],
    ['sesConfigurationSet', 'has spaces', /sesConfigurationSet/],
    ['matcherMemoryMb', '256', /matcherMemoryMb.*not a memory size from 512 to 10240 MB/],
    ['matcherMemoryMb', '2048.5', /matcherMemoryMb/],
    ['matcherMemoryMb', 'lots', /matcherMemoryMb/],
  ])('rejects %s=%j with a SettingsError naming the key', (key, value, message) => {
    // GIVEN one bad context value
    // WHEN the settings are read
    // THEN a SettingsError says which key and why
    expect(() => settingsFrom({ [key]: value })).toThrow(SettingsError);
    expect(() => settingsFrom({ [key]: value })).toThrow(message);
  });

  it('fails the whole app build on a bad value, before any stack exists', () => {
    // GIVEN an App whose sender address is invalid
    const app = new App({ context: { senderAddress: 'nobody', 'aws:cdk:bundling-stacks': [] } });
    // WHEN Wirewatch is built into it THEN it throws and adds no stack
    expect(() => buildWirewatch(app)).toThrow(/Invalid CDK context "senderAddress"/);
    expect(app.node.children).toHaveLength(0);
  });

  it('accepts an explicit identity equal to the sender address', () => {
    const settings = settingsFrom({ senderAddress: 'me@example.com', sesIdentity: 'me@example.com' });
    expect(settings.sesIdentity).toBe('me@example.com');
  });
});

describe('isEmailAddress', () => {
  it.each(['a@example.com', 'first.last+tag@mail.example.co.uk'])('accepts %s', (address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each([
    '',
    '@example.com',
    'a@@example.com',
    'a@example',
    'a@-example.com',
    'a b@example.com',
    'a@example.com\r\nBcc: x@example.com',
  ])('rejects %j', (address) => {
    expect(isEmailAddress(address)).toBe(false);
  });

  it('answers quickly for a long hostile input (no backtracking)', () => {
    const hostile = `${'a'.repeat(50_000)}@${'a.'.repeat(50_000)}`;
    const started = performance.now();
    expect(isEmailAddress(hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
