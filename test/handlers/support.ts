import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { type LocalSettings, localHandlerEnv } from '../../local/provision.ts';
import type { LocalAws } from '../adapters/support.ts';
import { SECRET } from '../core/alerts/factories.ts';

/**
 * Powertools logs (stdout; warnings and errors on stderr) and EMF metrics (stdout) are JSON lines; this keeps
 * them for assertions, and keeps test output quiet.
 */
export function captureOutput() {
  const lines: Record<string, unknown>[] = [];
  const keep = (chunk: string | Uint8Array): boolean => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() === '') continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
  ];
  return {
    lines,
    /** Log entries with this message. */
    logs: (message: string) => lines.filter((line) => line.message === message),
    /** The sum of a metric's values over every EMF line flushed so far. */
    metric: (name: string) =>
      lines
        .filter((line) => '_aws' in line && name in line)
        .reduce((sum, line) => {
          const value = line[name];
          return (
            sum + (Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : Number(value))
          );
        }, 0),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** Sets environment variables, returning a function that puts the previous values back. */
export function setEnv(values: Readonly<Record<string, string | undefined>>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}

/**
 * Gives the handlers the environment the local stack gives them, for the stand-ins of `aws` (`settings` over
 * the test defaults, then `env`), with Powertools' service name left to each handler. Returns the restore.
 */
export function setLocalHandlerEnv(
  aws: LocalAws,
  settings: Partial<LocalSettings> = {},
  env: Readonly<Record<string, string | undefined>> = {},
): () => void {
  return setEnv({
    ...localHandlerEnv(aws.standins, aws.resources, {
      signingSecret: SECRET,
      publicBaseUrl: 'https://alerts.example.com',
      ...settings,
    }),
    POWERTOOLS_SERVICE_NAME: undefined,
    ...env,
  });
}

/**
 * A proxy to the DynamoDB stand-in: counts the requests by operation (X-Amz-Target), answers the `refuse`
 * operation with a 500 error (an injected fault), and forwards everything else.
 */
export async function startDynamoDbProxy(
  target: string,
  options: { readonly refuse?: string } = {},
): Promise<{ readonly url: string; readonly counts: Map<string, number>; close(): Promise<void> }> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server: Server = createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    if (operation === options.refuse) {
      request.resume();
      response.writeHead(500, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-ErrorType': 'InternalServerError',
      });
      response.end(JSON.stringify({ message: 'injected fault' }));
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
