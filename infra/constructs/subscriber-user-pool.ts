/**
 * The Cognito user pool of subscribers (who sign in to manage their own subscriptions) and its managed login
 * domain. Both are stateful: the pool holds the users, the domain is the address sign-in links point at.
 * The app clients, whose callback URLs follow the page's URL, live with the page (subscriber-sign-in.ts).
 */
import { Aws, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { SignUpPolicy, UserPoolTier } from '../settings.ts';

export interface SubscriberUserPoolProps {
  readonly removalPolicy: RemovalPolicy;
  /** Refuse deletion of the pool (and its users) while true. */
  readonly deletionProtection: boolean;
  /** `invite`: only administrators create users; `open`: anyone may sign up and verify an e-mail address. */
  readonly signUp: SignUpPolicy;
  /** `essentials` (no threat protection) or `plus` (threat protection blocks risky sign-ins). */
  readonly tier: UserPoolTier;
  /** Managed login domain prefix. Default `wirewatch-<account id>`. */
  readonly domainPrefix?: string | undefined;
}

export class SubscriberUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: SubscriberUserPoolProps) {
    super(scope, id);
    const plus = props.tier === 'plus';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Invite-only unless asked: an open pool lets anyone with the client id trigger confirmation mail.
      selfSignUpEnabled: props.signUp === 'open',
      signInAliases: { email: true },
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    // Managed login (version 2); the page's and the CLI's clients get their branding in subscriber-sign-in.ts.
    this.domain = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `wirewatch-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Subscribers only manage their own alert subscriptions: TOTP MFA is offered, not forced, so that ' +
        "signing in stays one step; a stolen account can only change that user's alerts.",
    });
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection needs the Plus feature plan (about 0.02 USD per monthly active user, against ' +
          'none for the first 10,000 on Essentials); operators opt in with -c userPoolTier=plus.',
      });
    }
  }
}
