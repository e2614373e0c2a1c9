/**
 * The one way Wirewatch defines a Lambda function, so that every function gets the same runtime,
 * bundling, logging, tracing and Powertools settings, and a role that starts with nothing but its own logs.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS } from '../../definitions/resources.ts';
import { DEFAULT_LOG_RETENTION_DAYS } from '../settings.ts';
import { builtinAliases, ESM_REQUIRE_BANNER } from './bundling.ts';

export { ESM_REQUIRE_BANNER } from './bundling.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface WirewatchFunctionProps {
  /** Absolute path of the handler module; it exports `handler`. */
  readonly entry: string;
  /** Powertools service name (logs, metrics dimension, traces), e.g. `matcher`. */
  readonly serviceName: string;
  readonly description: string;
  /** Seconds. Take it from `FUNCTION_TIMEOUTS` in definitions/resources.ts, which queue visibility derives from. */
  readonly timeoutSeconds: number;
  /** MB. Default 512 (on ARM64 CPU share grows with memory). */
  readonly memorySize?: number;
  /** Days the log group keeps logs. Default 30; must be a CloudWatch Logs retention period. */
  readonly logRetentionDays?: number;
  /** What happens to the log group when the stack goes away. Default RETAIN. */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Powertools LOG_LEVEL. Default INFO. */
  readonly logLevel?: LogLevel;
  /** Extra environment variables; prefer the `bind*` helpers, which grant and set together. */
  readonly environment?: Readonly<Record<string, string>>;
}

export class WirewatchFunction extends NodejsFunction {
  /** The function's own log group (also reachable as `logGroup`, typed as the interface there). */
  readonly functionLogGroup: logs.LogGroup;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: WirewatchFunctionProps) {
    // The role and log group are created beside the function (not inside it) because the function
    // needs them at construction. An explicit role avoids the AWSLambdaBasicExecutionRole managed policy,
    // which would allow writing to any log group.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Wirewatch ${props.serviceName} function`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: toRetentionDays(props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS),
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds),
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
        LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The AWS SDK is bundled, not taken from the runtime: tree-shaken into one file it loads faster on a
        // cold start (npm run bench: about 45 ms less for the matcher), and it is the version the tests ran.
        externalModules: [],
        // Node built-ins through `require`, not their ESM facades (about 30 ms of the cold start; bundling.ts).
        esbuildArgs: {
          '--alias': Object.entries(builtinAliases()).map(([name, shim]) => `${name}=${shim}`),
        },
        // Local esbuild only: synth must work without Docker.
        forceDockerBundling: false,
      },
    });
    this.functionLogGroup = logGroup;
    this.serviceName = props.serviceName;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only actions without resource-level permissions use "*": X-Ray PutTraceSegments/PutTelemetryRecords ' +
        '(active tracing) and, for a DynamoDB stream source, dynamodb:ListStreams. test/infra checks this list.',
    });
  }
}

/** `logs.RetentionDays` values are the numbers of days; this checks the number is one of them. */
function toRetentionDays(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((value) => typeof value === 'number');
  if (!known.includes(days)) {
    throw new Error(
      `Log retention of ${days} days is not a CloudWatch Logs retention period; use one of ${known.join(', ')}.`,
    );
  }
  return days as logs.RetentionDays;
}
