import type { buildApp } from 'fauxqs';

/**
 * fauxqs names queues `http://sqs.<region>.localhost:<port>/<account>/<name>`, a host that does not resolve
 * everywhere and that differs from the endpoint, so SDK clients would try to send there (useQueueUrlAsEndpoint).
 * Here queue URLs are `http://<host>:<port>/<account>/<name>` instead, the same origin as the endpoint: replies
 * are rewritten on the way out and requests mapped back on the way in. Both spellings are accepted.
 */
export function installPublicQueueUrls(
  app: ReturnType<typeof buildApp>,
  publicHost: () => string,
  defaultRegion: string,
): void {
  app.addHook('preHandler', async (request) => {
    const target = sqsAction(request.headers);
    if (target === undefined) return;
    const body = request.body as Record<string, unknown> | undefined;
    if (body === undefined || typeof body.QueueUrl !== 'string') return;
    const region = regionFromAuthorization(request.headers.authorization) ?? defaultRegion;
    body.QueueUrl = toInternal(body.QueueUrl, publicHost(), region);
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    const target = sqsAction(request.headers);
    if (target === undefined || !URL_RETURNING_ACTIONS.has(target) || typeof payload !== 'string') {
      return payload;
    }
    return payload.replace(INTERNAL_ORIGIN, `http://${publicHost()}/`);
  });
}

const URL_RETURNING_ACTIONS = new Set(['CreateQueue', 'GetQueueUrl', 'ListQueues']);
const INTERNAL_ORIGIN = /http:\/\/sqs\.[a-z0-9-]+\.localhost:[0-9]+\//g;
const CREDENTIAL_REGION = /Credential=[^/\s]+\/[0-9]{8}\/([a-z0-9-]+)\//;

function sqsAction(headers: Readonly<Record<string, unknown>>): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith('AmazonSQS.')
    ? target.slice('AmazonSQS.'.length)
    : undefined;
}

function regionFromAuthorization(header: unknown): string | undefined {
  return typeof header === 'string' ? CREDENTIAL_REGION.exec(header)?.[1] : undefined;
}

function toInternal(queueUrl: string, publicHost: string, region: string): string {
  const prefix = `http://${publicHost}/`;
  if (!queueUrl.startsWith(prefix)) return queueUrl;
  const port = publicHost.slice(publicHost.lastIndexOf(':') + 1);
  return `http://sqs.${region}.localhost:${port}/${queueUrl.slice(prefix.length)}`;
}
