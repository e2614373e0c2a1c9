/**
 * The code and its wiring: the matcher, notifier and snapshot-builder functions, their event sources and
 * permissions, the alarms and the dashboard. Holds no data, so it can be replaced freely.
 *
 *   stories queue -> Matcher -> deliveries queue -> Notifier -> SES (e-mail), SNS (SMS), alerts topic
 *   subscriptions table stream -> change-log writer -> change log (snapshots bucket) -> (applied by) Matcher
 *   schedule (hourly) -> SnapshotBuilder (compaction) -> snapshot (snapshots bucket) -> (loaded by) Matcher
 *   HTTP API (Cognito JWT) -> Api function -> subscriptions table, confirmation mail/SMS
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { ENV, FUNCTION_TIMEOUTS } from '../../definitions/resources.ts';
import {
  bindAlertsTopic,
  bindChangeLogReading,
  bindDeliveriesQueue,
  bindDeliveryLedger,
  bindDigestHolding,
  bindEmailSending,
  bindEmptyDigestOpening,
  bindRecentStoriesWriting,
  bindRefusedAlertsRecord,
  bindSigningSecret,
  bindSmsSending,
  bindSnapshotWriting,
  bindSubscriptionsSnapshot,
  bindSubscriptionsTable,
} from '../bindings.ts';
import { DigestSender } from '../constructs/digest-sender.ts';
import { MailReputation } from '../constructs/mail-reputation.ts';
import { OperationsAlarms } from '../constructs/operations-alarms.ts';
import { OperationsDashboard } from '../constructs/operations-dashboard.ts';
import { SubscriberSignIn } from '../constructs/subscriber-sign-in.ts';
import { SubscriptionApi } from '../constructs/subscription-api.ts';
import { SubscriptionChanges } from '../constructs/subscription-changes.ts';
import { WirewatchFunction } from '../constructs/wirewatch-function.ts';
import type { WirewatchSettings } from '../settings.ts';
import type { StatefulResources } from './stateful-stack.ts';

export interface WirewatchStatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
  readonly settings: WirewatchSettings;
}

/** Event-source tuning, in one place. */
export const EVENT_SOURCES = {
  matcher: { batchSize: 10, maxBatchingWindowSeconds: 2, maxConcurrency: 10 },
  // Low concurrency keeps SES (1 mail/s in the sandbox, 14/s by default after) from throttling.
  notifier: { batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 4 },
  // The subscriptions stream's source is tuned in constructs/subscription-changes.ts (CHANGE_STREAM).
} as const;

const handlerPath = (name: string): string =>
  fileURLToPath(new URL(`../../functions/handlers/${name}.ts`, import.meta.url));

