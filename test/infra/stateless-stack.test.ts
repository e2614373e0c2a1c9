import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV, FUNCTION_TIMEOUTS, METRICS } from '../../definitions/resources.ts';
import { functionId, functionProperties, referencedId, resources, synthesize } from './support.ts';

const SERVICES = ['matcher', 'notifier', 'snapshot-builder'] as const;

describe('WirewatchFunction defaults', () => {
  it.each(SERVICES)(
    'runs %s on nodejs24.x, ARM64, traced, with source maps and Powertools env',
    (service) => {
      // GIVEN the default settings WHEN the stateless stack is synthesized
      const { stateless } = synthesize();
      // THEN the function has the shared defaults
      stateless.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: service,
            POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
            LOG_LEVEL: 'INFO',
          }),
        },
      });
      const fn = functionProperties(stateless, service);
      // AND its own log group, kept for the configured number of days
      const logGroupId = referencedId((fn.LoggingConfig as { LogGroup: unknown }).LogGroup, stateless);
      expect(resources(stateless)[logGroupId]!.Properties).toMatchObject({ RetentionInDays: 30 });
    },
  );

  it('takes the function timeouts from definitions', () => {
    const { stateless } = synthesize();
    expect(functionProperties(stateless, 'matcher').Timeout).toBe(FUNCTION_TIMEOUTS.matcher);
    expect(functionProperties(stateless, 'notifier').Timeout).toBe(FUNCTION_TIMEOUTS.notifier);
    expect(functionProperties(stateless, 'snapshot-builder').Timeout).toBe(FUNCTION_TIMEOUTS.snapshotBuilder);
  });

  it('sizes the matcher and the snapshot builder (which hold every subscription) from matcherMemoryMb', () => {
    const withMemory = (service: string, memorySize: number) => ({
      MemorySize: memorySize,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) },
    });
    // GIVEN the default settings THEN the matcher gets 1024 MB
    synthesize().stateless.hasResourceProperties('AWS::Lambda::Function', withMemory('matcher', 1024));
    // WHEN matcherMemoryMb is set for a million subscriptions THEN both get it, and the notifier does not
    const { stateless } = synthesize({ matcherMemoryMb: '3008' });
    stateless.hasResourceProperties('AWS::Lambda::Function', withMemory('matcher', 3008));
    stateless.hasResourceProperties('AWS::Lambda::Function', withMemory('snapshot-builder', 3008));
    stateless.hasResourceProperties('AWS::Lambda::Function', withMemory('notifier', 512));
  });

  it('applies logRetentionDays to every log group', () => {
    const { stateless } = synthesize({ logRetentionDays: '90' });
    const groups = Object.values(resources(stateless, 'AWS::Logs::LogGroup'));
    // Seven functions (matcher, notifier, snapshot builder, change-log writer, API, mail feedback, digests) and
    // the API's access logs.
    expect(groups).toHaveLength(8);
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(90);
  });

  it('gives no role a managed policy (no AWSLambdaBasicExecutionRole: logs only to its own group)', () => {
    const { stateless } = synthesize();
    for (const [id, role] of Object.entries(resources(stateless, 'AWS::IAM::Role'))) {
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    }
  });
});

describe('event sources', () => {
  it.each([
    ['matcher', 'StoriesQueue', 10],
    ['notifier', 'DeliveriesQueue', 4],
  ] as const)(
    'feeds %s from %s in batches with partial failures reported',
    (service, queuePrefix, concurrency) => {
      // GIVEN both stacks
      const { stateful, stateless } = synthesize();
      // THEN one SQS event source maps the queue to the function, with ReportBatchItemFailures
      const mapping = Object.values(resources(stateless, 'AWS::Lambda::EventSourceMapping')).find(
        (candidate) =>
          candidate.Properties?.FunctionName !== undefined &&
          (candidate.Properties.FunctionName as { Ref?: string }).Ref === functionId(stateless, service),
      );
      expect(mapping?.Properties).toMatchObject({
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: concurrency },
      });
      expect(mapping?.Properties?.MaximumBatchingWindowInSeconds).toBeGreaterThan(0);
      const queueId = referencedId(mapping?.Properties?.EventSourceArn, stateful);
      expect(queueId.startsWith(queuePrefix)).toBe(true);

      // AND the queue hides a message for at least 6x the function timeout (Lambda's rule for SQS)
      const visibility = resources(stateful)[queueId]!.Properties!.VisibilityTimeout as number;
      const timeout = functionProperties(stateless, service).Timeout as number;
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
    },
  );
});

