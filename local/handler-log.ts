/**
 * The terminal of `npm start` tells the story in one line per event: the handlers log JSON (Powertools, as in
 * Lambda), and here those lines are taken off stdout/stderr and turned into readable ones: a story rejected with
 * its reason and what happens next, a duplicate not sent again, an alert refused or retried, and anything else at
 * WARN or above. Lines that are not handler logs pass through untouched.
 */

export interface HandlerLogEvent {
  readonly level: string;
  readonly message: string;
  readonly functionName: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface RetryLimits {
  /** Receives before each queue's dead-letter queue. */
  readonly maxReceiveCount: { readonly stories: number; readonly deliveries: number };
  /** Seconds before a rejected story is tried again. */
  readonly storyRetrySeconds: number;
}

type Write = typeof process.stdout.write;

/** Diverts handler log lines written to stdout or stderr to `onEvent`; returns the function that undoes it. */
export function divertHandlerLogs(onEvent: (event: HandlerLogEvent) => void): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index] as Write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const event = typeof chunk === 'string' ? handlerLogEvent(chunk) : undefined;
      const noise = typeof chunk === 'string' && isHandlerNoise(chunk);
      if (event === undefined && !noise) {
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      }
      if (event !== undefined) onEvent(event);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as Write;
  });
  return () => {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as Write;
    });
  };
}

/** Plain-text warnings of the handlers' libraries that say nothing locally (metrics are off here). */
export function isHandlerNoise(line: string): boolean {
  return line.startsWith('No application metrics to publish.');
}

/** A Powertools JSON log line of a handler, or undefined for anything else. */
export function handlerLogEvent(line: string): HandlerLogEvent | undefined {
  if (!line.startsWith('{"level":')) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { level, message, function_name: functionName } = record;
  if (typeof level !== 'string' || typeof message !== 'string' || typeof functionName !== 'string')
    return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!LAMBDA_KEYS.has(key)) fields[key] = value;
  return { level, message, functionName: functionName.replace(/^wirewatch-/, ''), fields };
}

const LAMBDA_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** One readable line for the terminal, or undefined for routine events (a story matched, an alert sent). */
export function readableLine(event: HandlerLogEvent, limits: RetryLimits): string | undefined {
  const f = event.fields;
  const text = (key: string) => oneLine(String(f[key] ?? '?'));
  const attempt = Number(f.receiveCount);
  switch (event.message) {
    case 'Story rejected': {
      const max = limits.maxReceiveCount.stories;
      const next =
        attempt >= max
          ? 'moved to the stories dead-letter queue (npm run --silent wirewatch -- dlq)'
          : `tried again in ${limits.storyRetrySeconds} s`;
      return `REJECTED   story in message ${text('messageId')} (attempt ${attempt} of ${max}): ${text('reason')}; ${next}`;
    }
    case 'Alert already sent':
      return `DUPLICATE  ${text('channel')} for ${text('subscriptionId')}: story ${text('storyId')} was already alerted; not sent again`;
    case 'Destination suppressed':
      return `SUPPRESSED ${text('channel')} for ${text('subscriptionId')}: story ${text('storyId')} not sent (address or number opted out)`;
    case 'Alert refused for good':
      return `REFUSED    ${text('channel')} for ${text('subscriptionId')}: story ${text('storyId')}: ${text('reason')}`;
    case 'Alert not sent; will retry': {
      const max = limits.maxReceiveCount.deliveries;
      const next =
        attempt >= max
          ? 'moved to the deliveries dead-letter queue (npm run --silent wirewatch -- dlq --queue deliveries)'
          : `tried again in ${text('retryInSeconds')} s`;
      return `RETRY      ${text('channel')} for ${text('subscriptionId')}: story ${text('storyId')} (attempt ${attempt} of ${max}): ${text('error')}; ${next}`;
    }
    default: {
      if (event.level === 'INFO' || event.level === 'DEBUG' || event.level === 'TRACE') return undefined;
      const details = Object.entries(f)
        .map(([key, value]) => `${key}=${oneLine(typeof value === 'string' ? value : JSON.stringify(value))}`)
        .join(' ');
      return `${event.level.padEnd(10)} ${event.functionName}: ${event.message}${details === '' ? '' : ` (${details})`}`;
    }
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
