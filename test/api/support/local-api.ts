import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV } from '../../../definitions/resources.ts';
import { type ApiServer, startApiServer } from '../../../local/api-server.ts';
import { localHandlerEnv, provisionResources } from '../../../local/provision.ts';
import { type Standins, startStandins } from '../../../local/standins.ts';

export const LOCAL_SECRET = 'local-test-signing-secret-0123456789abcdefghij';

export interface LocalApi {
  readonly standins: Standins;
  readonly server: ApiServer;
  readonly tokenFile: string;
  /** Mails the SES stand-in holds for an address, oldest first. */
  mailsTo(address: string): Promise<SesMail[]>;
  stop(): Promise<void>;
}

export interface SesMail {
  readonly subject: string;
  readonly destination: { readonly to: readonly string[] };
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

/** Stand-ins, provisioned resources and the local API server on an ephemeral port. */
export async function startLocalApi(): Promise<LocalApi> {
  const standins = await startStandins();
  const dir = await mkdtemp(join(tmpdir(), 'wirewatch-api-'));
  try {
    const resources = await provisionResources(standins);
    const { [ENV.publicBaseUrl]: _ownUrl, ...env } = localHandlerEnv(standins, resources, {
      signingSecret: LOCAL_SECRET,
      publicBaseUrl: 'http://unused.invalid',
      allowedSmsCountries: 'US,CA,GB',
    });
    const tokenFile = join(dir, 'dev-token');
    const server = await startApiServer({ env, port: 0, tokenFile, announce: () => {} });
    return {
      standins,
      server,
      tokenFile,
      mailsTo: async (address) => {
        const response = await fetch(standins.endpoints.sesStore);
        const { emails } = (await response.json()) as { emails: SesMail[] };
        return emails.filter((mail) => mail.destination.to.includes(address));
      },
      stop: async () => {
        await server.close();
        await standins.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await standins.stop();
    throw error;
  }
}

/** The confirmation link in a mail's text part. */
export function linkIn(mail: SesMail | undefined, path: string): URL {
  const line = mail?.body.text?.split('\n').find((l) => l.includes(path));
  if (line === undefined) throw new Error(`no ${path} link in the mail`);
  return new URL(line.trim());
}
