import { ENV } from '../../infra/definitions.ts';
import { parseAllowedCountries } from '../core/subscriptions/input.ts';

/** Settings only the subscription API reads (beside the shared `ENV` names). */
export const API_ENV = {
  /** Link for the page's "Sign in" (e.g. the Cognito hosted UI authorize URL). Optional. */
  webSignInUrl: 'WEB_SIGN_IN_URL',
  /** Subscriptions one user may have. Optional, default 50. */
  maxSubscriptionsPerUser: 'MAX_SUBSCRIPTIONS_PER_USER',
} as const;

export interface ApiConfig {
  readonly subscriptionsTable: string;
  readonly ledgerTable: string;
  /** Bucket with recent stories for previews; absent = validation without preview. */
  readonly snapshotBucket?: string | undefined;
  readonly senderAddress: string;
  readonly sesConfigurationSet?: string | undefined;
  readonly publicBaseUrl: string;
  readonly allowedSmsCountries: readonly string[];
  readonly webSignInUrl?: string | undefined;
  readonly maxSubscriptionsPerUser?: number | undefined;
}

/** Reads and checks the environment at cold start; one error lists every problem and how to fix it. */
export function readApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') {
      problems.push(`${name} is not set`);
      return '';
    }
    return value;
  };
  const optional = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const subscriptionsTable = required(ENV.subscriptionsTable);
  const ledgerTable = required(ENV.ledgerTable);
  const senderAddress = required(ENV.senderAddress);
  const publicBaseUrl = required(ENV.publicBaseUrl);
  if (publicBaseUrl !== '' && !isHttpUrl(publicBaseUrl)) {
    problems.push(
      `${ENV.publicBaseUrl} must be an http(s) URL without query or fragment, not '${publicBaseUrl}'`,
    );
  }
  if (optional(ENV.signingSecret) === undefined && optional(ENV.signingSecretArn) === undefined) {
    problems.push(`neither ${ENV.signingSecret} nor ${ENV.signingSecretArn} is set`);
  }
  let allowedSmsCountries: readonly string[] = [];
  try {
    allowedSmsCountries = parseAllowedCountries(env[ENV.allowedSmsCountries]);
  } catch (error) {
    problems.push(`${ENV.allowedSmsCountries}: ${(error as Error).message}`);
  }
  const maxText = optional(API_ENV.maxSubscriptionsPerUser);
  const maxSubscriptionsPerUser = maxText === undefined ? undefined : Number(maxText);
  if (
    maxSubscriptionsPerUser !== undefined &&
    !(Number.isInteger(maxSubscriptionsPerUser) && maxSubscriptionsPerUser > 0)
  ) {
    problems.push(`${API_ENV.maxSubscriptionsPerUser} must be a positive whole number, not '${maxText}'`);
  }
  const webSignInUrl = optional(API_ENV.webSignInUrl);
  if (webSignInUrl !== undefined && !isHttpUrl(webSignInUrl, true)) {
    problems.push(`${API_ENV.webSignInUrl} must be an http(s) URL, not '${webSignInUrl}'`);
  }
  const config: ApiConfig = {
    subscriptionsTable,
    ledgerTable,
    snapshotBucket: optional(ENV.snapshotBucket),
    senderAddress,
    sesConfigurationSet: optional(ENV.sesConfigurationSet),
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    allowedSmsCountries,
    webSignInUrl,
    maxSubscriptionsPerUser,
  };
  if (problems.length > 0) {
    throw new Error(
      `The subscription API cannot start: ${problems.join('; ')}. Set these in the function's environment ` +
        '(the SubscriptionApi construct does; locally, startApiServer does).',
    );
  }
  return config;
}

function isHttpUrl(value: string, allowQuery = false): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      (allowQuery || (url.search === '' && url.hash === ''))
    );
  } catch {
    return false;
  }
}
