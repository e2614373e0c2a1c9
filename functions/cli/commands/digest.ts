/**
 * `wirewatch digest --now`: runs the digest handler at once against the local stack (`npm start`): the digests
 * due now, or with `--all` every pending one (e.g. a daily digest due tomorrow). The same handler the stack runs
 * on its timer and the schedule runs in AWS, with the stack's tables, mail and SMS stand-ins and link secret.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENV, TABLES } from '../../../definitions/resources.ts';
import { errorMessage } from '../../core/describe-error.ts';
import { readArguments } from '../arguments.ts';
import type { Command, CommandIo } from '../command.ts';

const PORTS = {
  'aws-port': { env: 'WIREWATCH_AWS_PORT', fixed: 4566 },
  'dynamodb-port': { env: 'WIREWATCH_DYNAMODB_PORT', fixed: 8000 },
  'ses-port': { env: 'WIREWATCH_SES_PORT', fixed: 8005 },
  'api-port': { env: 'WIREWATCH_API_PORT', fixed: 8080 },
} as const;

const usage = `Usage: npm run --silent wirewatch -- digest --now [--all] [options]

Sends digests now on the local stack (npm start), with the digest handler it runs every 30 seconds: the
digests that are due, or with --all every pending digest (a daily or weekly one too, and alerts held for quiet
hours or by the throttle). Prints how many were sent. In AWS, invoke the DigestFunction of the stack outputs:
  aws lambda invoke --function-name <DigestFunctionName> --payload '{"all":true}' out.json

Options:
  --now               required: say that digests should go now
  --all               every pending digest, not only those due
  --data-dir DIR      the stack's state folder (WIREWATCH_DATA_DIR, default .wirewatch): its link secret
  --aws-port N        SQS/SNS/S3 port (WIREWATCH_AWS_PORT, default 4566)
  --dynamodb-port N   DynamoDB port (WIREWATCH_DYNAMODB_PORT, default 8000)
  --ses-port N        SES port (WIREWATCH_SES_PORT, default 8005)
  --api-port N        the subscribe API's port, for links (WIREWATCH_API_PORT, default 8080)`;

type DigestHandler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = readArguments(args, {
    strings: ['data-dir', ...Object.keys(PORTS)],
    flags: ['now', 'all'],
    values: Object.fromEntries(Object.keys(PORTS).map((name) => [name, 'a port number'])),
  });
  if (typeof parsed === 'string') return fail(io, parsed);
  if (parsed.positional.length > 0) return fail(io, `unexpected argument '${parsed.positional[0]}'`);
  if (parsed.options.now !== true)
    return fail(io, 'say --now to send digests now (--all: every pending one)');
  const ports: Record<string, number> = {};
  for (const [name, { env, fixed }] of Object.entries(PORTS)) {
    const given = parsed.options[name];
    const text = typeof given === 'string' ? given : (process.env[env] ?? String(fixed));
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      return fail(io, `--${name} must be a port, 1-65535`);
    ports[name] = port;
  }
  const dataDir =
    typeof parsed.options['data-dir'] === 'string'
      ? parsed.options['data-dir']
      : (process.env.WIREWATCH_DATA_DIR ?? '.wirewatch');
  let secret: string;
  try {
    secret = (await readFile(join(dataDir, 'signing-secret'), 'utf8')).trim();
  } catch {
    return fail(io, `no local stack state in ${dataDir}: start it with 'npm start' (or give --data-dir)`);
  }
  const aws = `http://127.0.0.1:${ports['aws-port']}`;
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SNS: aws,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports['dynamodb-port']}`,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ports['ses-port']}`,
    [ENV.subscriptionsTable]: TABLES.subscriptions.name,
    [ENV.ledgerTable]: TABLES.ledger.name,
    [ENV.digestsTable]: TABLES.digests.name,
    [ENV.senderAddress]: process.env[ENV.senderAddress] ?? 'alerts@wirewatch.local',
    [ENV.publicBaseUrl]: `http://127.0.0.1:${ports['api-port']}`,
    [ENV.signingSecret]: secret,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_XRAY_MANUAL_MODE: 'true',
  });
  try {
    const { handler } = (await import('../../handlers/digests.ts')) as unknown as { handler: DigestHandler };
    const result = await handler(
      { all: parsed.options.all === true },
      { functionName: 'wirewatch-digest-cli' },
    );
    const outcomes = (result.outcomes ?? {}) as Record<string, number>;
    io.stdout(
      `digests: ${outcomes.sent ?? 0} sent with ${String(result.alerts ?? 0)} alerts, ${outcomes.empty ?? 0} empty (not sent), ` +
        `${outcomes.failed ?? 0} failed, of ${String(result.windows ?? 0)} ${parsed.options.all === true ? 'pending' : 'due'}`,
    );
    return (outcomes.failed ?? 0) > 0 ? 1 : 0;
  } catch (error) {
    return fail(io, `could not reach the local stack (is 'npm start' running?): ${errorMessage(error)}`);
  }
}

function fail(io: CommandIo, message: string): number {
  io.stderr(`wirewatch digest: ${message}`);
  return 2;
}

export const command: Command = {
  summary: 'send due (or all pending) digests now on the local stack',
  usage,
  run,
};
