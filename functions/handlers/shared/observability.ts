/**
 * Powertools logger, metrics and tracer for one function, created once per container, and the middy wrapper
 * every handler uses: tracing of the invocation, the Lambda context in every log line, metrics flushed (as
 * CloudWatch EMF) at the end of each invocation.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { METRICS } from '../../../definitions/resources.ts';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** `serviceName` is the default; POWERTOOLS_SERVICE_NAME (set by the CDK construct) takes precedence. */
export function createObservability(serviceName: string): Observability {
  const service = process.env.POWERTOOLS_SERVICE_NAME ?? serviceName;
  return {
    logger: new Logger({ serviceName: service }),
    metrics: new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS.namespace,
      serviceName: service,
    }),
    tracer: new Tracer({ serviceName: service }),
  };
}

/** Wraps a handler with tracing, context-aware logging and metrics. The handler must return a value. */
export function withObservability<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  { logger, metrics, tracer }: Observability,
) {
  return middy(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}
