/**
 * The digest sender: a function that sends every digest due (functions/handlers/digests.ts) and the EventBridge
 * rule that runs it every DIGEST_SCHEDULE_MINUTES. Two runs overlapping send each digest once (a ledger claim
 * per digest), so the schedule needs no locking; a run's failures wait for the next run.
 */
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DIGEST_SCHEDULE_MINUTES, ENV, FUNCTION_TIMEOUTS } from '../../definitions/resources.ts';
import {
  bindDigestSending,
  bindEmailSending,
  bindSigningSecret,
  bindSmsSending,
  type EmailSending,
} from '../bindings.ts';
import { WirewatchFunction } from './wirewatch-function.ts';

export interface DigestSenderProps {
  readonly digestsTable: dynamodb.ITable;
  readonly ledgerTable: dynamodb.ITable;
  readonly subscriptionsTable: dynamodb.ITable;
  readonly signingSecret: secretsmanager.ISecret;
  readonly email: EmailSending;
  readonly allowedSmsCountries: readonly string[];
  readonly smsOriginationNumber?: string | undefined;
  /** Base URL of unsubscribe and preference links. */
  readonly publicBaseUrl: string;
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class DigestSender extends Construct {
  readonly function: WirewatchFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DigestSenderProps) {
    super(scope, id);
    this.function = new WirewatchFunction(this, 'Function', {
      entry: fileURLToPath(new URL('../../functions/handlers/digests.ts', import.meta.url)),
      serviceName: 'digests',
      description:
        'Sends the digests that are due (e-mail digests, alerts held by quiet hours or the throttle)',
      timeoutSeconds: FUNCTION_TIMEOUTS.digests,
      logRetentionDays: props.logRetentionDays,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    bindDigestSending(this.function, {
      digests: props.digestsTable,
      ledger: props.ledgerTable,
      subscriptions: props.subscriptionsTable,
    });
    bindEmailSending(this.function, props.email);
    bindSmsSending(this.function, props.allowedSmsCountries, props.smsOriginationNumber);
    bindSigningSecret(this.function, props.signingSecret);
    this.function.addEnvironment(ENV.publicBaseUrl, props.publicBaseUrl);
    this.rule = new events.Rule(this, 'Schedule', {
      description: `Every ${DIGEST_SCHEDULE_MINUTES} minutes: send the digests that are due`,
      schedule: events.Schedule.rate(Duration.minutes(DIGEST_SCHEDULE_MINUTES)),
      // A missed run is made up by the next one: no retries that would overlap it.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
