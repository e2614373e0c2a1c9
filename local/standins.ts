/**
 * In-process stand-ins for the AWS services Wirewatch uses, all on loopback, no account, no Docker:
 * fauxqs (SQS, SNS, S3) behind one port with an SMS answer in front, dynalite (DynamoDB), aws-ses-v2-local (SES v2
 * with a mail viewer). SDK clients reach them through `sdkEnv` (per-service endpoint variables) unchanged.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildApp } from 'fauxqs';
import { loadFauxqsInternals } from './fauxqs-internals.ts';
import { installPublicQueueUrls } from './queue-urls.ts';
import { keepMailIn } from './ses-mail-file.ts';
import { installSmsFront, SmsOutbox } from './sms-outbox.ts';
import { installSqsQueryProtocol } from './sqs-query-protocol.ts';
import { tapSubscriptionWrites } from './subscription-stream.ts';

export { SmsOutbox, type SmsRecord } from './sms-outbox.ts';

export interface StandinOptions {
  /** Interface to listen on. Default 127.0.0.1 (never all interfaces: the stand-ins check no credentials). */
  readonly host?: string;
  /** Ports; default 0 = ephemeral (what tests want). `npm start` uses 4566, 8000 and 8005. */
  readonly ports?: Partial<Record<StandinService, number>>;
  /**
   * Folder for state that survives a restart: queues, topics and objects in `<dataDir>/fauxqs/fauxqs.db` (SQLite,
   * written on every change), DynamoDB under `<dataDir>/dynamodb`, sent mail in `<dataDir>/ses-mail.jsonl`, the SMS
   * outbox in `<dataDir>/sms-outbox.jsonl`. Absent = everything in memory.
   */
  readonly dataDir?: string;
  /** Told the subscription ids of every successful write to the subscriptions table (the local stream). */
  readonly onSubscriptionWrite?: (ids: string[]) => void;
}

export interface Standins {
  readonly region: string;
  readonly endpoints: {
    readonly sqs: string;
    readonly sns: string;
    readonly s3: string;
    readonly dynamodb: string;
    readonly ses: string;
    /** GET: every mail sent so far as JSON (`{ emails: [...] }`); the viewer is at `ses` itself. */
    readonly sesStore: string;
  };
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Env for AWS SDK clients: AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_<SERVICE>. */
  readonly sdkEnv: Readonly<Record<string, string>>;
  /** Text messages "sent" with SNS Publish + PhoneNumber: `messages`, `on('sms', ...)`, `file`. */
  readonly smsOutbox: SmsOutbox;
  /** Mail sent so far, oldest first: the SES stand-in's store read in process (what GET `sesStore` returns). */
  sentEmails(): readonly SentEmail[];
  stop(): Promise<void>;
}

export type StandinService = 'aws' | 'dynamodb' | 'ses';

/** One mail as aws-ses-v2-local stores it. */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: {
    readonly to: readonly string[];
    readonly cc: readonly string[];
    readonly bcc: readonly string[];
  };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  /** Epoch seconds. */
  readonly at: number;
}

/** How to choose each port; `npm start` reads these flags and variables, and errors name them. */
export const PORT_SETTINGS: Readonly<
  Record<
    StandinService,
    { readonly label: string; readonly flag: string; readonly env: string; readonly fixed: number }
  >
> = {
  aws: { label: 'SQS/SNS/S3', flag: '--aws-port', env: 'WIREWATCH_AWS_PORT', fixed: 4566 },
  dynamodb: { label: 'DynamoDB', flag: '--dynamodb-port', env: 'WIREWATCH_DYNAMODB_PORT', fixed: 8000 },
  ses: { label: 'SES mail', flag: '--ses-port', env: 'WIREWATCH_SES_PORT', fixed: 8005 },
};

