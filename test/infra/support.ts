/**
 * Helpers for the infra tests: a fresh App with cdk.json's feature flags and no asset bundling (fast),
 * the Wirewatch stacks built into it, and plain-data views of the synthesized templates.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildWirewatch, type Wirewatch } from '../../infra/wirewatch.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  readonly context: Record<string, unknown>;
};

/**
 * A new App with the project's context, the documented test-only flag that allows the placeholder sender,
 * extra context on top, and bundling skipped for every stack.
 * CDK's built-in CloudFormation schema validation (seconds per synth) is off unless asked for: these tests
 * assert on templates; `npm run synth` keeps it on.
 */
export function newApp(context: Record<string, unknown> = {}, cloudFormationValidation = false): App {
  return new App({
    context: {
      ...cdkJson.context,
      'aws:cdk:bundling-stacks': [],
      allowPlaceholderSender: true,
      ...context,
    },
    builtinCloudFormationValidation: cloudFormationValidation,
  });
}

export interface Synthesized {
  readonly wirewatch: Wirewatch;
  readonly stateful: Template;
  readonly stateless: Template;
}

/** Builds Wirewatch into a fresh App (cdk-nag off unless asked) and synthesizes both stacks. */
export function synthesize(context: Record<string, unknown> = {}, nag = false): Synthesized {
  const wirewatch = buildWirewatch(newApp(context), { nag });
  return {
    wirewatch,
    stateful: Template.fromStack(wirewatch.stateful),
    stateless: Template.fromStack(wirewatch.stateless),
  };
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

export function resources(template: Template, type?: string): Record<string, CfnResource> {
  const all = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
  if (type === undefined) return all;
  return Object.fromEntries(Object.entries(all).filter(([, resource]) => resource.Type === type));
}

export function actionsOf(statement: PolicyStatement): readonly string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

export function resourcesOf(statement: PolicyStatement): readonly unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Logical id of the function whose POWERTOOLS_SERVICE_NAME is `service`. */
export function functionId(template: Template, service: string): string {
  const found = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(([, fn]) => {
    const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    return variables?.POWERTOOLS_SERVICE_NAME === service;
  });
  if (found.length !== 1)
    throw new Error(`expected one function for service ${service}, found ${found.length}`);
  return found[0]![0];
}

export function functionProperties(template: Template, service: string): Record<string, unknown> {
  return resources(template)[functionId(template, service)]!.Properties ?? {};
}

/** Every statement of every policy attached to the role of the function for `service`. */
export function statementsOf(template: Template, service: string): readonly PolicyStatement[] {
  const role = functionProperties(template, service).Role as { 'Fn::GetAtt': [string, string] };
  const roleId = role['Fn::GetAtt'][0];
  return Object.values(resources(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      ((policy.Properties?.Roles ?? []) as readonly { Ref?: string }[]).some((ref) => ref.Ref === roleId),
    )
    .flatMap(
      (policy) =>
        (policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] } | undefined)?.Statement ?? [],
    );
}

/** The allowed actions of a function, flattened. */
export function allowedActions(template: Template, service: string): readonly string[] {
  return statementsOf(template, service)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap(actionsOf);
}

/**
 * The stateful stack's logical id behind a cross-stack reference (`Fn::ImportValue` of an export whose
 * value is a `Ref` or `Fn::GetAtt`), or the reference's own logical id within a stack.
 */
export function referencedId(reference: unknown, producer: Template): string {
  const value = reference as Record<string, unknown>;
  const importName = value['Fn::ImportValue'];
  if (typeof importName === 'string') {
    const outputs = (
      producer.toJSON() as { Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }> }
    ).Outputs;
    const output = Object.values(outputs ?? {}).find((candidate) => candidate.Export?.Name === importName);
    if (output === undefined) throw new Error(`no export named ${importName}`);
    return referencedId(output.Value, producer);
  }
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  throw new Error(`not a reference: ${JSON.stringify(reference)}`);
}

/** Logical ids in `template` of resources of `type` whose logical id starts with `prefix`. */
export function idsWithPrefix(template: Template, type: string, prefix: string): readonly string[] {
  return Object.keys(resources(template, type)).filter((id) => id.startsWith(prefix));
}

export function onlyId(template: Template, type: string, prefix: string): string {
  const ids = idsWithPrefix(template, type, prefix);
  if (ids.length !== 1) throw new Error(`expected one ${type} starting ${prefix}, found ${ids.join(', ')}`);
  return ids[0]!;
}
