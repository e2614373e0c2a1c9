/**
 * The Cognito user pool of subscribers (who sign in to manage their own subscriptions) and the public
 * client the subscribe page uses. The subscribe HTTP API (infra/constructs/subscription-api.ts) authorizes
 * its JWTs against this pool.
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface SubscriberUserPoolProps {
  readonly removalPolicy: RemovalPolicy;
  /** Refuse deletion of the pool (and its users) while true. */
  readonly deletionProtection: boolean;
}

export class SubscriberUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: SubscriberUserPoolProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
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
      // Plus: threat protection blocks risky sign-ins and compromised passwords.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    // A browser page: no client secret; SRP sign-in only; no hints whether an address has an account.
    this.client = this.userPool.addClient('SubscribePageClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Subscribers only manage their own alert subscriptions: TOTP MFA is offered, not forced, so that ' +
        'sign-up stays a one-step opt-in; Plus-tier threat protection (full function) challenges risky sign-ins.',
    });
  }
}
