import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../definitions/resources.ts';
import { CLI_CALLBACK_URL } from '../../functions/api/sign-in.ts';
import { functionProperties, onlyId, resources, synthesize } from './support.ts';

/** `<the HTTP API's endpoint>/`, as CloudFormation writes it. */
const pageUrlOf = (apiId: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/']] });

describe('SubscriberSignIn', () => {
  it('gives the page a public code-flow client whose callback and sign-out URLs are the page itself', () => {
    // GIVEN no publicBaseUrl: the page is the subscribe API's own URL
    const { stateless } = synthesize();
    const apiId = onlyId(stateless, 'AWS::ApiGatewayV2::Api', 'SubscriptionApiHttpApi');
    // THEN the page's client uses the authorization-code flow (PKCE-capable: no secret) back to that URL
    stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [pageUrlOf(apiId)],
      LogoutURLs: [pageUrlOf(apiId)],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    // AND no client anywhere keeps the placeholder callback
    expect(JSON.stringify(resources(stateless, 'AWS::Cognito::UserPoolClient'))).not.toContain('example.com');
  });

  it("follows publicBaseUrl when the page is served from the operator's own domain", () => {
    const { stateless } = synthesize({ publicBaseUrl: 'https://alerts.acme.io' });
    stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://alerts.acme.io/'],
      LogoutURLs: ['https://alerts.acme.io/'],
    });
    stateless.hasOutput('SubscribePageUrl', { Value: 'https://alerts.acme.io/' });
  });

  it('gives wirewatch login its own client, calling back to the loopback address it listens on', () => {
    const { stateless } = synthesize();
    stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [CLI_CALLBACK_URL],
      LogoutURLs: Match.absent(),
    });
  });

  it('brands both clients for managed login, and the API accepts tokens of both', () => {
    const { stateless } = synthesize();
    const clients = Object.keys(resources(stateless, 'AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(2);
    for (const clientId of clients) {
      stateless.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
        ClientId: { Ref: clientId },
        UseCognitoProvidedValues: true,
      });
    }
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: Match.arrayWith(clients.map((id) => ({ Ref: id }))) },
    });
  });

  it('tells the page where to sign in, and outputs the page and sign-in URLs', () => {
    const { stateless } = synthesize();
    const pageClient = onlyId(stateless, 'AWS::Cognito::UserPoolClient', 'SignInPageClient');
    const variables = (
      functionProperties(stateless, 'subscription-api').Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables[ENV.webClientId]).toEqual({ Ref: pageClient });
    expect(JSON.stringify(variables[ENV.webAuthUrl])).toContain('.amazoncognito.com');
    stateless.hasOutput('SubscribePageUrl', Match.anyValue());
    const apiId = onlyId(stateless, 'AWS::ApiGatewayV2::Api', 'SubscriptionApiHttpApi');
    stateless.hasOutput('SignInUrl', {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/?sign-in']] },
    });
    const domainUrl = JSON.stringify(synthesize().stateful.findOutputs('SignInDomainUrl'));
    expect(domainUrl).toContain('.amazoncognito.com');
    stateless.hasOutput('CliClientId', Match.anyValue());
  });
});
