/**
 * The one definition of Wirewatch's stateful resources and of the environment each function reads.
 * The CDK stateful stack and the local stack (`npm start`) both build from it, so they cannot drift.
 * No CDK imports here: the runtime (functions/) and the local stack load this file without aws-cdk-lib.
 */

export interface QueueDefinition {
  /** Logical name; also the local queue name. */
  readonly name: string;
  /** Seconds. Lambda's rule: at least 6x the consuming function's timeout. */
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  /** Receives before a message moves to the dead-letter queue (AWS recommends >= 5). */
  readonly maxReceiveCount: number;
  readonly maxMessageSizeBytes: number;
  readonly deadLetterRetentionSeconds: number;
}

export interface TableDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attribute holding the expiry time (epoch seconds) for DynamoDB TTL. */
  readonly timeToLiveAttribute?: string;
  readonly globalIndexes: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }[];
}

const MiB = 1024 * 1024;
const DAY = 24 * 60 * 60;

/** Function timeouts in seconds; queue visibility timeouts derive from them. */
export const FUNCTION_TIMEOUTS = {
  matcher: 30,
  notifier: 20,
  snapshotBuilder: 120,
  /** Writes one change-log segment a stream batch; the first one of a new deployment also builds the base. */
  changeLogWriter: 120,
  api: 10,
  digests: 300,
} as const;

export const QUEUES = {
  /** Producers send raw wire stories here (any supported format) as message bodies. */
  stories: {
    name: 'stories',
    visibilityTimeoutSeconds: 6 * FUNCTION_TIMEOUTS.matcher,
    retentionSeconds: 4 * DAY,
    maxReceiveCount: 5,
    maxMessageSizeBytes: MiB,
    deadLetterRetentionSeconds: 14 * DAY,
  },
  /** A story's alerts (functions/core/deliveries/codec.ts): the story once, up to 50 deliveries a message. */
  deliveries: {
    name: 'deliveries',
    visibilityTimeoutSeconds: 6 * FUNCTION_TIMEOUTS.notifier,
    retentionSeconds: 4 * DAY,
    maxReceiveCount: 8,
    maxMessageSizeBytes: MiB,
    deadLetterRetentionSeconds: 14 * DAY,
  },
} as const satisfies Record<string, QueueDefinition>;

/**
 * How long a delivery claim blocks other copies of its alert. Longer than the deliveries queue's visibility
 * timeout plus the notifier's timeout, so that a copy of the message coming back while its first worker still
 * runs (or stalls) never takes the claim over; after a crash the alert goes out once the lease has run out.
 */
export const DELIVERY_CLAIM_LEASE_SECONDS =
  QUEUES.deliveries.visibilityTimeoutSeconds + FUNCTION_TIMEOUTS.notifier;

/** A digest's claim outlasts the digest sender's run, so that only a dead run's digests are taken over. */
export const DIGEST_CLAIM_LEASE_SECONDS = FUNCTION_TIMEOUTS.digests + 60;
/** How often the digest sender looks for due digests (EventBridge rule; the local stack's timer too). */
export const DIGEST_SCHEDULE_MINUTES = 5;

export const TABLES = {
  /** Subscriptions by id; `byOwner` lists a user's own. */
  subscriptions: {
    name: 'subscriptions',
    partitionKey: 'id',
    globalIndexes: [{ name: 'byOwner', partitionKey: 'owner', sortKey: 'createdAt' }],
  },
  /**
   * Delivery claims (idempotency), suppressed destinations, confirmations and rate-limit counters,
   * keyed by `pk` with a prefix per kind; claims expire by TTL.
   */
  ledger: {
    name: 'ledger',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAt',
    globalIndexes: [],
  },
  /**
   * Alerts held for a digest (quiet hours, throttle, a digest cadence): a window item per subscription, channel
   * and due time, and its alerts in the same partition; `byDue` finds the windows due (adapters/dynamodb-digests.ts).
   */
  digests: {
    name: 'digests',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    globalIndexes: [{ name: 'byDue', partitionKey: 'dueShard', sortKey: 'dueAt' }],
  },
} as const satisfies Record<string, TableDefinition>;

export const TOPICS = {
  /** The alerts of subscriptions that chose it (`sns: true`) as JSON, with String attributes for filter policies. */
  alerts: { name: 'alerts' },
} as const;

export const BUCKETS = {
  /** The compiled-subscriptions snapshot the matcher loads (see SNAPSHOT_KEY). */
  snapshots: { name: 'snapshots' },
} as const;

/** Object key of the subscriptions snapshot in the snapshots bucket. */
export const SNAPSHOT_KEY = 'subscriptions/snapshot.json.gz';

/**
 * Prefix of the subscriptions' change log in the snapshots bucket: one segment per stream batch, written by
 * the change-log writer, read by every matcher (functions/adapters/s3-change-log.ts). Segments expire after
 * CHANGE_LOG_DAYS; the hourly compaction folds them into the snapshot long before.
 */
export const CHANGE_LOG_PREFIX = 'subscriptions/changes/';
export const CHANGE_LOG_DAYS = 7;

/**
 * Prefix of recent parsed stories in the snapshots bucket (written by the matcher, read by the subscribe API to
 * preview a query). Keys sort newest first: `${RECENT_STORIES_PREFIX}${inverted-epoch-ms}-${storyId}.json`;
 * a lifecycle rule expires them after RECENT_STORIES_DAYS.
 */
