import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { isEmailAddress, readSettings, SettingsError } from '../../infra/settings.ts';
import { buildWirewatch } from '../../infra/wirewatch.ts';

/** Settings from this context, with the test-only flag that allows the placeholder sender unless given. */
const settingsFrom = (context: Record<string, unknown>) =>
  readSettings(new App({ context: { allowPlaceholderSender: true, ...context } }));

describe('readSettings', () => {
  it('uses the documented defaults when the context is empty', () => {
    // GIVEN an App without Wirewatch context
    // WHEN the settings are read
    const settings = settingsFrom({});
    // THEN every default holds
    expect(settings).toEqual({
      senderAddress: 'alerts@example.com',
      senderDisplayName: undefined,
      senderFrom: 'alerts@example.com',
      sesIdentity: 'example.com',
      sesSandbox: false,
      allowedSmsCountries: ['US', 'CA'],
      smsOriginationIdentity: undefined,
      opsEmail: undefined,
      publicBaseUrl: undefined,
      signUp: 'invite',
      userPoolTier: 'essentials',
      signInDomainPrefix: undefined,
      retainData: true,
      logRetentionDays: 30,
      matcherMemoryMb: 1024,
    });
  });

  it('parses the string forms that `cdk synth -c key=value` passes', () => {
    // GIVEN context given on the command line (all strings)
    const settings = settingsFrom({
      senderAddress: 'news@alerts.example.org',
      allowedSmsCountries: 'US, gb,US',
      opsEmail: 'ops@example.org',
      publicBaseUrl: 'https://alerts.example.org/',
      retainData: 'false',
      logRetentionDays: '90',
      matcherMemoryMb: '3008',
      sesSandbox: 'true',
      signUp: 'open',
      userPoolTier: 'plus',
      signInDomainPrefix: 'acme-alerts',
      smsOriginationIdentity: '+18885550123',
    });
    // THEN they become typed values; the identity defaults to the sender's domain
    expect(settings.sesIdentity).toBe('alerts.example.org');
    expect(settings.allowedSmsCountries).toEqual(['US', 'GB']);
    expect(settings.publicBaseUrl).toBe('https://alerts.example.org');
    expect(settings.retainData).toBe(false);
    expect(settings.logRetentionDays).toBe(90);
    expect(settings.matcherMemoryMb).toBe(3008);
    expect(settings.sesSandbox).toBe(true);
    expect(settings.signUp).toBe('open');
    expect(settings.userPoolTier).toBe('plus');
    expect(settings.signInDomainPrefix).toBe('acme-alerts');
    expect(settings.smsOriginationIdentity).toBe('+18885550123');
  });

  it('accepts JSON context (cdk.json) for lists and booleans', () => {
    const settings = settingsFrom({
      // The older calling-code form: a code only one country uses stands for that country.
      allowedSmsCountries: ['+33', 'DE'],
      retainData: true,
      logRetentionDays: 365,
    });
    expect(settings.allowedSmsCountries).toEqual(['FR', 'DE']);
    expect(settings.retainData).toBe(true);
    expect(settings.logRetentionDays).toBe(365);
  });

  it.each([
    ['senderAddress', 'not-an-address', /senderAddress.*not an e-mail address/],
    ['senderAddress', 'Alerts <alerts@example.com', /senderAddress.*does not end in <address>/],
    ['senderAddress', 'Say "hi" <alerts@example.com>', /senderAddress.*display name/],
    ['senderAddress', 'alerts@localhost', /senderAddress/],
    [
      'allowedSmsCountries',
      '44',
      /allowedSmsCountries.*"44" is not a country.*e\.g\. -c allowedSmsCountries=US,CA,GB/,
    ],
    ['allowedSmsCountries', 'US,+0', /"\+0"/],
    ['allowedSmsCountries', '+12345', /"\+12345"/],
    // +1 is the US, Canada and the Caribbean: the operator names the countries meant.
    [
      'allowedSmsCountries',
      '+1',
      /"\+1" is a calling code shared by AG, .*CA.*JM.*US.*allowedSmsCountries=US,CA,GB/,
    ],
    ['opsEmail', 'ops', /opsEmail/],
    ['publicBaseUrl', 'http://alerts.example.com', /publicBaseUrl.*plain https URL/],
    ['publicBaseUrl', 'alerts.example.com', /publicBaseUrl.*not a URL/],
    ['retainData', 'maybe', /retainData.*true or false/],
    ['logRetentionDays', '31', /logRetentionDays.*not a CloudWatch Logs retention period/],
    ['sesIdentity', 'other.example.net', /sesIdentity.*does not cover the sender/],
    ['sesSandbox', 'yes', /sesSandbox.*true or false/],
    ['signUp', 'anyone', /signUp.*not one of invite, open/],
    ['userPoolTier', 'lite', /userPoolTier.*not one of essentials, plus/],
    ['signInDomainPrefix', 'My_Alerts', /signInDomainPrefix.*not a Cognito domain prefix/],
    ['signInDomainPrefix', 'aws-alerts', /signInDomainPrefix/],
    [
      'smsOriginationIdentity',
      'arn:aws:sms-voice:us-east-1:1:phone-number/x',
      /smsOriginationIdentity.*E\.164/,
    ],
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

  it('accepts a sender with a display name and sends with it quoted', () => {
    const settings = settingsFrom({ senderAddress: 'Wirewatch Alerts <alerts@news.example.org>' });
    expect(settings.senderAddress).toBe('alerts@news.example.org');
    expect(settings.senderDisplayName).toBe('Wirewatch Alerts');
    expect(settings.senderFrom).toBe('"Wirewatch Alerts" <alerts@news.example.org>');
    expect(settings.sesIdentity).toBe('news.example.org');
  });

  it.each([
    ['alerts@example.com', 'example.com'],
    ['Wirewatch Alerts <desk@news.example.org>', 'news.example.org'],
    ['alerts@EXAMPLE.NET', 'EXAMPLE.NET'],
  ])('refuses the placeholder sender %j, naming the setting to give', (sender, domain) => {
    const read = () => readSettings(new App({ context: { senderAddress: sender } }));
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(`SES cannot verify ${domain}`);
    expect(read).toThrow('-c senderAddress="Wirewatch Alerts <alerts@');
  });

  it('refuses a missing sender, since the default is the placeholder', () => {
    expect(() => readSettings(new App())).toThrow(/"senderAddress": "alerts@example.com" is a placeholder/);
  });

  it('allows the placeholder sender with the documented test flag only', () => {
    const context = { senderAddress: 'alerts@example.com', allowPlaceholderSender: 'true' };
    expect(readSettings(new App({ context })).senderAddress).toBe('alerts@example.com');
    expect(readSettings(new App({ context: { senderAddress: 'alerts@acme.io' } })).senderAddress).toBe(
      'alerts@acme.io',
    );
  });

  it('refuses a misspelt key, naming the closest known one', () => {
    const read = () => settingsFrom({ senderAdress: 'alerts@acme.io' });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(
      'Invalid CDK context "senderAdress": is not a Wirewatch setting. Did you mean "senderAddress"?',
    );
  });

  it.each([
    ['sesSandBox', 'sesSandbox'],
    ['retaindata', 'retainData'],
    ['alowedSmsCountries', 'allowedSmsCountries'],
    ['matcherMemoryMB', 'matcherMemoryMb'],
  ])('suggests %s -> %s', (typo, known) => {
    expect(() => settingsFrom({ [typo]: 'x' })).toThrow(`Did you mean "${known}"?`);
  });

  it("lists the known keys when nothing is close, and leaves CDK's own context alone", () => {
    expect(() => settingsFrom({ colour: 'blue' })).toThrow(
      /"colour": is not a Wirewatch setting\. Known settings: senderAddress, /,
    );
    expect(() =>
      settingsFrom({
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'aws:cdk:enable-path-metadata': true,
        'acknowledged-issue-numbers': [1],
        'availability-zones:account=1:region=eu-west-1': ['a'],
      }),
    ).not.toThrow();
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

  // A backtracking pattern would not finish within the test's timeout on this shape.
  it('refuses a long hostile input (no backtracking)', () => {
    const hostile = `${'a'.repeat(50_000)}@${'a.'.repeat(50_000)}`;
    expect(isEmailAddress(hostile)).toBe(false);
  });
});
