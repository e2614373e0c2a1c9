import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHandlerEnv, provisionResources } from '../../local/provision.ts';
import { type Standins, startStandins } from '../../local/standins.ts';
import { apiEvent, lambdaContext, snsEvent } from '../support/lambda-events.ts';

/** The Lambda entry point itself, configured from process.env as in Lambda, against the stand-ins. */
let standins: Standins;
let handler: typeof import('../../functions/handlers/api.ts').handler;

beforeAll(async () => {
  standins = await startStandins();
  const resources = await provisionResources(standins);
  Object.assign(
    process.env,
    { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_TRACE_ENABLED: 'false' },
    localHandlerEnv(standins, resources, {
      signingSecret: 'handler-test-signing-secret-0123456789abcdef',
      publicBaseUrl: 'https://alerts.example.test',
    }),
  );
  ({ handler } = await import('../../functions/handlers/api.ts'));
});
afterAll(async () => standins?.stop());

describe('functions/handlers/api.ts', () => {
  it('serves HTTP API events', async () => {
    const created = await handler(
      apiEvent('POST', '/subscriptions', {
        user: 'h1',
        body: { name: 'x', query: 'lisbon', channels: { phone: '+14155550177' } },
      }),
      lambdaContext('api'),
    );
    expect(created).toMatchObject({ statusCode: 201 });
    const page = await handler(apiEvent('GET', '/'), lambdaContext('api'));
    expect(page).toMatchObject({ statusCode: 200 });
    const local = await handler(
      apiEvent('POST', '/sms/inbound', { body: { originationNumber: '+14155550177', messageBody: 'STOP' } }),
      lambdaContext('api'),
    );
    expect(local, 'the HTTP SMS route is local-only').toMatchObject({ statusCode: 404 });
  });

  it('handles two-way SMS replies from SNS and skips what it cannot read', async () => {
    const result = await handler(
      snsEvent(
        JSON.stringify({
          originationNumber: '+14155550177',
          destinationNumber: '+18005550100',
          messageBody: 'Revoke',
        }),
        'not json',
        JSON.stringify({ originationNumber: 'nobody', messageBody: 'STOP' }),
      ),
      lambdaContext('api'),
    );
    expect(result).toEqual({ processed: 1, ignored: 2 });
    const list = await handler(apiEvent('GET', '/subscriptions', { user: 'h1' }), lambdaContext('api'));
    const body = JSON.parse((list as { body: string }).body) as {
      subscriptions: { channels: unknown[]; status: string }[];
    };
    expect(body.subscriptions[0]).toMatchObject({ channels: [], status: 'paused' });
  });
});
