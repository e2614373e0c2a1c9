/**
 * AWS SDK v3 client options. Endpoints come from the environment by themselves (`AWS_ENDPOINT_URL_<SERVICE>`,
 * how the local stack points clients at its stand-ins); only two options depend on whether one is set.
 */

type Env = Readonly<Record<string, string | undefined>>;

function customEndpoint(env: Env, service: string): boolean {
  return Boolean(env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL);
}

/**
 * S3 stand-ins serve buckets by path, not by `<bucket>.<host>` names; AWS serves both, and virtual-hosted
 * names are its default, so path style is used only against a custom endpoint.
 */
export function s3ClientOptions(env: Env = process.env): { forcePathStyle?: boolean } {
  return customEndpoint(env, 'S3') ? { forcePathStyle: true } : {};
}

/**
 * The SQS client sends to the host of a request's queue URL by default. In AWS that is right; against a
 * custom endpoint the queue URLs may name hosts that do not resolve, so the endpoint is used instead.
 */
export function sqsClientOptions(env: Env = process.env): { useQueueUrlAsEndpoint?: boolean } {
  return customEndpoint(env, 'SQS') ? { useQueueUrlAsEndpoint: false } : {};
}
