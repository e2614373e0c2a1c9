#!/usr/bin/env node
import { errorMessage } from '../core/describe-error.ts';
/**
 * `npm run --silent wirewatch -- <command> [args]`
 * Commands load lazily so that `parse` does not pay for the AWS SDK.
 */
import type { Command, CommandIo } from './command.ts';

const COMMANDS: Readonly<Record<string, () => Promise<{ command: Command }>>> = {
  parse: () => import('./commands/parse.ts'),
  match: () => import('./commands/match.ts'),
  publish: () => import('./commands/publish.ts'),
  login: () => import('./commands/login.ts'),
  subscribe: () => import('./commands/subscribe.ts'),
  subscriptions: () => import('./commands/subscriptions.ts'),
  unsubscribe: () => import('./commands/unsubscribe.ts'),
  'confirm-sms': () => import('./commands/confirm-sms.ts'),
  dlq: () => import('./commands/dlq.ts'),
  tail: () => import('./commands/tail.ts'),
  digest: () => import('./commands/digest.ts'),
};

const io: CommandIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  writeStdout: (bytes) =>
    process.stdout.write(bytes) ? undefined : new Promise((resolve) => process.stdout.once('drain', resolve)),
};

// A reader that stops early (`| head`) closes the pipe: stop quietly with the status a shell gives a
// command killed by SIGPIPE, as other command-line tools do, instead of an unhandled error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE')
    process.stderr.write(`wirewatch: cannot write the output: ${errorMessage(error)}\n`);
  process.exit(error.code === 'EPIPE' ? 141 : 74);
});

async function usage(): Promise<string> {
  const lines = ['Usage: npm run --silent wirewatch -- <command> [args]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await usage());
    return name === undefined ? 1 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    io.stderr(
      `wirewatch: unknown command '${name}'. Run 'npm run --silent wirewatch -- --help' for the list.`,
    );
    return 1;
  }
  const { command } = await load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  return command.run(args, io);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // A bug, not bad input: say so in one line; the stack only with WIREWATCH_DEBUG=1.
    io.stderr(`wirewatch: internal error: ${errorMessage(error)}`);
    if (process.env.WIREWATCH_DEBUG === '1' && error instanceof Error && error.stack) io.stderr(error.stack);
    process.exitCode = 70;
  },
);
