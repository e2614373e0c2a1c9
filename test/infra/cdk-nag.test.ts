import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildWirewatch } from '../../infra/wirewatch.ts';
import { newApp } from './support.ts';

/** AWS Solutions checks that ignore acknowledgments: every raw finding. */
class UnacknowledgedChecks extends AwsSolutionsChecks {}
Object.defineProperty(UnacknowledgedChecks.prototype, 'isAcknowledged', { value: () => false });

function findings(checks: AwsSolutionsChecks, scope: IConstruct): readonly string[] {
  return checks
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
}

/** Acknowledged rule ids recorded in construct metadata, with the path they were recorded at. */
function acknowledgments(scope: IConstruct): readonly { id: string; path: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          path: construct.node.path,
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AWS Solutions)', () => {
  it('passes synth of the app with cdk-nag registered, as infra/app.ts does', () => {
    // GIVEN the Wirewatch app with the AWS Solutions pack as a validation plugin
    const app = newApp();
    buildWirewatch(app);
    // WHEN it is synthesized THEN the plugin reports nothing (synth would throw with the report otherwise)
    expect(() => app.synth()).not.toThrow();
  });

  it('finds nothing unacknowledged in a development stack with every option set', () => {
    // GIVEN the options that add resources or permissions (auto-delete, ops e-mail, sandbox, Plus, open sign-up)
    const app = newApp({
      retainData: 'false',
      opsEmail: 'ops@example.com',
      sesSandbox: 'true',
      userPoolTier: 'plus',
      signUp: 'open',
      smsOriginationIdentity: '+18885550123',
      publicBaseUrl: 'https://alerts.example.com',
      allowedSmsCountries: 'US,CA,GB',
    });
    buildWirewatch(app, { nag: false });
    // WHEN the pack checks the construct tree directly THEN there are no findings
    expect(findings(new AwsSolutionsChecks(), app)).toEqual([]);
  });

  it('acknowledges only findings that exist, each with a reason', () => {
    // GIVEN the app, and the raw findings with acknowledgments ignored
    const app = newApp();
    buildWirewatch(app, { nag: false });
    const raw = findings(new UnacknowledgedChecks(), app);
    // THEN every acknowledgment silences at least one real finding at or below where it was recorded
    const acknowledged = acknowledgments(app);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, path, reason } of acknowledged) {
      expect(reason.length, `reason for ${id}`).toBeGreaterThan(60);
      expect(
        raw.some((finding) => finding.startsWith(`${id} at ${path}/`)),
        `${id} at ${path}`,
      ).toBe(true);
    }
    // AND every raw finding is covered by one of them
    for (const finding of raw) {
      expect(
        acknowledged.some(({ id, path }) => finding.startsWith(`${id} at ${path}/`)),
        finding,
      ).toBe(true);
    }
  });

  it('fails synth on an unacknowledged error', () => {
    // GIVEN an app with the plugin and a queue without a dead-letter queue or an HTTPS-only policy
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'NonCompliant');
    new sqs.Queue(stack, 'BareQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // WHEN it is synthesized THEN synth throws and names the rules
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
