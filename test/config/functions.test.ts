import { describe, expect, it } from 'vitest';
import { ENV } from '../../definitions/resources.ts';
import {
  loadNotifierConfig,
  readApiConfig,
  readChangeLogWriterConfig,
  readMailFeedbackConfig,
  readMatcherConfig,
  readSnapshotBuilderConfig,
} from '../../functions/config/functions.ts';
import { queueUrlFromArn } from '../../functions/handlers/shared/queue-url.ts';

const complete = {
  SUBSCRIPTIONS_TABLE_NAME: 'subs',
  LEDGER_TABLE_NAME: 'ledger',
  SENDER_ADDRESS: 'alerts@example.com',
  PUBLIC_BASE_URL: 'https://alerts.example.com/',
  SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
  ALLOWED_SMS_COUNTRIES: 'US,CA,GB',
};

const notifierEnv = {
  [ENV.ledgerTable]: 'ledger',
  [ENV.alertsTopicArn]: 'arn:aws:sns:us-east-1:123456789012:alerts',
  [ENV.senderAddress]: 'alerts@example.com',
  [ENV.publicBaseUrl]: 'https://alerts.example.com/',
  [ENV.signingSecret]: 'x'.repeat(32),
};

describe('handler configuration', () => {
  it('reads the matcher settings with the documented default check interval', () => {
    const config = readMatcherConfig({
      [ENV.snapshotBucket]: 'snaps',
      [ENV.deliveriesQueueUrl]: 'https://sqs.example/1/d',
    });
    expect(config).toEqual({
      snapshotBucket: 'snaps',
      deliveriesQueueUrl: 'https://sqs.example/1/d',
      snapshotCheckSeconds: 10,
      changeLogSettleMs: 5000,
    });
  });

  it('reads the change-log writer settings; its settling time must agree with the matcher and is checked', () => {
    const env = { [ENV.snapshotBucket]: 'snaps', [ENV.subscriptionsTable]: 'subs' };
    expect(readChangeLogWriterConfig(env)).toEqual({
      snapshotBucket: 'snaps',
      subscriptionsTable: 'subs',
      changeLogSettleMs: 5000,
    });
    expect(readChangeLogWriterConfig({ ...env, [ENV.changeLogSettleMs]: '0' }).changeLogSettleMs).toBe(0);
    expect(() => readChangeLogWriterConfig({ ...env, [ENV.changeLogSettleMs]: '-1' })).toThrow(
      /CHANGE_LOG_SETTLE_MS is "-1": use a whole number of milliseconds from 0 to 60000/,
    );
  });

  it('names the missing variable and how to fix it', async () => {
    const { [ENV.senderAddress]: _, ...withoutSender } = notifierEnv;
    await expect(loadNotifierConfig(withoutSender)).rejects.toThrow(
      'Wirewatch configuration: SENDER_ADDRESS is not set: set it to the verified SES sender, e.g. alerts@example.com',
    );
    expect(() => readSnapshotBuilderConfig({ [ENV.snapshotBucket]: 'b' })).toThrow(
      /SUBSCRIPTIONS_TABLE_NAME is not set/,
    );
  });

  it.each([
    [
      { [ENV.snapshotCheckSeconds]: 'soon' },
      /SNAPSHOT_CHECK_SECONDS is "soon": use a whole number of seconds/,
    ],
    [
      { [ENV.deliveriesQueueUrl]: 'deliveries' },
      /DELIVERIES_QUEUE_URL is "deliveries", not an http\(s\) URL/,
    ],
  ])('refuses an invalid matcher value %o', (override, message) => {
    const env = {
      [ENV.snapshotBucket]: 'snaps',
      [ENV.deliveriesQueueUrl]: 'https://sqs.example/1/d',
      ...override,
    };
    expect(() => readMatcherConfig(env)).toThrow(message);
  });

  it('reads the notifier settings, trimming the base URL and defaulting SMS to the US and Canada', async () => {
    expect(await loadNotifierConfig(notifierEnv)).toMatchObject({
      publicBaseUrl: 'https://alerts.example.com',
      allowedSmsCountries: ['US', 'CA'],
      sesConfigurationSet: undefined,
    });
    const twoCountries = await loadNotifierConfig({ ...notifierEnv, [ENV.allowedSmsCountries]: 'US, GB' });
    expect(twoCountries.allowedSmsCountries).toEqual(['US', 'GB']);
    await expect(loadNotifierConfig({ ...notifierEnv, [ENV.allowedSmsCountries]: '+1' })).rejects.toThrow(
      /ALLOWED_SMS_COUNTRIES holds "\+1" is a calling code shared by AG, .*US.*use ISO 3166 country codes/,
    );
  });

  it('accepts a sender with a display name, as the CDK app writes it, but no header injection', async () => {
    const named = await loadNotifierConfig({
      ...notifierEnv,
      [ENV.senderAddress]: '"Wirewatch Alerts" <alerts@example.com>',
    });
    expect(named.senderAddress).toBe('"Wirewatch Alerts" <alerts@example.com>');
    for (const bad of [
      'Alerts <not an address>',
      'alerts@example.com\r\nBcc: x@example.com',
      'a <b@c.d> <e@f.g>',
    ]) {
      await expect(loadNotifierConfig({ ...notifierEnv, [ENV.senderAddress]: bad }), bad).rejects.toThrow(
        /SENDER_ADDRESS is [\s\S]*not an e-mail address/,
      );
    }
  });

  it('with delivery control, the notifier needs the subscriptions table too (the daily cap switches cadence)', async () => {
    expect(await loadNotifierConfig(notifierEnv)).toMatchObject({
      digestsTable: undefined,
      subscriptionsTable: undefined,
    });
    await expect(loadNotifierConfig({ ...notifierEnv, [ENV.digestsTable]: 'digests' })).rejects.toThrow(
      /SUBSCRIPTIONS_TABLE_NAME is not set/,
    );
    expect(
      await loadNotifierConfig({
        ...notifierEnv,
        [ENV.digestsTable]: 'digests',
        [ENV.subscriptionsTable]: 'subs',
      }),
    ).toMatchObject({ digestsTable: 'digests', subscriptionsTable: 'subs' });
  });

  it('reads the SMS origination number, refusing anything but E.164 or a short code', async () => {
    expect((await loadNotifierConfig(notifierEnv)).smsOriginationNumber).toBeUndefined();
    const tollFree = await loadNotifierConfig({ ...notifierEnv, [ENV.smsOriginationNumber]: '+18885550123' });
    expect(tollFree.smsOriginationNumber).toBe('+18885550123');
    await expect(
      loadNotifierConfig({ ...notifierEnv, [ENV.smsOriginationNumber]: 'arn:aws:sms-voice:x' }),
    ).rejects.toThrow(
      /SMS_ORIGINATION_NUMBER is "arn:aws:sms-voice:x", neither an E.164 number nor a short code/,
    );
  });

  it('reads the mail feedback settings: the ledger table', () => {
    expect(readMailFeedbackConfig({ [ENV.ledgerTable]: 'ledger' })).toEqual({ ledgerTable: 'ledger' });
    expect(() => readMailFeedbackConfig({})).toThrow(/LEDGER_TABLE_NAME is not set/);
  });

  it('takes the signing secret from SIGNING_SECRET or from the secret named by SIGNING_SECRET_ARN, long enough', async () => {
    await expect(loadNotifierConfig({ ...notifierEnv, [ENV.signingSecret]: 'short' })).rejects.toThrow(
      /SIGNING_SECRET gives a secret of 5 bytes: use at least 32 random bytes/,
    );
    const { [ENV.signingSecret]: _, ...withoutSecret } = notifierEnv;
    await expect(loadNotifierConfig(withoutSecret)).rejects.toThrow(
      /SIGNING_SECRET is not set \(nor SIGNING_SECRET_ARN\)/,
    );
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:signing';
    const asked: string[] = [];
    const fromSecretsManager = async (secretArn: string) => {
      asked.push(secretArn);
      return 's'.repeat(48);
    };
    const config = await loadNotifierConfig(
      { ...withoutSecret, [ENV.signingSecretArn]: arn },
      fromSecretsManager,
    );
    expect(config.signingSecret).toBe('s'.repeat(48));
    expect(asked).toEqual([arn]);
    await expect(
      loadNotifierConfig({ ...withoutSecret, [ENV.signingSecretArn]: arn }, async () => 'tiny'),
    ).rejects.toThrow(/SIGNING_SECRET_ARN gives a secret of 4 bytes/);
  });

  it('derives a queue URL from its ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:eu-west-1:123456789012:deliveries')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/deliveries',
    );
    expect(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:d')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/d',
    );
    expect(() => queueUrlFromArn('arn:aws:sns:us-east-1:1:topic')).toThrow(/not an SQS queue ARN/);
  });
});

