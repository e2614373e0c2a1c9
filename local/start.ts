/**
 * `npm start`: Wirewatch on this machine, no AWS account, no Docker. See USAGE in options.ts.
 * Ctrl-C or SIGTERM stops everything; state (queues, subscriptions, mail, signing secret, SMS outbox) stays in the
 * data folder.
 */
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../functions/core/describe-error.ts';
import type { AlertLine } from './alert-feed.ts';
import { type ApiServer, startApiServer } from './api-server.ts';
import { API_PORT, type LocalStackOptions, OptionsError, parseLocalOptions, USAGE } from './options.ts';
import { type LocalStack, startLocalStack } from './stack.ts';
import { PortInUseError } from './standins.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const time = () => new Date().toTimeString().slice(0, 8);

async function main(argv: readonly string[]): Promise<number> {
  let options: LocalStackOptions | undefined;
  try {
    options = parseLocalOptions(argv);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`npm start: ${error.message}\n`);
    return 2;
  }
  if (options === undefined) {
    say(USAGE);
    return 0;
  }

  say('Starting Wirewatch locally ...');
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      ports: options.ports,
      dataDir: options.dataDir,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      snapshotEverySeconds: options.snapshotEverySeconds,
      publicBaseUrl: `http://127.0.0.1:${options.apiPort}`,
      onAlert: (alert) => say(alertLine(alert)),
      onHandlerLine: (line) => say(`${time()}  ${line}`),
      log: (line) => say(`${time()}  ${line}`),
    });
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(`npm start: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  // ---- The subscribe API (local/api-server.ts, its owner's module): the same code as the Lambda. ----
  let api: ApiServer;
  try {
    api = await startApiServer({
      env: stack.handlerEnv,
      host: '127.0.0.1',
      port: options.apiPort,
      tokenFile: join(options.dataDir, 'dev-token'),
      announce: (line) => say(line),
    });
  } catch (error) {
    await stack.stop();
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      process.stderr.write(
        `npm start: Port ${options.apiPort} (subscribe API) on 127.0.0.1 is already in use. ` +
          `Stop it, or choose another port with ${API_PORT.flag} N or ${API_PORT.env}=N.\n`,
      );
      return 1;
    }
    throw error;
  }
  // ---- end of the subscribe API ----

  printBanner(stack, options, api);
  await untilSignal();
  say('\nStopping ...');
  const watchdog = setTimeout(() => {
    process.stderr.write('npm start: did not stop within 5 s; exiting anyway.\n');
    process.exit(1);
  }, 5000);
  watchdog.unref();
  await Promise.allSettled([api.stop(), stack.stop()]);
  say('Stopped.');
  return 0;
}

function alertLine(alert: AlertLine): string {
  const text = alert.text.replace(/\s+/g, ' ').slice(0, 100);
  return `${time()}  ALERT ${alert.channel.padEnd(5)}  ${alert.to}  ${text}`;
}

function printBanner(stack: LocalStack, options: LocalStackOptions, api: ApiServer): void {
  const { endpoints } = stack.standins;
  const storiesUrl = stack.resources.queues.stories.url;
  // Paths inside the working folder are shown relative to it, others in full.
  const here = (path: string) => {
    const inside = relative(process.cwd(), path);
    return inside === '' ? '.' : inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  };
  const lines = [
    '',
    'Wirewatch is running locally.',
    `  Mail viewer        ${endpoints.ses}/`,
    `  SMS outbox         ${here(stack.standins.smsOutbox.file ?? '(in memory)')}`,
    `  Stories queue      ${storiesUrl}`,
    `  Alerts topic       ${stack.resources.alertsTopicArn}`,
    `  AWS stand-ins      SQS/SNS/S3 ${endpoints.sqs}  DynamoDB ${endpoints.dynamodb}  SES ${endpoints.ses}`,
    `  Subscribe API      ${api.url}/  (development token in ${here(join(options.dataDir, 'dev-token'))})`,
    `  Data folder        ${here(options.dataDir)}`,
    '',
    'Publish a story (examples subscribe to "deportation" and person:"Peña Nieto"):',
    `  drop a file into   ${here(stack.inbox?.dir ?? '')}/`,
    '  or run             npm run --silent wirewatch -- publish samples/nitf.xml  (one sample per format in samples/)',
    `  or the AWS CLI     AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region us-east-1 --endpoint-url ${endpoints.sqs} sqs send-message --queue-url ${storiesUrl} --message-body file://samples/envelope.json`,
    '',
    'Alerts appear below as they are sent. Ctrl-C stops.',
    '',
  ];
  for (const line of lines) say(line);
}

/**
 * Ctrl-C (SIGINT), `kill` (SIGTERM, which npm passes on: the npm script `exec`s node so no shell stands between),
 * or the parent going away (`kill -9` of npm leaves this process to init): all stop everything the same way.
 */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const orphanCheck = setInterval(() => {
      if (process.ppid !== parent) onSignal();
    }, 1000);
    orphanCheck.unref();
    function onSignal(): void {
      clearInterval(orphanCheck);
      // A second Ctrl-C while stopping exits at once.
      process.once('SIGINT', () => process.exit(130));
      resolve();
    }
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
      // SDK agents and timers in the handlers' modules may linger; the stack is stopped, so leave now.
      if (status === 0) setImmediate(() => process.exit(0));
    },
    (error: unknown) => {
      process.stderr.write(`npm start: ${errorMessage(error)}\n`);
      if (process.env.WIREWATCH_DEBUG === '1' && error instanceof Error && error.stack) {
        process.stderr.write(`${error.stack}\n`);
      }
      process.exitCode = 1;
      setImmediate(() => process.exit(1));
    },
  );
}
