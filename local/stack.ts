/**
 * The whole Wirewatch pipeline in one process: stand-ins, resources from definitions/resources.ts, example
 * subscriptions, subscription changes through the change log as in AWS (dynalite's writes fed to the real
 * change-log writer as a keys-only stream: subscription-stream.ts) and compactions on a timer, the real
 * matcher and notifier handlers behind SQS pollers, the digest handler on a timer, the drop folder and the
 * alert feed. `npm start` (start.ts) prints it; tests and the bench drive it.
 *
 * The handlers read their configuration and create their clients at import, from process.env, as in Lambda:
 * so this sets process.env first, and one process runs one stack (modules are cached after the first import).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { CHANGE_LOG_PREFIX, FUNCTION_TIMEOUTS, QUEUES, SNAPSHOT_KEY } from '../definitions/resources.ts';
import { DynamoDbSubscriptionScanner } from '../functions/adapters/dynamodb-subscription-scanner.ts';
import { S3ChangeLog } from '../functions/adapters/s3-change-log.ts';
import { S3SnapshotStore } from '../functions/adapters/s3-snapshot-store.ts';
import { errorMessage } from '../functions/core/describe-error.ts';
import { buildSnapshot, type SnapshotSummary } from '../functions/core/pipeline/build-snapshot.ts';
import { type AlertLine, startAlertFeed } from './alert-feed.ts';
import { divertHandlerLogs, type RetryLimits, readableLine } from './handler-log.ts';
import { type Inbox, startInbox } from './inbox.ts';
import { type Poller, type SqsLambdaHandler, startPoller } from './poller.ts';
import {
  localHandlerEnv,
  type ProvisionedResources,
  provisionResources,
  standinClients,
} from './provision.ts';
import { localSigningSecret } from './secret.ts';
import { seedExampleSubscriptions } from './seed.ts';
import { type StandinService, type Standins, startStandins } from './standins.ts';
import { type StreamHandler, streamFeeder } from './subscription-stream.ts';

export interface LocalStackSettings {
  /** Default: all ephemeral. */
  readonly ports?: Partial<Record<StandinService, number>>;
  /** State folder (DynamoDB, secret, SMS outbox, inbox). Absent: in memory, no inbox, a fresh secret. */
  readonly dataDir?: string;
  /**
   * Seconds before a story or alert that failed is retried. Default 5 s. The queues' visibility timeout itself is
   * this or the function timeout, whichever is longer (production: 6x the function timeout).
   */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before the dead-letter queue. Default: production (definitions/resources.ts). */
  readonly maxReceiveCount?: number;
  /** Seconds between compactions (a scan into a new snapshot); changes reach matching through the log. Default 60. */
  readonly snapshotEverySeconds?: number;
  /** Seconds between runs of the digest sender (what is due goes out). Default 30. */
  readonly digestEverySeconds?: number;
  /** Base URL for links in alerts (the local subscribe API). Default http://127.0.0.1:8080. */
  readonly publicBaseUrl?: string;
  /** Seed the example subscriptions (once per data folder). Default true. */
  readonly seed?: boolean;
  /** Concurrent batches per poller, like concurrent Lambda instances. Default 2. */
  readonly concurrency?: number;
  /** Receives one line per alert sent (e-mail, SMS, topic). */
  readonly onAlert?: (line: AlertLine) => void;
  /** Receives one line per notable event (story sent from the inbox, snapshot rebuilt, errors). */
  readonly log?: (line: string) => void;
  /**
   * Receives the handlers' notable events as readable lines (rejected story, duplicate, refused or retried
   * alert, warnings), instead of their JSON logs on stdout (handler-log.ts). Absent: the JSON logs, at WARN.
   */
  readonly onHandlerLine?: (line: string) => void;
}

