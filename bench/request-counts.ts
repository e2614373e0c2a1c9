/**
 * Requests the in-process stand-ins receive, by operation, counted on the server side: whatever SDK client sent
 * them (the handlers make their own at module level), with no hook in the code measured. DynamoDB and SQS name
 * the operation in `X-Amz-Target`; SES by its path; SNS (form-encoded) by its `Action` field when it is one.
 */
import { type IncomingMessage, Server } from 'node:http';

const counts = new Map<string, number>();
let installed = false;

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [service, operation] = target.split('.');
    return `${service?.startsWith('DynamoDB') ? 'DynamoDB' : 'SQS'} ${operation ?? target}`;
  }
  const path = (request.url ?? '').split('?')[0] ?? '';
  if (path.startsWith('/v2/email/outbound-emails')) return 'SES SendEmail';
  return `other ${request.method} ${path}`;
}

/** Starts counting every request any `node:http` server in this process receives (once per process). */
export function countStandinRequests(): void {
  if (installed) return;
  installed = true;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const operation = operationOf(args[0] as IncomingMessage);
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

/** The counts so far (a copy): subtract two of them to count a phase. */
export function requestCounts(): ReadonlyMap<string, number> {
  return new Map(counts);
}

/** `after - before`, per operation, without the zeros, largest first. */
export function countsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): [string, number][] {
  return [...after]
    .map(([operation, count]): [string, number] => [operation, count - (before.get(operation) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
}
