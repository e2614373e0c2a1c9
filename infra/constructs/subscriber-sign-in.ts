/**
 * How subscribers sign in: two public app clients of the subscribers' user pool, each with the OAuth 2.0
 * authorization-code flow (PKCE; no client secret, which a browser or a CLI could not keep), and their managed
 * login branding (Cognito's default look). The page's callback and sign-out URLs are the page's own URL;
 * the CLI's is the loopback address `wirewatch login` listens on.
 */
import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CLI_CALLBACK_URL, SIGN_IN_SCOPES } from '../../functions/api/sign-in.ts';

export interface SubscriberSignInProps {
  readonly userPool: cognito.IUserPool;
  readonly domain: cognito.UserPoolDomain;
  /** The subscribe page, e.g. `https://alerts.example.org/` (may be a token). */
  readonly pageUrl: string;
}

export class SubscriberSignIn extends Construct {
  readonly pageClient: cognito.UserPoolClient;
  readonly cliClient: cognito.UserPoolClient;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the authorize, token and logout endpoints. */
  readonly authUrl: string;
  /** The page with `?sign-in`: it sends the browser straight to managed login (code flow with PKCE). */
  readonly signInUrl: string;

  constructor(scope: Construct, id: string, props: SubscriberSignInProps) {
    super(scope, id);
    const scopes = SIGN_IN_SCOPES.map((name) => cognito.OAuthScope.custom(name));
    const common = {
      userPool: props.userPool,
      generateSecret: false,
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    };

    this.pageClient = new cognito.UserPoolClient(this, 'PageClient', {
      ...common,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes,
        callbackUrls: [props.pageUrl],
        logoutUrls: [props.pageUrl],
      },
    });
    this.cliClient = new cognito.UserPoolClient(this, 'CliClient', {
      ...common,
      oAuth: { flows: { authorizationCodeGrant: true }, scopes, callbackUrls: [CLI_CALLBACK_URL] },
    });
    // Managed login shows a client's pages only once it has a branding style; Cognito's defaults will do.
    for (const [name, client] of [
      ['PageBranding', this.pageClient],
      ['CliBranding', this.cliClient],
    ] as const) {
      new cognito.CfnManagedLoginBranding(this, name, {
        userPoolId: props.userPool.userPoolId,
        clientId: client.userPoolClientId,
        useCognitoProvidedValues: true,
      });
    }
    this.authUrl = props.domain.baseUrl();
    // Not the bare managed login URL: a sign-in must start from the page, which holds the PKCE verifier.
    this.signInUrl = `${props.pageUrl}?sign-in`;
  }
}