export const RECENT_STORIES_PREFIX = 'recent-stories/';
export const RECENT_STORIES_DAYS = 3;

/** Environment variable names, one place for the stacks, the handlers and the local stack. */
export const ENV = {
  subscriptionsTable: 'SUBSCRIPTIONS_TABLE_NAME',
  ledgerTable: 'LEDGER_TABLE_NAME',
  /** Pending digest alerts (notifier, digest sender). */
  digestsTable: 'DIGESTS_TABLE_NAME',
  snapshotBucket: 'SNAPSHOT_BUCKET_NAME',
  deliveriesQueueUrl: 'DELIVERIES_QUEUE_URL',
  /** Where the notifier records alerts SES refused for good, for the operator to redrive once fixed. */
  deliveriesDeadLetterQueueUrl: 'DELIVERIES_DEAD_LETTER_QUEUE_URL',
  alertsTopicArn: 'ALERTS_TOPIC_ARN',
  senderAddress: 'SENDER_ADDRESS',
  /** SES configuration set to pass to SendEmail; set only when one is configured (optional). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Public base URL of the HTTP API, for unsubscribe and confirmation links. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** HMAC key for signed links, given directly (local stack) ... */
  signingSecret: 'SIGNING_SECRET',
  /** ... or as a Secrets Manager secret ARN (AWS), read once at cold start. */
  signingSecretArn: 'SIGNING_SECRET_ARN',
  /** Comma-separated ISO 3166 countries SMS may go to, e.g. `US,CA,GB`. */
  allowedSmsCountries: 'ALLOWED_SMS_COUNTRIES',
  /** Seconds between the matcher's checks of the change log (default 10). */
  snapshotCheckSeconds: 'SNAPSHOT_CHECK_SECONDS',
  /**
   * Milliseconds within which a change-log segment is visible after its key's time (default 5000; the matcher
   * and the change-log writer must agree). The local stack has one writer and sets 0.
   */
  changeLogSettleMs: 'CHANGE_LOG_SETTLE_MS',
  /** Matches of one deliveries message the notifier claims and sends at once (default 8). */
  deliveryConcurrency: 'DELIVERY_CONCURRENCY',
  /** Seconds a delivery claim blocks other copies (default DELIVERY_CLAIM_LEASE_SECONDS; the local stack's is shorter). */
  claimLeaseSeconds: 'CLAIM_LEASE_SECONDS',
  /** Base URL of the sign-in domain (authorize, token, logout endpoints) the page signs in with. API only, optional. */
  webAuthUrl: 'WEB_AUTH_URL',
  /** The page's OAuth client id at that domain. API only; required with WEB_AUTH_URL. */
  webClientId: 'WEB_CLIENT_ID',
  /** Subscriptions one user may have. API only, optional, default 50. */
  maxSubscriptionsPerUser: 'MAX_SUBSCRIPTIONS_PER_USER',
  /** Registered origination number (E.164) or short code SMS are sent from; optional. */
  smsOriginationNumber: 'SMS_ORIGINATION_NUMBER',
} as const;

/**
 * The Powertools (EMF) metrics the handlers emit, all in namespace `METRICS.namespace`; the CloudWatch dashboard
 * graphs them by these names. Powertools adds a `service` dimension; `AlertsSent` also has `channel`.
 */
export const METRICS = {
  namespace: 'Wirewatch',
  /** Count: stories parsed into a Story. */
  storiesParsed: 'StoriesParsed',
  /** Count: stories refused (StoryParseError, too large, unknown format). */
  storiesRejected: 'StoriesRejected',
  /** Count: (story, subscription) matches. */
  matches: 'Matches',
  /** Count, dimension `channel` (email, sms, sns): alerts handed to SES / SNS. */
  alertsSent: 'AlertsSent',
  /** Count: deliveries (one alert on one channel) the notifier received (sent, duplicate, suppressed or failed). */
  deliveryJobs: 'DeliveryJobs',
  /** Count: deliveries-queue messages the notifier received (each holds the jobs of one story). */
  deliveryMessages: 'DeliveryMessages',
  /** Count: deliveries that failed (transient or permanent). */
  deliveryFailures: 'DeliveryFailures',
  /** Count: e-mail alerts SES refused for good (MessageRejected, ...), recorded in the deliveries DLQ. */
  emailRejected: 'EmailRejected',
  /** Count: alerts sent whose claims could not be settled, and were queued to be settled later. */
  unsettledAlerts: 'UnsettledAlerts',
  /** Milliseconds: matching one story against the compiled index. */
  matchLatency: 'MatchLatency',
  /** Count: subscriptions in the snapshot just built. */
  snapshotSubscriptions: 'SnapshotSubscriptions',
  /** Milliseconds: scanning the table and writing the snapshot. */
  snapshotBuildTime: 'SnapshotBuildTime',
  /** Count: subscription changes written to the change log (one segment per stream batch). */
  subscriptionChanges: 'SubscriptionChanges',
  /** Count, dimension `event` (bounce, complaint, delivery, reject): recipients of SES sending events. */
  mailEvents: 'MailEvents',
  /** Count: addresses suppressed after a hard bounce or a complaint. */
  addressesSuppressed: 'AddressesSuppressed',
  /** Count: digests sent (e-mail or SMS), and the alerts in them. */
  digestsSent: 'DigestsSent',
  digestAlerts: 'DigestAlerts',
  /** Count: digests that failed and wait for the next run. */
  digestFailures: 'DigestFailures',
} as const;
