/**
 * `wirewatch login`: signs in to a deployed stack (or the local one) with the OAuth 2.0 authorization-code
 * flow with PKCE, the browser-based flow Cognito's managed login supports for a public client. The command
 * listens on a loopback port, prints the sign-in URL to open, receives the code there, exchanges it and
 * stores the access token where the other commands read it (functions/cli/credentials.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_API_URL } from '../../api/client.ts';
import {
  CLI_CALLBACK_PATH,
  CLI_CALLBACK_PORT,
  LOCAL_CLI_CLIENT_ID,
  OAUTH_PATHS,
  SIGN_IN_SCOPES,
} from '../../api/sign-in.ts';
import { errorMessage } from '../../core/describe-error.ts';
import { readArguments } from '../arguments.ts';
import type { Command, CommandIo } from '../command.ts';
import { saveCredentials } from '../credentials.ts';

const usage = `Usage: npm run --silent wirewatch -- login [--endpoint URL] [--auth-url URL] [--client-id ID] [--port N]

Signs you in (authorization code with PKCE): open the printed URL in a browser, sign in, and the token is
stored in $WIREWATCH_CONFIG_DIR/credentials.json (default ~/.config/wirewatch), mode 0600, for the commands
that talk to that endpoint (subscribe, subscriptions, unsubscribe).

Options (defaults: the local stack, 'npm start'):
  --endpoint URL    the subscribe API (or WIREWATCH_API_URL; stack output SubscribeApiUrl); default ${LOCAL_API_URL}
  --auth-url URL    the sign-in domain (or WIREWATCH_AUTH_URL; stack output SignInDomainUrl); default: the endpoint
  --client-id ID    the CLI's app client (or WIREWATCH_CLIENT_ID; stack output CliClientId); default ${LOCAL_CLI_CLIENT_ID}
  --port N          loopback port for the sign-in answer; default ${CLI_CALLBACK_PORT}, the one the stack registers
  --timeout S       seconds to wait for the sign-in; default 300`;

export const command: Command = {
  summary: 'sign in and store a token for the other commands',
  usage,
  async run(args, io) {
    const parsed = readArguments(args, { strings: ['endpoint', 'auth-url', 'client-id', 'port', 'timeout'] });
    if (typeof parsed === 'string' || parsed.positional.length > 0) {
      io.stderr(
        `wirewatch login: ${typeof parsed === 'string' ? parsed : `unexpected argument '${parsed.positional[0]}'`}. See --help.`,
      );
      return 2;
    }
    const values = parsed.options as Readonly<Record<string, string | undefined>>;
    const settings = readSettings(values, process.env);
    if (typeof settings === 'string') {
      io.stderr(`wirewatch login: ${settings}`);
      return 2;
    }
    try {
      const file = await login(settings, io);
      io.stdout(`Signed in. Token stored in ${file} for ${settings.endpoint}.`);
      return 0;
    } catch (error) {
      io.stderr(`wirewatch login: ${errorMessage(error)}`);
      return 1;
    }
  },
};

interface LoginSettings {
  readonly endpoint: string;
  readonly authUrl: string;
  readonly clientId: string;
  readonly port: number;
  readonly timeoutSeconds: number;
}

function readSettings(
  values: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv,
): LoginSettings | string {
  const trim = (value: string) => value.replace(/\/+$/, '');
  const endpoint = trim(values.endpoint ?? env.WIREWATCH_API_URL ?? LOCAL_API_URL);
  const authUrl = trim(values['auth-url'] ?? env.WIREWATCH_AUTH_URL ?? endpoint);
  const clientId = values['client-id'] ?? env.WIREWATCH_CLIENT_ID ?? LOCAL_CLI_CLIENT_ID;
  for (const [flag, url] of [
    ['--endpoint', endpoint],
    ['--auth-url', authUrl],
  ] as const) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      return `${flag} '${url}' is not an http(s) URL (see the stack outputs SubscribeApiUrl and SignInDomainUrl).`;
    }
  }
  if (!/^[\w.-]{1,128}$/.test(clientId))
    return `--client-id '${clientId}' is not an app client id (stack output CliClientId).`;
  const port = Number(values.port ?? CLI_CALLBACK_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return `--port '${values.port}' is not a port number.`;
  const timeoutSeconds = Number(values.timeout ?? 300);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) {
    return `--timeout '${values.timeout}' must be whole seconds from 1 to 3600.`;
  }
  return { endpoint, authUrl, clientId, port, timeoutSeconds };
}

async function login(settings: LoginSettings, io: CommandIo): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  let settle: (result: { code: string } | Error) => void = () => {};
  const answered = new Promise<{ code: string } | Error>((resolve) => {
    settle = resolve;
  });

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== CLI_CALLBACK_PATH) {
      response.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get('code');
    const problem =
      url.searchParams.get('error') ??
      (url.searchParams.get('state') !== state
        ? 'the answer is not for this login (state differs)'
        : undefined) ??
      (code === null ? 'the answer has no code' : undefined);
    response.writeHead(problem === undefined ? 200 : 400, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(
      problem === undefined
        ? 'Signed in to Wirewatch: you can close this tab.\n'
        : 'Sign-in failed: see the terminal.\n',
    );
    settle(problem === undefined && code !== null ? { code } : new Error(`sign-in failed: ${problem}.`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${settings.port} on 127.0.0.1 is in use: stop what holds it, or pass --port (Cognito accepts only the registered ${CLI_CALLBACK_PORT}).`
            : error.message,
        ),
      ),
    );
    server.listen(settings.port, '127.0.0.1', () => resolve());
  });
  try {
    const port = (server.address() as AddressInfo).port;
    const redirectUri = `http://localhost:${port}${CLI_CALLBACK_PATH}`;
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: redirectUri,
      scope: SIGN_IN_SCOPES.join(' '),
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    io.stdout('Open this address in a browser and sign in:');
    io.stdout(`${settings.authUrl}${OAUTH_PATHS.authorize}?${params.toString()}`);
    const timer = setTimeout(
      () => settle(new Error(`no sign-in within ${settings.timeoutSeconds} s; run wirewatch login again.`)),
      settings.timeoutSeconds * 1000,
    );
    const result = await answered.finally(() => clearTimeout(timer));
    if (result instanceof Error) throw result;
    const tokens = await exchange(settings, result.code, redirectUri, verifier);
    return await saveCredentials({
      endpoint: settings.endpoint,
      accessToken: tokens.accessToken,
      expiresAt: new Date(Date.now() + tokens.expiresInSeconds * 1000).toISOString(),
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function exchange(settings: LoginSettings, code: string, redirectUri: string, verifier: string) {
  let response: Response;
  try {
    response = await fetch(`${settings.authUrl}${OAUTH_PATHS.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: settings.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new Error(`cannot reach ${settings.authUrl} to exchange the code (${errorMessage(error)}).`);
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
    error_description?: unknown;
  };
  if (!response.ok || typeof body.access_token !== 'string') {
    const reason = [body.error, body.error_description].filter((part) => typeof part === 'string').join(': ');
    throw new Error(
      `the sign-in server refused the code (HTTP ${response.status}${reason ? `, ${reason}` : ''}).`,
    );
  }
  const expiresInSeconds =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
  return { accessToken: body.access_token, expiresInSeconds };
}
