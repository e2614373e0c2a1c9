import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { storedToken } from '../cli/credentials.ts';

/**
 * A small client of the subscription API for the CLI: where the API is (`--endpoint`, WIREWATCH_API_URL, or
 * the local stack), which token to send (`--token`, WIREWATCH_TOKEN, or the local dev token file), and
 * API errors turned into one line.
 */
export const LOCAL_API_URL = 'http://127.0.0.1:8080';
/** The local stack's development token: `<data folder>/dev-token` (WIREWATCH_DATA_DIR, default `.wirewatch`). */
export function devTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.WIREWATCH_DATA_DIR ?? '.wirewatch'}/dev-token`;
}

export interface ClientOptions {
  readonly endpoint?: string | undefined;
  readonly token?: string | undefined;
}

export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
}

export class ApiClient {
  private constructor(
    readonly endpoint: string,
    private readonly token: string,
  ) {}

  static async create(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): Promise<ApiClient> {
    const endpoint = (options.endpoint ?? env.WIREWATCH_API_URL ?? LOCAL_API_URL).replace(/\/+$/, '');
    try {
      const url = new URL(endpoint);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new ApiClientError(`--endpoint '${endpoint}' is not an http(s) URL (e.g. ${LOCAL_API_URL}).`);
    }
    let token = options.token ?? env.WIREWATCH_TOKEN;
    if (token === undefined || token === '') {
      // `wirewatch login` stored one for this endpoint?
      const stored = await storedToken(endpoint, env);
      if (stored !== undefined && 'expired' in stored) {
        throw new ApiClientError(
          `The token 'wirewatch login' stored for ${endpoint} expired at ${stored.expired}: run wirewatch login again.`,
        );
      }
      token = stored?.token;
    }
    if (token === undefined || token === '') {
      try {
        token = (await readFile(resolve(devTokenFile(env)), 'utf8')).trim();
      } catch {
        throw new ApiClientError(
          `No token: pass --token T or set WIREWATCH_TOKEN (on the local stack, 'npm start' writes ${devTokenFile(env)}).`,
        );
      }
    }
    return new ApiClient(endpoint, token);
  }

  /** Calls the API; resolves with the JSON answer of a 2xx, or throws ApiClientError with a one-line message. */
  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.endpoint}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ApiClientError(
        `Cannot reach the API at ${this.endpoint} (${reason}): is 'npm start' running, or is --endpoint right?`,
      );
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!response.ok) throw new ApiClientError(describeError(response.status, data));
    return data;
  }
}

function describeError(status: number, data: unknown): string {
  const error = (
    data as { error?: { code?: unknown; message?: unknown; field?: unknown; position?: unknown } }
  )?.error;
  const message =
    typeof error?.message === 'string' ? error.message : (data as { message?: unknown })?.message;
  const parts = [`HTTP ${status}`];
  if (typeof error?.code === 'string') parts.push(error.code);
  if (typeof error?.field === 'string' && error.field !== '') parts.push(`field ${error.field}`);
  if (typeof error?.position === 'number') parts.push(`position ${error.position}`);
  const text = typeof message === 'string' ? message : 'the API refused the request';
  return `${text} (${parts.join(', ')})`.replace(/[\r\n]+/g, ' ');
}