describe('API configuration from the environment', () => {
  it('reads a complete environment', () => {
    expect(readApiConfig(complete)).toMatchObject({
      subscriptionsTable: 'subs',
      publicBaseUrl: 'https://alerts.example.com',
      allowedSmsCountries: ['US', 'CA', 'GB'],
      snapshotBucket: undefined,
    });
  });

  it('lists every problem in one message that says how to fix it', () => {
    expect(() =>
      readApiConfig({
        PUBLIC_BASE_URL: 'ftp://x',
        ALLOWED_SMS_COUNTRIES: '44',
        MAX_SUBSCRIPTIONS_PER_USER: 'many',
      }),
    ).toThrow(
      /SUBSCRIPTIONS_TABLE_NAME is not set.*LEDGER_TABLE_NAME is not set.*SENDER_ADDRESS is not set.*PUBLIC_BASE_URL is "ftp:\/\/x", not an http\(s\) URL.*ALLOWED_SMS_COUNTRIES holds "44".*MAX_SUBSCRIPTIONS_PER_USER is "many": use a whole number.*SIGNING_SECRET is not set \(nor SIGNING_SECRET_ARN\).*Set these in the function's environment/,
    );
  });
});

describe("the page's sign-in settings", () => {
  it('reads the sign-in domain and client, trimming the URL', () => {
    const config = readApiConfig({
      ...complete,
      WEB_AUTH_URL: 'https://wirewatch-1.auth.eu-west-1.amazoncognito.com/',
      WEB_CLIENT_ID: '4l0ng1d',
      SMS_ORIGINATION_NUMBER: '+18885550123',
    });
    expect(config.webSignIn).toEqual({
      authUrl: 'https://wirewatch-1.auth.eu-west-1.amazoncognito.com',
      clientId: '4l0ng1d',
    });
    expect(config.smsOriginationNumber).toBe('+18885550123');
    expect(readApiConfig(complete).webSignIn).toBeUndefined();
  });

  it.each([
    [{ WEB_AUTH_URL: 'https://auth.example.com' }, /WEB_AUTH_URL and WEB_CLIENT_ID go together/],
    [{ WEB_CLIENT_ID: 'abc' }, /WEB_AUTH_URL and WEB_CLIENT_ID go together/],
    [
      { WEB_AUTH_URL: 'javascript:alert(1)', WEB_CLIENT_ID: 'abc' },
      /WEB_AUTH_URL is "javascript:alert\(1\)", not an http\(s\) URL/,
    ],
    [
      { WEB_AUTH_URL: 'https://a.example.com', WEB_CLIENT_ID: 'a"b' },
      /WEB_CLIENT_ID is "a\\"b", not an app client id/,
    ],
    [
      { SMS_ORIGINATION_NUMBER: 'TOLLFREE' },
      /SMS_ORIGINATION_NUMBER is "TOLLFREE", neither an E.164 number nor a short code/,
    ],
  ])('refuses %j', (override, message) => {
    expect(() => readApiConfig({ ...complete, ...override })).toThrow(message);
  });
});
