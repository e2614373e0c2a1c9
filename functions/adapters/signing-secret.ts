import { ENV } from '../../definitions/resources.ts';

/**
 * The HMAC key of signed links: SIGNING_SECRET directly (local stack, tests), or the Secrets Manager secret
 * named by SIGNING_SECRET_ARN (AWS), read once per container. The Secrets Manager client is the one the
 * Lambda Node.js runtime ships (the bundle keeps `@aws-sdk/*` external); it is loaded only on that path,
 * so the local stack does not need the package.
 */
export type SecretFetcher = (secretArn: string) => Promise<string>;

export async function loadSigningSecret(
  env: Readonly<Record<string, string | undefined>>,
  fetchSecret: SecretFetcher = fetchFromSecretsManager,
): Promise<string> {
  const direct = env[ENV.signingSecret];
  if (direct !== undefined && direct !== '') return direct;
  const arn = env[ENV.signingSecretArn];
  if (arn === undefined || arn === '') {
    throw new Error(`Neither ${ENV.signingSecret} nor ${ENV.signingSecretArn} is set: set one of them.`);
  }
  const secret = await fetchSecret(arn);
  if (secret.trim() === '')
    throw new Error(`The secret ${arn} is empty: store at least 32 random bytes in it.`);
  return secret;
}

interface SecretsManagerModule {
  SecretsManagerClient: new (config: object) => { send(command: object): Promise<{ SecretString?: string }> };
  GetSecretValueCommand: new (input: { SecretId: string }) => object;
}

// A variable specifier: TypeScript and esbuild leave the import to run time (the Lambda runtime provides it).
const SECRETS_MANAGER_PACKAGE = '@aws-sdk/client-secrets-manager';

export async function fetchFromSecretsManager(secretArn: string): Promise<string> {
  const sdk = (await import(SECRETS_MANAGER_PACKAGE)) as SecretsManagerModule;
  const client = new sdk.SecretsManagerClient({});
  const { SecretString } = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
  if (SecretString === undefined) throw new Error(`The secret ${secretArn} has no string value.`);
  return SecretString;
}
