/**
 * The OAuth 2.0 sign-in both the subscribe page and `wirewatch login` use: the authorization-code flow with
 * PKCE (RFC 7636) against Cognito's managed login in AWS, or the local stack's stand-in of it. Names shared by
 * the CDK app (client callback URLs), the API (what the page is told) and the CLI.
 */

/** `wirewatch login` listens here for the redirect; the CLI app client registers exactly this callback. */
export const CLI_CALLBACK_PORT = 8976;
export const CLI_CALLBACK_PATH = '/callback';
export const CLI_CALLBACK_URL = `http://localhost:${CLI_CALLBACK_PORT}${CLI_CALLBACK_PATH}`;

/** Scopes the clients ask for: who the user is, and their e-mail for the page's "Signed in as". */
export const SIGN_IN_SCOPES = ['openid', 'email'] as const;

/** The local stack's client ids (any id works there; these are what it announces). */
export const LOCAL_PAGE_CLIENT_ID = 'wirewatch-local-page';
export const LOCAL_CLI_CLIENT_ID = 'wirewatch-local-cli';

/** Endpoint paths of a Cognito domain, which the local stack serves too. */
export const OAUTH_PATHS = {
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
  logout: '/logout',
} as const;
