import { describe, expect, it } from 'vitest';
import {
  readMatcherConfig,
  readNotifierConfig,
  readSnapshotBuilderConfig,
} from '../../functions/handlers/shared/config.ts';
import { queueUrlFromArn } from '../../functions/handlers/shared/queue-url.ts';
import { ENV } from '../../infra/definitions.ts';

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
      snapshotCheckSeconds: 30,
    });
  });

  it('names the missing variable and how to fix it', () => {
    const { [ENV.senderAddress]: _, ...withoutSender } = notifierEnv;
    expect(() => readNotifierConfig(withoutSender)).toThrow(
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

  it('reads the notifier settings, trimming the base URL and defaulting SMS to +1', () => {
    expect(readNotifierConfig(notifierEnv)).toMatchObject({
      publicBaseUrl: 'https://alerts.example.com',
      allowedSmsCountries: ['+1'],
      sesConfigurationSet: undefined,
    });
    expect(
      readNotifierConfig({ ...notifierEnv, [ENV.allowedSmsCountries]: '+1, +44' }).allowedSmsCountries,
    ).toEqual(['+1', '+44']);
    expect(() => readNotifierConfig({ ...notifierEnv, [ENV.allowedSmsCountries]: 'US' })).toThrow(
      /"US", not a country calling code/,
    );
  });

  it('requires a long enough signing secret, and explains that a secret ARN is not supported yet', () => {
    expect(() => readNotifierConfig({ ...notifierEnv, [ENV.signingSecret]: 'short' })).toThrow(
      /SIGNING_SECRET is 5 bytes long/,
    );
    const { [ENV.signingSecret]: _, ...withoutSecret } = notifierEnv;
    expect(() => readNotifierConfig(withoutSecret)).toThrow(/SIGNING_SECRET is not set/);
    expect(() =>
      readNotifierConfig({
        ...withoutSecret,
        [ENV.signingSecretArn]: 'arn:aws:secretsmanager:us-east-1:1:secret:s',
      }),
    ).toThrow(
      /SIGNING_SECRET_ARN is set, but reading Secrets Manager needs @aws-sdk\/client-secrets-manager/,
    );
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
