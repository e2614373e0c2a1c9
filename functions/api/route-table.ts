/**
 * Every route of the subscription API, as data: the router binds handlers to these names, the CDK construct
 * creates one API Gateway route per entry (with the JWT authorizer on `user` routes), and the local API
 * server checks the development JWT on the same ones. Paths use API Gateway's `{param}` syntax.
 *
 * - `user`: needs a signed-in user (JWT `sub` = owner).
 * - `public`: signed links from e-mails (the token is the credential), the page and its assets.
 * - `local`: only on the local stack (in AWS, inbound SMS arrive through SNS, not HTTP).
 */
export type RouteAccess = 'user' | 'public' | 'local';

export interface RouteDefinition {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly access: RouteAccess;
}

export const ROUTES = [
  { name: 'webPage', method: 'GET', path: '/', access: 'public' },
  { name: 'webScript', method: 'GET', path: '/app.js', access: 'public' },
  { name: 'webStyle', method: 'GET', path: '/app.css', access: 'public' },
  { name: 'listSubscriptions', method: 'GET', path: '/subscriptions', access: 'user' },
  { name: 'createSubscription', method: 'POST', path: '/subscriptions', access: 'user' },
  { name: 'getSubscription', method: 'GET', path: '/subscriptions/{id}', access: 'user' },
  { name: 'updateSubscription', method: 'PATCH', path: '/subscriptions/{id}', access: 'user' },
  { name: 'deleteSubscription', method: 'DELETE', path: '/subscriptions/{id}', access: 'user' },
  { name: 'pauseSubscription', method: 'POST', path: '/subscriptions/{id}/pause', access: 'user' },
  { name: 'resumeSubscription', method: 'POST', path: '/subscriptions/{id}/resume', access: 'user' },
  { name: 'confirmSms', method: 'POST', path: '/subscriptions/{id}/channels/sms/confirm', access: 'user' },
  {
    name: 'resendConfirmation',
    method: 'POST',
    path: '/subscriptions/{id}/channels/{channel}/resend',
    access: 'user',
  },
  { name: 'validateQuery', method: 'POST', path: '/queries/validate', access: 'user' },
  { name: 'confirmPage', method: 'GET', path: '/confirm', access: 'public' },
  { name: 'confirmEmail', method: 'POST', path: '/confirm', access: 'public' },
  { name: 'unsubscribePage', method: 'GET', path: '/unsubscribe', access: 'public' },
  { name: 'unsubscribe', method: 'POST', path: '/unsubscribe', access: 'public' },
  { name: 'smsInbound', method: 'POST', path: '/sms/inbound', access: 'local' },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof ROUTES)[number];
export type RouteName = Route['name'];

export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Finds the route of a method and path: `{ match }`, or `{ allowed }` (the methods the path has, empty when the
 * path is unknown). Segment by segment, no regular expressions.
 */
export function findRoute(
  method: string,
  path: string,
): { readonly match: RouteMatch } | { readonly allowed: readonly string[] } {
  const segments = splitPath(path);
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const params = matchSegments(splitPath(route.path), segments);
    if (params === undefined) continue;
    if (route.method === method) return { match: { route, params } };
    allowed.push(route.method);
  }
  return { allowed };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

const MAX_PARAM_CHARS = 128;

function matchSegments(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const actual = segments[i] ?? '';
    if (expected.startsWith('{') && expected.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
      if (value.length === 0 || value.length > MAX_PARAM_CHARS) return undefined;
      params[expected.slice(1, -1)] = value;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
