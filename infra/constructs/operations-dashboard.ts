/**
 * One CloudWatch dashboard for the pipeline: stories in, matches, alerts out, failures, match latency,
 * queue depths and the functions' errors and durations.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS } from '../../definitions/resources.ts';

export interface OperationsDashboardProps {
  /** Functions by a readable name, e.g. `Matcher`. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Queues (and dead-letter queues) by a readable name. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /** Default 5 minutes. */
  readonly period?: Duration;
}

export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const custom = (metricName: string, statistic: string, label: string): cloudwatch.MathExpression =>
      customMetric(metricName, statistic, label, period);
    const functions = Object.entries(props.functions);
    const queues = Object.entries(props.queues);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          graph('Stories in', [
            custom(METRICS.storiesParsed, 'Sum', 'parsed'),
            custom(METRICS.storiesRejected, 'Sum', 'rejected'),
          ]),
          graph('Matches', [custom(METRICS.matches, 'Sum', 'matches')]),
          // One line per channel (and service): the search keeps whatever dimensions the handler adds.
          graph('Alerts sent by channel', [searchMetric(METRICS.alertsSent, 'Sum', period)]),
          graph('Delivery failures', [custom(METRICS.deliveryFailures, 'Sum', 'failures')]),
        ],
        [
          graph('Match latency (ms)', [
            custom(METRICS.matchLatency, 'p50', 'p50'),
            custom(METRICS.matchLatency, 'p99', 'p99'),
            custom(METRICS.matchLatency, 'Maximum', 'max'),
          ]),
          graph(
            'Queue depth (visible messages)',
            queues.map(([name, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
            ),
          ),
          graph(
            'Oldest message age (s)',
            queues.map(([name, queue]) =>
              queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: name }),
            ),
          ),
        ],
        [
          graph(
            'Function errors',
            functions.map(([name, fn]) => fn.metricErrors({ period, statistic: 'Sum', label: name })),
          ),
          graph(
            'Function throttles',
            functions.map(([name, fn]) => fn.metricThrottles({ period, statistic: 'Sum', label: name })),
          ),
          graph(
            'Function duration p99 (ms)',
            functions.map(([name, fn]) => fn.metricDuration({ period, statistic: 'p99', label: name })),
          ),
        ],
      ],
    });
  }
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 6, height: 6 });
}

/** Every series of a Wirewatch metric, whatever its dimensions (Powertools adds `service`). */
function searchMetric(metricName: string, statistic: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('Namespace="${METRICS.namespace}" MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    period,
  });
}

/** One line: the sum over all dimension combinations of a Wirewatch metric. */
function customMetric(
  metricName: string,
  statistic: string,
  label: string,
  period: Duration,
): cloudwatch.MathExpression {
  const search = `SEARCH('Namespace="${METRICS.namespace}" MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`;
  // Percentiles cannot be summed across series; the maximum over services is the honest single line.
  const combine = statistic === 'Sum' ? 'SUM' : 'MAX';
  return new cloudwatch.MathExpression({
    expression: `${combine}(${search})`,
    usingMetrics: {},
    label,
    period,
  });
}