/** A stand-in could not listen because its port is taken. The message says which and how to change it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly service: StandinService,
    readonly host: string,
    readonly port: number,
  ) {
    const { label, flag, env } = PORT_SETTINGS[service];
    super(
      `Port ${port} (${label}) on ${host} is already in use, perhaps by another 'npm start'. ` +
        `Stop it, or choose another port with ${flag} N or ${env}=N.`,
    );
  }
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export async function startStandins(options: StandinOptions = {}): Promise<Standins> {
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? {};
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(stops.reverse().map((stop) => stop()));
  };
  try {
    const smsOutbox = new SmsOutbox(
      options.dataDir === undefined ? undefined : join(options.dataDir, 'sms-outbox.jsonl'),
    );
    const awsPort = await startFauxqs(host, ports.aws ?? 0, options.dataDir, smsOutbox, stops);
    const dynamodbPort = await startDynalite(host, ports.dynamodb ?? 0, options, stops);
    const sesPort = await startSes(host, ports.ses ?? 0, stops);
    if (options.dataDir !== undefined) {
      const release = keepMailIn(join(options.dataDir, 'ses-mail.jsonl'));
      stops.push(async () => release());
    }
    const sesStore = loadSesStore();

    const aws = `http://${urlHost(host)}:${awsPort}`;
    const ses = `http://${urlHost(host)}:${sesPort}`;
    const endpoints = {
      sqs: aws,
      sns: aws,
      s3: aws,
      dynamodb: `http://${urlHost(host)}:${dynamodbPort}`,
      ses,
      sesStore: `${ses}/store`,
    };
    const sdkEnv = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_SNS: endpoints.sns,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    };
    let stopped: Promise<void> | undefined;
    return {
      region: REGION,
      endpoints,
      credentials: { ...CREDENTIALS },
      sdkEnv,
      smsOutbox,
      sentEmails: () => sesStore().emails,
      stop: () => {
        stopped ??= stopAll().then(() => smsOutbox.flushed());
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function startFauxqs(
  host: string,
  port: number,
  dataDir: string | undefined,
  smsOutbox: SmsOutbox,
  stops: (() => Promise<void>)[],
): Promise<number> {
  // buildApp + listen rather than startFauxqs(), which binds 0.0.0.0; so the persistence is wired here.
  const internals = await loadFauxqsInternals();
  const { stores, close } = internals.createStores(
    dataDir === undefined ? undefined : join(dataDir, 'fauxqs'),
  );
  const app = buildApp({ logger: false, defaultRegion: REGION, stores });
  app.addHook('onClose', async () => close());
  let publicHost = '';
  installSqsQueryProtocol(app);
  installPublicQueueUrls(app, () => publicHost, REGION);
  installSmsFront(app, smsOutbox);
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw translateListenError(error, 'aws', host, port);
  }
  stops.push(() => app.close());
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  publicHost = `${urlHost(host)}:${actualPort}`;
  return actualPort;
}

interface DynaliteOptions {
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
  readonly path?: string;
}
type Dynalite = (options: DynaliteOptions) => Server;

async function startDynalite(
  host: string,
  port: number,
  { dataDir, onSubscriptionWrite }: StandinOptions,
  stops: (() => Promise<void>)[],
): Promise<number> {
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite') as Dynalite;
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir === undefined ? {} : { path: join(dataDir, 'dynamodb') }),
  });
  if (onSubscriptionWrite !== undefined) tapSubscriptionWrites(server, onSubscriptionWrite);
  const actualPort = await listen(server, 'dynamodb', host, port);
  stops.push(() => closeServer(server));
  return actualPort;
}

type SesStart = (config: { host: string; port: number }) => Promise<Server>;

async function startSes(host: string, port: number, stops: (() => Promise<void>)[]): Promise<number> {
  const start = await loadSesStart();
  // aws-ses-v2-local resolves only once listening and never rejects: probe the port first for a clear error.
  await probePort('ses', host, port);
  const server = await start({ host, port });
  stops.push(() => closeServer(server));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

/** aws-ses-v2-local is CommonJS with `exports.default`; how ESM sees it depends on the loader. */
async function loadSesStart(): Promise<SesStart> {
  const module: unknown = await import('aws-ses-v2-local');
  let candidate: unknown = module;
  for (let depth = 0; depth < 3 && typeof candidate !== 'function'; depth++) {
    candidate = (candidate as { default?: unknown } | undefined)?.default;
  }
  if (typeof candidate !== 'function') {
    throw new Error('aws-ses-v2-local exports no start function; is the installed version 2.x?');
  }
  return candidate as SesStart;
}

/**
 * The SES stand-in keeps mail in a module-level store (one per process, shared by every start in it). Reading it
 * in process costs nothing, where GET /store serialises every mail.
 */
function loadSesStore(): () => { emails: readonly SentEmail[] } {
  const require = createRequire(import.meta.url);
  const store = require('aws-ses-v2-local/dist/store.js') as { getStoreReadonly?: unknown };
  const read = store.getStoreReadonly;
  if (typeof read !== 'function') {
    throw new Error('aws-ses-v2-local/dist/store.js has no getStoreReadonly; is the installed version 2.x?');
  }
  return read as () => { emails: readonly SentEmail[] };
}

async function probePort(service: StandinService, host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(translateListenError(error, service, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function listen(server: Server, service: StandinService, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(translateListenError(error, service, host, port)));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets from SDK clients would hold the close open.
    server.closeAllConnections();
  });
}

function translateListenError(error: unknown, service: StandinService, host: string, port: number): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') return new PortInUseError(service, host, port);
  if (code === 'EACCES') {
    const { flag, env } = PORT_SETTINGS[service];
    return new Error(
      `Not allowed to listen on ${host}:${port}; choose a port above 1023 with ${flag} N or ${env}=N.`,
    );
  }
  return error;
}
