export interface BackoffOptions {
  /** Delay before the first retry, seconds. Default 30. */
  readonly baseSeconds?: number;
  /** Longest delay, seconds (SQS allows up to 12 hours). Default 900. */
  readonly maxSeconds?: number;
}

/**
 * Seconds to wait before delivery attempt `receiveCount + 1`: exponential (30, 60, 120 ... up to 900 s by
 * default) with "equal jitter" (half fixed, half random) so that jobs throttled together do not all come
 * back together.
 */
export function retryDelaySeconds(
  receiveCount: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseSeconds ?? 30;
  const max = options.maxSeconds ?? 900;
  const attempt = Number.isFinite(receiveCount) && receiveCount >= 1 ? Math.floor(receiveCount) : 1;
  const exponential = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  return Math.max(1, Math.round(exponential / 2 + (random() * exponential) / 2));
}