describe('environment', () => {
  it('sets exactly the variables each handler reads, by the names in definitions', () => {
    const { stateless } = synthesize({ publicBaseUrl: 'https://alerts.example.com' });
    const variables = (service: string) =>
      Object.keys(
        (functionProperties(stateless, service).Environment as { Variables: Record<string, unknown> })
          .Variables,
      );
    expect(variables('matcher')).toEqual(
      expect.arrayContaining([ENV.snapshotBucket, ENV.deliveriesQueueUrl]),
    );
    expect(variables('notifier')).toEqual(
      expect.arrayContaining([
        ENV.ledgerTable,
        ENV.alertsTopicArn,
        ENV.senderAddress,
        ENV.signingSecretArn,
        ENV.allowedSmsCountries,
        ENV.publicBaseUrl,
      ]),
    );
    expect(variables('snapshot-builder')).toEqual(
      expect.arrayContaining([ENV.subscriptionsTable, ENV.snapshotBucket]),
    );
    // No function is handed the secret itself, only its ARN.
    for (const service of SERVICES) expect(variables(service)).not.toContain(ENV.signingSecret);
  });

  it('passes sender, SMS countries and the public base URL through', () => {
    const { stateless } = synthesize({
      senderAddress: 'desk@news.example.org',
      allowedSmsCountries: 'GB,+353',
      publicBaseUrl: 'https://alerts.example.org',
    });
    expect(functionProperties(stateless, 'notifier').Environment).toMatchObject({
      Variables: {
        [ENV.senderAddress]: 'desk@news.example.org',
        [ENV.allowedSmsCountries]: 'GB,IE',
        [ENV.publicBaseUrl]: 'https://alerts.example.org',
      },
    });
  });
});