export interface LocalStack {
  readonly standins: Standins;
  readonly resources: ProvisionedResources;
  /** The environment the handlers run with. */
  readonly handlerEnv: Readonly<Record<string, string>>;
  readonly inbox?: Inbox;
  readonly pollers: { readonly matcher: Poller; readonly notifier: Poller };
  /** Compacts now: scans the table into a new snapshot naming the last change-log segment (the timer does it too). */
  rebuildSnapshot(): Promise<SnapshotSummary>;
  /** Resolves once every subscription write seen so far is in the change log. */
  changesWritten(): Promise<void>;
  /** Runs the digest handler now: what is due, or with `all` every pending digest (`wirewatch digest --now`). */
  sendDigests(options?: { readonly all?: boolean }): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startLocalStack(settings: LocalStackSettings = {}): Promise<LocalStack> {
  const log = settings.log ?? (() => {});
  // The subscriptions table's stream: a batch every 200 ms (AWS: the event source's 5 s window).
  const stream = streamFeeder({ windowMs: 200, batchSize: 1000, onError: log });
  const standins = await startStandins({
    onSubscriptionWrite: (ids) => stream.push(ids),
    ...(settings.ports === undefined ? {} : { ports: settings.ports }),
    ...(settings.dataDir === undefined ? {} : { dataDir: settings.dataDir }),
  });
  // Stopping: first everything that polls or sends (together, each waits out at most one long poll), then the
  // clients and the stand-ins.
  const activities: (() => Promise<void>)[] = [() => stream.stop()];
  const cleanups: (() => Promise<void>)[] = [() => standins.stop()];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.allSettled(activities.splice(0).map((activity) => activity()));
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    })();
    return stopping;
  };
  try {
    // The queues' visibility timeout is at least the longest function timeout, so a message is never received
    // again while a handler still works on it; a story the matcher failed comes back after the short delay (the
    // notifier sets its own backoff on what it fails).
    const retryDelaySeconds = settings.visibilityTimeoutSeconds ?? 5;
    const resources = await provisionResources(standins, {
      visibilityTimeoutSeconds: Math.max(
        retryDelaySeconds,
        FUNCTION_TIMEOUTS.matcher,
        FUNCTION_TIMEOUTS.notifier,
      ),
      ...(settings.maxReceiveCount === undefined ? {} : { maxReceiveCount: settings.maxReceiveCount }),
    });
    const clients = standinClients(standins);
    cleanups.push(async () => {
      for (const client of Object.values(clients)) client.destroy();
    });
    if (settings.seed ?? true) {
      const written = await seedExampleSubscriptions(
        clients.dynamodb,
        resources.tables.subscriptions,
        settings.dataDir,
      );
      if (written > 0) log(`seeded ${written} example subscriptions (owner local-dev)`);
    }

    const documents = DynamoDBDocumentClient.from(clients.dynamodb);
    const snapshotPorts = {
      scanner: new DynamoDbSubscriptionScanner(documents, resources.tables.subscriptions),
      store: new S3SnapshotStore(clients.s3, resources.snapshotBucket, SNAPSHOT_KEY),
      changes: new S3ChangeLog(clients.s3, resources.snapshotBucket, CHANGE_LOG_PREFIX, { settleMs: 0 }),
    };
    let lastVersion = '';
    const rebuildSnapshot = async (): Promise<SnapshotSummary> => {
      const summary = await buildSnapshot(snapshotPorts);
      if (summary.version !== lastVersion) {
        log(`subscriptions snapshot: ${summary.active} active of ${summary.subscriptions}`);
        lastVersion = summary.version;
      }
      return summary;
    };
    await rebuildSnapshot();
    let rebuilding: Promise<unknown> = Promise.resolve();
    const snapshotTimer = setInterval(
      () => {
        rebuilding = rebuildSnapshot().catch((error: unknown) =>
          log(`snapshot rebuild failed: ${errorMessage(error)}`),
        );
      },
      (settings.snapshotEverySeconds ?? 60) * 1000,
    );
    activities.push(async () => {
      clearInterval(snapshotTimer);
      await rebuilding;
    });

    const signingSecret =
      settings.dataDir === undefined ? randomSecret() : await localSigningSecret(settings.dataDir);
    const handlerEnv = localHandlerEnv(standins, resources, {
      signingSecret,
      publicBaseUrl: settings.publicBaseUrl ?? 'http://127.0.0.1:8080',
      snapshotCheckSeconds: 1,
      // The lease agrees with the local visibility timeout, as DELIVERY_CLAIM_LEASE_SECONDS does in AWS.
      claimLeaseSeconds: (settings.visibilityTimeoutSeconds ?? 5) + FUNCTION_TIMEOUTS.notifier,
    });
    Object.assign(process.env, QUIET_HANDLERS, handlerEnv);
    const onHandlerLine = settings.onHandlerLine;
    if (onHandlerLine !== undefined) {
      // INFO, so that duplicates are seen; routine INFO events are dropped by readableLine.
      process.env.POWERTOOLS_LOG_LEVEL = process.env.WIREWATCH_HANDLER_LOG_LEVEL ?? 'INFO';
      const limits: RetryLimits = {
        maxReceiveCount: {
          stories: settings.maxReceiveCount ?? QUEUES.stories.maxReceiveCount,
          deliveries: settings.maxReceiveCount ?? QUEUES.deliveries.maxReceiveCount,
        },
        storyRetrySeconds: retryDelaySeconds,
      };
      const restore = divertHandlerLogs((event) => {
        const line = readableLine(event, limits);
        if (line !== undefined) onHandlerLine(line);
      });
      cleanups.push(async () => restore());
    }
    const [{ handler: matcher }, { handler: notifier }, { handler: changeLogWriter }, { handler: digests }] =
      await Promise.all([
        import('../functions/handlers/matcher.ts'),
        import('../functions/handlers/notifier.ts'),
        import('../functions/handlers/change-log-writer.ts'),
        import('../functions/handlers/digests.ts'),
      ]);
    stream.start(changeLogWriter as unknown as StreamHandler);
    // The digest sender on a timer, as the schedule runs it in AWS (one run at a time).
    let digestRun: Promise<Record<string, unknown>> = Promise.resolve({});
    const sendDigests = (options: { readonly all?: boolean } = {}) => {
      digestRun = digestRun
        .catch(() => ({}))
        .then(
          () => digests({ all: options.all === true }, digestContext()) as Promise<Record<string, unknown>>,
        );
      return digestRun;
    };
    const digestTimer = setInterval(
      () => {
        sendDigests().catch((error: unknown) => log(`digest run failed: ${errorMessage(error)}`));
      },
      (settings.digestEverySeconds ?? 30) * 1000,
    );
    activities.push(async () => {
      clearInterval(digestTimer);
      await digestRun.catch(() => undefined);
    });

    const poller = (name: string, queue: keyof ProvisionedResources['queues'], handler: SqsLambdaHandler) => {
      const started = startPoller({
        sqs: clients.sqs,
        queueUrl: resources.queues[queue].url,
        queueArn: resources.queues[queue].arn,
        handler,
        functionName: `wirewatch-${name}`,
        region: standins.region,
        concurrency: settings.concurrency ?? 2,
        timeoutMs: FUNCTION_TIMEOUTS[name === 'matcher' ? 'matcher' : 'notifier'] * 1000,
        // The notifier sets its own retry delays (backoff) on the messages it fails; the matcher does not.
        ...(name === 'matcher' ? { retryDelaySeconds } : {}),
      });
      started.on('error', (error) => log(`${name} poller: ${errorMessage(error)}`));
      started.on('batch', (report) => {
        if (report.error !== undefined)
          log(`${name} failed a batch of ${report.received}: ${errorMessage(report.error)}`);
      });
      activities.push(() => started.stop());
      return started;
    };
    const pollers = {
      matcher: poller('matcher', 'stories', matcher as SqsLambdaHandler),
      notifier: poller('notifier', 'deliveries', notifier as SqsLambdaHandler),
    };

    if (settings.onAlert !== undefined) {
      const feed = await startAlertFeed({
        standins,
        sqs: clients.sqs,
        sns: clients.sns,
        alertsTopicArn: resources.alertsTopicArn,
        onAlert: settings.onAlert,
      });
      activities.push(() => feed.stop());
    }

    let inbox: Inbox | undefined;
    if (settings.dataDir !== undefined) {
      const started = await startInbox({
        dir: join(settings.dataDir, 'inbox'),
        sqs: clients.sqs,
        queueUrl: resources.queues.stories.url,
        onSent: (file, id) => log(`inbox: sent ${file} (message ${id})`),
        onRejected: (file, reason) => log(`inbox: did not send ${file}: ${reason}`),
      });
      activities.push(() => started.stop());
      inbox = started;
    }

    return {
      standins,
      resources,
      handlerEnv,
      ...(inbox === undefined ? {} : { inbox }),
      pollers,
      rebuildSnapshot,
      changesWritten: () => stream.flushed(),
      sendDigests,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Handler logs at WARN and no EMF metric lines, so the terminal shows alerts, not JSON. No tracing (there is
 * no X-Ray here): the X-Ray SDK under the Powertools tracer runs in manual mode, which spares it the async
 * hooks it would otherwise put on every promise in the process (about a tenth of the local pipeline's CPU).
 */
const QUIET_HANDLERS = {
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_XRAY_MANUAL_MODE: 'true',
};

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/** The Lambda context the local digest runs get (the handler reads nothing from it but names). */
function digestContext(): Context {
  return {
    functionName: 'wirewatch-digests',
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => FUNCTION_TIMEOUTS.digests * 1000,
  } as unknown as Context;
}