export class WirewatchStatelessStack extends Stack {
  readonly matcher: WirewatchFunction;
  readonly notifier: WirewatchFunction;
  readonly snapshotBuilder: WirewatchFunction;
  readonly subscriptionChanges: SubscriptionChanges;
  readonly digestSender: DigestSender;
  readonly subscriptionApi: SubscriptionApi;
  readonly signIn: SubscriberSignIn;
  readonly mailReputation: MailReputation;
  /** The subscribe page: `publicBaseUrl` or the API's URL, with a trailing slash. */
  readonly pageUrl: string;
  readonly alarms: OperationsAlarms;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: WirewatchStatelessStackProps) {
    super(scope, id, { description: 'Wirewatch: functions, event sources, alarms, dashboard', ...props });
    const { stateful, settings } = props;
    const common = {
      logRetentionDays: settings.logRetentionDays,
      logRemovalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };

    // --- Mail reputation: the configuration set, its events, the suppression of hard bounces and complaints.
    this.mailReputation = new MailReputation(this, 'MailReputation', {
      ledgerTable: stateful.ledgerTable,
      alarmTopic: stateful.operationsTopic,
      ...common,
    });
    const email = {
      senderAddress: settings.senderFrom,
      sesIdentity: settings.sesIdentity,
      configurationSet: this.mailReputation.configurationSet.configurationSetName,
      sandbox: settings.sesSandbox,
    };

    // --- Sign-in: app clients whose callback and sign-out URLs are the page's own URL (known once the API is).
    this.pageUrl =
      settings.publicBaseUrl === undefined
        ? Lazy.string({ produce: () => `${this.subscriptionApi.url}/` })
        : `${settings.publicBaseUrl}/`;
    this.signIn = new SubscriberSignIn(this, 'SignIn', {
      userPool: stateful.subscribers.userPool,
      domain: stateful.subscribers.domain,
      pageUrl: this.pageUrl,
    });

    // --- Matcher: stories in, their alerts (deliveries messages) out.
    this.matcher = new WirewatchFunction(this, 'Matcher', {
      ...common,
      entry: handlerPath('matcher'),
      serviceName: 'matcher',
      description: 'Parses wire stories, matches them against the subscriptions snapshot, queues deliveries',
      timeoutSeconds: FUNCTION_TIMEOUTS.matcher,
      // The compiled subscriptions index lives in memory; more memory is also more CPU.
      memorySize: settings.matcherMemoryMb,
    });
    this.matcher.addEventSource(
      new sources.SqsEventSource(stateful.stories.queue, {
        batchSize: EVENT_SOURCES.matcher.batchSize,
        maxBatchingWindow: Duration.seconds(EVENT_SOURCES.matcher.maxBatchingWindowSeconds),
        maxConcurrency: EVENT_SOURCES.matcher.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    bindSubscriptionsSnapshot(this.matcher, stateful.snapshotsBucket);
    bindChangeLogReading(this.matcher, stateful.snapshotsBucket);
    bindRecentStoriesWriting(this.matcher, stateful.snapshotsBucket);
    bindDeliveriesQueue(this.matcher, stateful.deliveries.queue);

    // --- Notifier: one delivery job in, one e-mail, SMS or topic message out (idempotent via the ledger).
    this.notifier = new WirewatchFunction(this, 'Notifier', {
      ...common,
      entry: handlerPath('notifier'),
      serviceName: 'notifier',
      description:
        'Sends alerts by e-mail (SES), SMS and the alerts topic (SNS), once per story and subscriber',
      timeoutSeconds: FUNCTION_TIMEOUTS.notifier,
    });
    this.notifier.addEventSource(
      new sources.SqsEventSource(stateful.deliveries.queue, {
        batchSize: EVENT_SOURCES.notifier.batchSize,
        maxBatchingWindow: Duration.seconds(EVENT_SOURCES.notifier.maxBatchingWindowSeconds),
        maxConcurrency: EVENT_SOURCES.notifier.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    bindDeliveryLedger(this.notifier, stateful.ledgerTable);
    bindAlertsTopic(this.notifier, stateful.alertsTopic, stateful.topicsKey);
    bindEmailSending(this.notifier, email);
    bindSmsSending(this.notifier, settings.allowedSmsCountries, settings.smsOriginationIdentity);
    bindSigningSecret(this.notifier, stateful.signingSecret);
    // Settle notices (sent alerts whose settle failed) go back on the deliveries queue.
    bindDeliveriesQueue(this.notifier, stateful.deliveries.queue);
    bindRefusedAlertsRecord(this.notifier, stateful.deliveries.deadLetterQueue);
    bindDigestHolding(this.notifier, {
      digests: stateful.digestsTable,
      ledger: stateful.ledgerTable,
      subscriptions: stateful.subscriptionsTable,
    });

    // --- SnapshotBuilder: the change log's compaction, on a schedule -> one scan -> gzipped snapshot.
    this.snapshotBuilder = new WirewatchFunction(this, 'SnapshotBuilder', {
      ...common,
      entry: handlerPath('snapshot-builder'),
      serviceName: 'snapshot-builder',
      description: 'Compacts the subscription change log: scans the table into a new snapshot in S3',
      timeoutSeconds: FUNCTION_TIMEOUTS.snapshotBuilder,
      // It holds every subscription, and their JSON, while it writes the snapshot.
      memorySize: settings.matcherMemoryMb,
    });
    bindSubscriptionsTable(this.snapshotBuilder, stateful.subscriptionsTable, 'scan');
    bindSnapshotWriting(this.snapshotBuilder, stateful.snapshotsBucket);
    // --- Subscription changes: the stream -> change-log segments; the hourly compaction schedule.
    this.subscriptionChanges = new SubscriptionChanges(this, 'SubscriptionChanges', {
      subscriptionsTable: stateful.subscriptionsTable,
      snapshotsBucket: stateful.snapshotsBucket,
      compaction: this.snapshotBuilder,
      writerMemoryMb: settings.matcherMemoryMb,
      ...common,
    });
    bindEmptyDigestOpening(this.subscriptionChanges.writer, stateful.digestsTable);

    // --- Subscribe HTTP API: API Gateway HTTP API + Cognito JWT authorizer + one router function.
    this.subscriptionApi = new SubscriptionApi(this, 'SubscriptionApi', {
      userPool: stateful.subscribers.userPool,
      userPoolClients: [this.signIn.pageClient, this.signIn.cliClient],
      signIn: { authUrl: this.signIn.authUrl, clientId: this.signIn.pageClient.userPoolClientId },
      subscriptionsTable: stateful.subscriptionsTable,
      ledgerTable: stateful.ledgerTable,
      signingSecret: stateful.signingSecret,
      snapshotsBucket: stateful.snapshotsBucket,
      email,
      allowedSmsCountries: settings.allowedSmsCountries,
      ...(settings.smsOriginationIdentity === undefined
        ? {}
        : { smsOriginationNumber: settings.smsOriginationIdentity }),
      logRetentionDays: settings.logRetentionDays,
      logRemovalPolicy: common.logRemovalPolicy,
      ...(settings.publicBaseUrl === undefined ? {} : { publicBaseUrl: settings.publicBaseUrl }),
    });
    // Unsubscribe links in alerts point at the API (or at the operator's own domain in front of it).
    this.notifier.addEnvironment(ENV.publicBaseUrl, settings.publicBaseUrl ?? this.subscriptionApi.url);

    // --- Digests: a schedule sends what is due (e-mail digests, alerts held by quiet hours or the throttle).
    this.digestSender = new DigestSender(this, 'Digests', {
      digestsTable: stateful.digestsTable,
      ledgerTable: stateful.ledgerTable,
      subscriptionsTable: stateful.subscriptionsTable,
      signingSecret: stateful.signingSecret,
      email,
      allowedSmsCountries: settings.allowedSmsCountries,
      smsOriginationNumber: settings.smsOriginationIdentity,
      publicBaseUrl: settings.publicBaseUrl ?? this.subscriptionApi.url,
      ...common,
    });

    const functions = {
      Matcher: this.matcher,
      Notifier: this.notifier,
      SnapshotBuilder: this.snapshotBuilder,
      ChangeLogWriter: this.subscriptionChanges.writer,
      Api: this.subscriptionApi.function,
      MailFeedback: this.mailReputation.feedbackFunction,
      Digests: this.digestSender.function,
    };
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      topic: stateful.operationsTopic,
      deadLetterQueues: {
        Stories: stateful.stories.deadLetterQueue,
        Deliveries: stateful.deliveries.deadLetterQueue,
        MailFeedback: this.mailReputation.deadLetterQueue,
        SubscriptionChanges: this.subscriptionChanges.deadLetterQueue,
      },
      functions,
      ageWatchedQueues: { Deliveries: stateful.deliveries.queue },
      emailRejections: { serviceName: this.notifier.serviceName },
    });
    this.dashboard = new OperationsDashboard(this, 'Dashboard', {
      functions,
      queues: {
        Stories: stateful.stories.queue,
        Deliveries: stateful.deliveries.queue,
        StoriesDeadLetters: stateful.stories.deadLetterQueue,
        DeliveriesDeadLetters: stateful.deliveries.deadLetterQueue,
      },
    });
    new CfnOutput(this, 'SubscribeApiUrl', {
      value: this.subscriptionApi.url,
      description: 'The subscribe API (wirewatch subscribe --endpoint ...)',
    });
    new CfnOutput(this, 'SubscribePageUrl', {
      value: this.pageUrl,
      description: 'The subscribe page: subscribers sign in here',
    });
    new CfnOutput(this, 'SignInUrl', {
      value: this.signIn.signInUrl,
      description: 'Link to hand out: the subscribe page, sending the browser straight to managed login',
    });
    new CfnOutput(this, 'CliClientId', {
      value: this.signIn.cliClient.userPoolClientId,
      description: 'wirewatch login --client-id ...',
    });
    new CfnOutput(this, 'SesConfigurationSetName', {
      value: this.mailReputation.configurationSet.configurationSetName,
      description: 'Every alert and confirmation mail is sent with this configuration set',
    });
  }
}
