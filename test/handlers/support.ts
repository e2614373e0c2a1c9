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
