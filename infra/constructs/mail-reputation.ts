/**
 * What keeps alert mail out of spam folders and the SES account out of review: the configuration set every
 * mail is sent with (reputation metrics on; SES's own suppression of bounces and complaints), its event
 * destination (bounces, complaints, deliveries and rejects to the default EventBridge bus), the function that
 * records hard bounces and complaints in Wirewatch's suppression list, and alarms well before SES reviews the
 * account (bounce rate 5 %, complaint rate 0.1 %): at 2 % and 0.05 %.
 */
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bindSuppressionWriting } from '../bindings.ts';
import { WirewatchFunction } from './wirewatch-function.ts';

/** SES reviews an account at 5 % bounces and 0.1 % complaints; these warn at AWS's recommended maxima. */
export const REPUTATION_THRESHOLDS = { bounceRate: 0.02, complaintRate: 0.0005 } as const;

/** The sending events published, and the EventBridge detail types SES gives them. */
export const PUBLISHED_EVENTS = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.REJECT,
] as const;

export interface MailReputationProps {
  /** The ledger table holding the suppression list (`suppressed#<address>` items). */
  readonly ledgerTable: dynamodb.ITable;
  /** Where the reputation alarms go. */
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
}

const handlerEntry = fileURLToPath(new URL('../../functions/handlers/mail-feedback.ts', import.meta.url));

export class MailReputation extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly feedbackFunction: WirewatchFunction;
  readonly rule: events.Rule;
  /** Events the function failed on after every retry. */
  readonly deadLetterQueue: sqs.Queue;
  readonly bounceRateAlarm: cloudwatch.Alarm;
  readonly complaintRateAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: MailReputationProps) {
    super(scope, id);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      // SES's account-level list too: a second guard should the function be failing.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [...PUBLISHED_EVENTS],
    });

    this.feedbackFunction = new WirewatchFunction(this, 'FeedbackFunction', {
      entry: handlerEntry,
      serviceName: 'mail-feedback',
      description: 'Records hard bounces and complaints from SES in the suppression list; counts mail events',
      timeoutSeconds: 10,
      logRetentionDays: props.logRetentionDays,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    bindSuppressionWriting(this.feedbackFunction, props.ledgerTable);

    this.deadLetterQueue = new sqs.Queue(this, 'FeedbackDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the mail feedback rule: events that failed every retry ' +
        'wait here for an operator (an alarm fires on the first one).',
    });
    this.rule = new events.Rule(this, 'FeedbackRule', {
      description: 'SES sending events of the Wirewatch configuration set -> mail feedback function',
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new targets.LambdaFunction(this.feedbackFunction, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });

    const action = new actions.SnsAction(props.alarmTopic);
    const reputation = (metricName: string, threshold: number, what: string, review: string) => {
      const alarm = new cloudwatch.Alarm(this, `${metricName.replace('Reputation.', '')}Alarm`, {
        alarmDescription:
          `SES ${what} rate above ${threshold * 100} % (SES reviews the account at ${review}): look for a bad ` +
          'list import or a broken suppression path before SES pauses sending.',
        metric: new cloudwatch.Metric({
          namespace: 'AWS/SES',
          metricName,
          statistic: 'Maximum',
          period: Duration.hours(1),
        }),
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // SES publishes the rates only once the account has sent enough mail: quiet is healthy.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    };
    this.bounceRateAlarm = reputation(
      'Reputation.BounceRate',
      REPUTATION_THRESHOLDS.bounceRate,
      'bounce',
      '5 %',
    );
    this.complaintRateAlarm = reputation(
      'Reputation.ComplaintRate',
      REPUTATION_THRESHOLDS.complaintRate,
      'complaint',
      '0.1 %',
    );
  }
}
