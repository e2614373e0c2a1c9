/**
 * Builds the Wirewatch stacks into an App from its context settings; infra/app.ts (the CDK entry) and the
 * infra tests both call it, so the tests check the app that deploys.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings, type WirewatchSettings } from './settings.ts';
import { WirewatchStatefulStack } from './stacks/stateful-stack.ts';
import { WirewatchStatelessStack } from './stacks/stateless-stack.ts';

export interface Wirewatch {
  readonly settings: WirewatchSettings;
  readonly stateful: WirewatchStatefulStack;
  readonly stateless: WirewatchStatelessStack;
}

export interface BuildOptions {
  /** Register cdk-nag's AWS Solutions pack, so that any unacknowledged finding fails synth. Default true. */
  readonly nag?: boolean;
}

export function buildWirewatch(app: App, options: BuildOptions = {}): Wirewatch {
  const settings = readSettings(app);
  // Environment-agnostic unless the CLI knows the account and region (cdk deploy with credentials).
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const env = account !== undefined && region !== undefined ? { account, region } : undefined;

  const stateful = new WirewatchStatefulStack(app, 'WirewatchStatefulStack', { settings, env });
  const stateless = new WirewatchStatelessStack(app, 'WirewatchStatelessStack', { settings, stateful, env });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, stateful, stateless };
}
