/**
 * Alarms that page the operations topic: anything in a dead-letter queue, any function error or throttle,
 * alerts waiting too long to go out, and e-mail SES refused for good.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS } from '../../definitions/resources.ts';

export interface OperationsAlarmsProps {
  /** Where alarms (and their recoveries) are published. */
  readonly topic: sns.ITopic;
  /** Dead-letter queues by a readable name, e.g. `Stories`. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Functions by a readable name, e.g. `Matcher`. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Queues whose oldest message must not wait longer than `maxMessageAge`. */
  readonly ageWatchedQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Default 15 minutes: alerts are news, and a quarter of an hour late is already late. */
  readonly maxMessageAge?: Duration;
  /** The notifier's Powertools service name, the dimension of its `EmailRejected` metric. */
  readonly emailRejections?: { readonly serviceName: string };
}

export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.action = new actions.SnsAction(props.topic);
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`${name}DeadLetters`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: they failed every retry. Inspect, fix, redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
        threshold: 0,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, {
        alarmDescription: `The ${name} function failed (see its log group and traces).`,
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 0,
      });
      this.add(`${name}Throttles`, {
        alarmDescription: `The ${name} function was throttled: account concurrency is exhausted.`,
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 0,
      });
    }
    const maxAge = props.maxMessageAge ?? Duration.minutes(15);
    for (const [name, queue] of Object.entries(props.ageWatchedQueues)) {
      this.add(`${name}Age`, {
        alarmDescription: `The oldest ${name} message waited more than ${maxAge.toMinutes()} minutes.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }),
        threshold: maxAge.toSeconds(),
        evaluationPeriods: 5,
      });
    }
    if (props.emailRejections !== undefined) {
      this.add('EmailRejected', {
        alarmDescription:
          'SES refused alert e-mail for good (e.g. MessageRejected in the sandbox, an unverified MAIL FROM domain): ' +
          'fix the sender, then `wirewatch dlq --queue deliveries --redrive` sends the recorded alerts.',
        metric: new cloudwatch.Metric({
          namespace: METRICS.namespace,
          metricName: METRICS.emailRejected,
          dimensionsMap: { service: props.emailRejections.serviceName },
          period: fiveMinutes,
          statistic: 'Sum',
        }),
        threshold: 0,
      });
    }
  }

  private add(
    id: string,
    props: Pick<cloudwatch.AlarmProps, 'alarmDescription' | 'metric' | 'threshold'> & {
      readonly evaluationPeriods?: number;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data means no messages and no invocations: healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}
