import { ENV } from '../../infra/definitions.ts';
import { parseAllowedCountries } from '../core/subscriptions/input.ts';

/** Settings only the subscription API reads (beside the shared `ENV` names). */
export const API_ENV = {
  /** Base URL of the sign-in domain (authorize, token, logout endpoints) the page signs in with. Optional. */
  webAuthUrl: 'WEB_AUTH_URL',
  /** The page's OAuth client id at that domain; required with WEB_AUTH_URL. */
  webClientId: 'WEB_CLIENT_ID',
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
  /** Registered number or short code confirmation SMS are sent from; undefined: SNS picks. */
  readonly smsOriginationNumber?: string | undefined;
  /** The page's sign-in: OAuth 2.0 code flow with PKCE at `authUrl` (absent: token paste only). */
  readonly webSignIn?: { readonly authUrl: string; readonly clientId: string } | undefined;
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
  const smsOriginationNumber = optional(ENV.smsOriginationNumber);
  if (
    smsOriginationNumber !== undefined &&
    !/^\+[1-9][0-9]{6,14}$/.test(smsOriginationNumber) &&
    !/^[0-9]{4,7}$/.test(smsOriginationNumber)
  ) {
    problems.push(
      `${ENV.smsOriginationNumber} must be an E.164 number or a short code, not '${smsOriginationNumber}'`,
    );
  }
  const webAuthUrl = optional(API_ENV.webAuthUrl);
  const webClientId = optional(API_ENV.webClientId);
  if (webAuthUrl !== undefined && !isHttpUrl(webAuthUrl)) {
    problems.push(
      `${API_ENV.webAuthUrl} must be an http(s) URL without query or fragment, not '${webAuthUrl}'`,
    );
  }
  if ((webAuthUrl === undefined) !== (webClientId === undefined)) {
    problems.push(`${API_ENV.webAuthUrl} and ${API_ENV.webClientId} go together: set both or neither`);
  }
  if (webClientId !== undefined && !/^[\w.-]{1,128}$/.test(webClientId)) {
    problems.push(
      `${API_ENV.webClientId} must be an app client id (letters, digits, ".", "-", "_"), not '${webClientId}'`,
    );
  }
  const config: ApiConfig = {
    subscriptionsTable,
    ledgerTable,
    snapshotBucket: optional(ENV.snapshotBucket),
    senderAddress,
    sesConfigurationSet: optional(ENV.sesConfigurationSet),
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    allowedSmsCountries,
    smsOriginationNumber,
    webSignIn:
      webAuthUrl === undefined || webClientId === undefined
        ? undefined
        : { authUrl: webAuthUrl.replace(/\/+$/, ''), clientId: webClientId },
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
