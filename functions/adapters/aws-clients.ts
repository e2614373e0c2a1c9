/**
 * The one way Wirewatch makes AWS SDK v3 clients, for the handlers, the subscription API and the local stack:
 * region and endpoint (explicit, or `AWS_ENDPOINT_URL_<SERVICE>` as the local stack sets), path-style S3 and
 * endpoint-based SQS against a custom endpoint, dummy credentials for the stand-ins, timeouts, and tracing.
 * The client class is passed in, so that a bundle holds only the SDKs its function uses.
 */

type Env = Readonly<Record<string, string | undefined>>;

export type AwsService = 'DYNAMODB' | 'S3' | 'SQS' | 'SNS' | 'SESV2';

/**
 * Every request has a connection timeout and a request timeout (an error, not only the SDK's warning), so that
 * one stalled request costs seconds and is retried (the SDK's default 3 attempts, or AWS_MAX_ATTEMPTS) rather
 * than holding the whole invocation: 5 s, well under the notifier's 20 s timeout. S3 gets longer: the matcher
 * reads a snapshot of up to tens of MiB.
 */
export const CLIENT_TIMEOUTS = { connectionMs: 3000, requestMs: 5000, s3RequestMs: 30_000 } as const;

export interface ClientSetup {
  /** Where `AWS_ENDPOINT_URL_*`, `AWS_REGION` and (with an endpoint) dummy credentials come from. */
  readonly env?: Env;
  /** An endpoint to use whatever the environment says (the local stack's own clients). */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Powertools Tracer (or anything that wraps a client for tracing). */
  readonly tracer?: { captureAWSv3Client<T>(client: T): T };
}

export interface ClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  useQueueUrlAsEndpoint?: boolean;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/** The configuration of a client for `service`; exported for tests. */
export function clientConfig(service: AwsService, setup: ClientSetup = {}): ClientConfig {
  const env = setup.env ?? process.env;
  const endpoint =
    setup.endpoint ?? (env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined);
  const region = setup.region ?? env.AWS_REGION;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  const credentials =
    setup.credentials ??
    (endpoint !== undefined && accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey }
      : undefined);
  return {
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials: { ...credentials } }),
    // S3 stand-ins serve buckets by path, not by `<bucket>.<host>` names (AWS serves both).
    ...(service === 'S3' && endpoint !== undefined ? { forcePathStyle: true } : {}),
    // Against a custom endpoint, queue URLs may name hosts that do not resolve: send to the endpoint.
    ...(service === 'SQS' && endpoint !== undefined ? { useQueueUrlAsEndpoint: false } : {}),
    requestHandler: {
      connectionTimeout: CLIENT_TIMEOUTS.connectionMs,
      requestTimeout: service === 'S3' ? CLIENT_TIMEOUTS.s3RequestMs : CLIENT_TIMEOUTS.requestMs,
      throwOnRequestTimeout: true,
    },
  };
}

/** A client of `Client` (e.g. SQSClient) for `service`, configured as `clientConfig` says and traced. */
export function createAwsClient<C>(
  Client: new (config: ClientConfig) => C,
  service: AwsService,
  setup: ClientSetup = {},
): C {
  const client = new Client(clientConfig(service, setup));
  return setup.tracer === undefined ? client : setup.tracer.captureAWSv3Client(client);
}