describe('alarms and dashboard', () => {
  it('alarms on dead letters, function errors and throttles, and late deliveries, to the operations topic', () => {
    const { stateful, stateless } = synthesize();
    const alarms = Object.values(resources(stateless, 'AWS::CloudWatch::Alarm'));
    const operationsTopicPrefix = 'OperationsTopic';
    for (const alarm of alarms) {
      const actions = alarm.Properties?.AlarmActions as readonly unknown[];
      expect(actions).toHaveLength(1);
      expect(referencedId(actions[0], stateful).startsWith(operationsTopicPrefix)).toBe(true);
    }
    const byMetric = (name: string) => alarms.filter((alarm) => alarm.Properties?.MetricName === name);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    expect(byMetric('Errors')).toHaveLength(7);
    expect(byMetric('Throttles')).toHaveLength(7);
    expect(byMetric('ApproximateAgeOfOldestMessage')).toHaveLength(1);
    for (const deadLetterAlarm of byMetric('ApproximateNumberOfMessagesVisible')) {
      expect(deadLetterAlarm.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      const queue = ((deadLetterAlarm.Properties?.Dimensions ?? []) as { Value: unknown }[])[0]?.Value;
      // The dimension is the queue name: GetAtt QueueName of a dead-letter queue.
      expect(referencedId(queue, stateful)).toMatch(/DeadLetterQueue/);
    }
  });

  it('alarms when SES refuses alert e-mail for good', () => {
    // GIVEN both stacks WHEN synthesized
    const { stateless } = synthesize();
    // THEN one alarm watches the notifier's EmailRejected metric and pages on the first refusal
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS.namespace,
      MetricName: METRICS.emailRejected,
      Dimensions: [{ Name: 'service', Value: 'notifier' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: Match.anyValue(),
      AlarmDescription: Match.stringLikeRegexp('wirewatch dlq --queue deliveries --redrive'),
    });
    // AND the notifier knows where to record the refused alerts
    expect(functionProperties(stateless, 'notifier').Environment).toMatchObject({
      Variables: { [ENV.deliveriesDeadLetterQueueUrl]: expect.anything() },
    });
  });

  it('graphs the pipeline metrics on one dashboard', () => {
    const { stateless } = synthesize();
    const dashboards = Object.values(resources(stateless, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties?.DashboardBody);
    for (const metric of [
      METRICS.storiesParsed,
      METRICS.storiesRejected,
      METRICS.matches,
      METRICS.alertsSent,
      METRICS.deliveryFailures,
      METRICS.matchLatency,
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'Duration',
    ]) {
      expect(body).toContain(metric);
    }
  });
});

describe('public base URL', () => {
  it('points unsubscribe links at the subscription API unless a public base URL is given', () => {
    const notifierVariables = (stateless: ReturnType<typeof synthesize>['stateless']) =>
      (functionProperties(stateless, 'notifier').Environment as { Variables: Record<string, unknown> })
        .Variables;
    // GIVEN no publicBaseUrl
    const { stateless } = synthesize();
    // THEN the notifier's PUBLIC_BASE_URL is the HTTP API's endpoint
    expect(JSON.stringify(notifierVariables(stateless)[ENV.publicBaseUrl])).toContain(
      'SubscriptionApiHttpApi',
    );
    // GIVEN a publicBaseUrl THEN the notifier uses it as given
    const custom = synthesize({ publicBaseUrl: 'https://a.example.com' }).stateless;
    expect(notifierVariables(custom)[ENV.publicBaseUrl]).toBe('https://a.example.com');
  });
});

describe('stack outputs', () => {
  it('tells operators where to send stories, where alerts go and where people subscribe', () => {
    // GIVEN both stacks
    const { stateful, stateless } = synthesize();
    // THEN the stories queue URL, the alerts topic and the subscribe API URL are outputs that reference them
    expect(referencedId(stateful.findOutputs('StoriesQueueUrl').StoriesQueueUrl?.Value, stateful)).toMatch(
      /^StoriesQueue/,
    );
    expect(referencedId(stateful.findOutputs('AlertsTopicArn').AlertsTopicArn?.Value, stateful)).toMatch(
      /^AlertsTopic/,
    );
    expect(JSON.stringify(stateless.findOutputs('SubscribeApiUrl').SubscribeApiUrl?.Value)).toContain(
      'SubscriptionApiHttpApi',
    );
  });
});

describe('sender and SMS origination settings', () => {
  it('sends with the display name and from the registered origination number when given', () => {
    // GIVEN a sender with a display name and a toll-free origination number
    const { stateless } = synthesize({
      senderAddress: 'Wirewatch Alerts <alerts@news.example.org>',
      smsOriginationIdentity: '+18885550123',
    });
    // THEN both senders of mail and SMS get them
    for (const service of ['notifier', 'subscription-api']) {
      expect(functionProperties(stateless, service).Environment, service).toMatchObject({
        Variables: {
          [ENV.senderAddress]: '"Wirewatch Alerts" <alerts@news.example.org>',
          [ENV.smsOriginationNumber]: '+18885550123',
        },
      });
    }
  });

  it('leaves the origination number to SNS when none is given', () => {
    const { stateless } = synthesize();
    const variables = (functionProperties(stateless, 'notifier').Environment as { Variables: object })
      .Variables;
    expect(variables).not.toHaveProperty(ENV.smsOriginationNumber);
  });
});
