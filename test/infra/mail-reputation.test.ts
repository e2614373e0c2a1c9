import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../definitions/resources.ts';
import { functionId, functionProperties, onlyId, referencedId, synthesize } from './support.ts';

describe('MailReputation', () => {
  const synthesized = synthesize({ senderAddress: 'desk@news.example.org' });
  const { stateful, stateless } = synthesized;
  const configurationSetId = onlyId(
    stateless,
    'AWS::SES::ConfigurationSet',
    'MailReputationConfigurationSet',
  );

  it('creates the configuration set the notifier and the API send with, with reputation metrics', () => {
    // GIVEN the stacks WHEN synthesized THEN one configuration set exists with reputation metrics on
    stateless.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
    // AND both senders of mail are told to use it
    for (const service of ['notifier', 'subscription-api']) {
      expect(functionProperties(stateless, service).Environment, service).toMatchObject({
        Variables: { [ENV.sesConfigurationSet]: { Ref: configurationSetId } },
      });
    }
  });

  it('publishes bounces, complaints, deliveries and rejects to the default event bus', () => {
    stateless.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'delivery', 'reject'],
        EventBridgeDestination: {
          EventBusArn: Match.objectLike({
            'Fn::Join': ['', Match.arrayWith([':event-bus/default'])],
          }),
        },
      },
    });
  });

  it("routes this configuration set's events to the mail feedback function, with retries and a dead-letter queue", () => {
    // GIVEN the rule WHEN it matches SES events tagged with the configuration set THEN it invokes the function
    const feedbackId = functionId(stateless, 'mail-feedback');
    stateless.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSetId }] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [feedbackId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
          DeadLetterConfig: {
            Arn: {
              'Fn::GetAtt': [
                onlyId(stateless, 'AWS::SQS::Queue', 'MailReputationFeedbackDeadLetterQueue'),
                'Arn',
              ],
            },
          },
        }),
      ],
    });
    stateless.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [feedbackId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
    // AND the function writes to the ledger table, where the notifier looks suppressions up
    const ledger = (
      functionProperties(stateless, 'mail-feedback').Environment as { Variables: Record<string, unknown> }
    ).Variables[ENV.ledgerTable];
    expect(referencedId(ledger, stateful)).toMatch(/^LedgerTable/);
  });

  it.each([
    ['Reputation.BounceRate', 0.02],
    ['Reputation.ComplaintRate', 0.0005],
  ])('alarms on %s at %d, well before SES reviews the account', (metricName, threshold) => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: metricName,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.anyValue()],
      OKActions: [Match.anyValue()],
    });
  });
});
