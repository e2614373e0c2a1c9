/** `npm start` flags and environment variables, validated before anything starts. */
import { resolve } from 'node:path';
import { readArguments } from '../functions/cli/arguments.ts';
import { PORT_SETTINGS, type StandinService } from './standins.ts';

export interface LocalStackOptions {
  readonly ports: Readonly<Record<StandinService, number>>;
  /** Port of the local subscribe API (when local/api-server.ts exists). */
  readonly apiPort: number;
  /** Where state lives: queues, DynamoDB data, mail, signing secret, SMS outbox, inbox. Default `.wirewatch`. */
  readonly dataDir: string;
  /** Visibility timeout of the local queues, seconds: how long a failed message waits for its retry. */
  readonly visibilityTimeoutSeconds: number;
  /** Seconds between compactions of the subscriptions change log into a new snapshot. */
  readonly snapshotEverySeconds: number;
}

export const API_PORT = { flag: '--api-port', env: 'WIREWATCH_API_PORT', fixed: 8080 } as const;

export const USAGE = `Usage: npm start -- [options]

Runs Wirewatch on this machine: AWS stand-ins, the matcher and notifier, a drop folder and the mail viewer.

Options (each also as an environment variable):
  --aws-port N        SQS/SNS/S3 port (WIREWATCH_AWS_PORT, default ${PORT_SETTINGS.aws.fixed})
  --dynamodb-port N   DynamoDB port (WIREWATCH_DYNAMODB_PORT, default ${PORT_SETTINGS.dynamodb.fixed})
  --ses-port N        SES and mail viewer port (WIREWATCH_SES_PORT, default ${PORT_SETTINGS.ses.fixed})
  --api-port N        subscribe API port (WIREWATCH_API_PORT, default ${API_PORT.fixed})
  --data-dir DIR      state folder (WIREWATCH_DATA_DIR, default .wirewatch)
  --visibility-timeout S  seconds before a failed story or alert is retried (WIREWATCH_VISIBILITY_TIMEOUT, default 5;
                      the queues themselves stay invisible for at least the function timeout)
  --snapshot-every S  seconds between compactions of the subscription change log (WIREWATCH_SNAPSHOT_EVERY, default 60)`;

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

const NUMBER_OPTIONS = {
  '--aws-port': { env: PORT_SETTINGS.aws.env, fallback: PORT_SETTINGS.aws.fixed, min: 1, max: 65535 },
  '--dynamodb-port': {
    env: PORT_SETTINGS.dynamodb.env,
    fallback: PORT_SETTINGS.dynamodb.fixed,
    min: 1,
    max: 65535,
  },
  '--ses-port': { env: PORT_SETTINGS.ses.env, fallback: PORT_SETTINGS.ses.fixed, min: 1, max: 65535 },
  '--api-port': { env: API_PORT.env, fallback: API_PORT.fixed, min: 1, max: 65535 },
  '--visibility-timeout': { env: 'WIREWATCH_VISIBILITY_TIMEOUT', fallback: 5, min: 1, max: 43200 },
  '--snapshot-every': { env: 'WIREWATCH_SNAPSHOT_EVERY', fallback: 60, min: 1, max: 3600 },
} as const;
type NumberOption = keyof typeof NUMBER_OPTIONS;

/** Parses argv (after `start.ts`) and env; throws OptionsError with a one-line message. `undefined` = help. */
export function parseLocalOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): LocalStackOptions | undefined {
  const parsed = readArguments(argv, {
    strings: [...Object.keys(NUMBER_OPTIONS), '--data-dir'].map((name) => name.slice(2)),
    flags: ['help'],
  });
  if (argv.includes('-h')) return undefined;
  if (typeof parsed === 'string') {
    throw new OptionsError(parsed.startsWith('unknown') ? `${parsed}; see npm start -- --help` : parsed);
  }
  if (parsed.options.help === true) return undefined;
  if (parsed.positional.length > 0) {
    throw new OptionsError(`unknown option '${parsed.positional[0]}'; see npm start -- --help`);
  }
  const given = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed.options)) {
    if (value === '') throw new OptionsError(`--${name} needs a value`);
    if (typeof value === 'string') given.set(`--${name}`, value);
  }
  const number = (option: NumberOption): number => {
    const spec = NUMBER_OPTIONS[option];
    const text = given.get(option) ?? env[spec.env];
    if (text === undefined || text === '') return spec.fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      const source = given.has(option) ? option : spec.env;
      throw new OptionsError(`${source} is '${text}': give a whole number from ${spec.min} to ${spec.max}`);
    }
    return value;
  };
  return {
    ports: { aws: number('--aws-port'), dynamodb: number('--dynamodb-port'), ses: number('--ses-port') },
    apiPort: number('--api-port'),
    dataDir: resolve(given.get('--data-dir') ?? env.WIREWATCH_DATA_DIR ?? '.wirewatch'),
    visibilityTimeoutSeconds: number('--visibility-timeout'),
    snapshotEverySeconds: number('--snapshot-every'),
  };
}
