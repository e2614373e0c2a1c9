import { parseArgs } from 'node:util';
import { LOCAL_API_URL } from '../api/client.ts';

/** The update policy option of the subscription commands; the API checks the value and names the choices. */
export const UPDATES_OPTION_USAGE = `  --updates P       later versions of a story: first (default), substantive or corrections`;

/** The help lines of `--endpoint` and `--token`, which every command that calls the subscribe API takes. */
export const API_OPTIONS_USAGE = `  --endpoint URL    the API (or WIREWATCH_API_URL); default ${LOCAL_API_URL}, the local stack
  --token T         an access token (or WIREWATCH_TOKEN); default: the token 'wirewatch login' stored
                    for this endpoint, else the local stack's token file,
                    $WIREWATCH_DATA_DIR/dev-token (.wirewatch/dev-token)`;

export interface Arguments {
  /** `--name value` (or `--name=value`) options as strings, flags as true. */
  readonly options: Readonly<Record<string, string | true | undefined>>;
  readonly positional: readonly string[];
}

/**
 * The one argument parser of every command (the CLI and `npm start`): Node's `util.parseArgs`, strict, `--`
 * ends the options. Returns the options and positional arguments, or a one-line reason the arguments are wrong
 * (`unknown option '--x'`, `--queue-url needs a value`).
 */
export function readArguments(
  args: readonly string[],
  spec: {
    readonly strings?: readonly string[];
    readonly flags?: readonly string[];
    /** What an option's value is, for the error when it is missing: `{ format: 'one of nitf, ...' }`. */
    readonly values?: Readonly<Record<string, string>>;
  },
): Arguments | string {
  const options = Object.fromEntries([
    ...(spec.strings ?? []).map((name) => [name, { type: 'string' as const }]),
    ...(spec.flags ?? []).map((name) => [name, { type: 'boolean' as const }]),
  ]);
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    });
    return { options: values as Arguments['options'], positional: positionals };
  } catch (error) {
    return reason(error, spec.values ?? {});
  }
}

function reason(error: unknown, values: Readonly<Record<string, string>>): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const option = /'(-[^' ]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option ?? text}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (text.includes('does not take an argument')) return `${option} takes no value`;
    return `${option} needs ${values[option?.replace(/^--/, '') ?? ''] ?? 'a value'}`;
  }
  return text.split('\n')[0] ?? text;
}
