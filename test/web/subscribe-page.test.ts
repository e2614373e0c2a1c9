/**
 * The subscribe page in a real browser (a system Chromium, else the one @sparticuz/chromium ships in npm, driven by
 * playwright-core; test/support/browser.ts) against the whole local
 * stack: stand-ins, the subscribe API server, the matcher and notifier behind SQS pollers. A person signs in
 * through the sign-in flow (authorization code + PKCE, as with Cognito's managed login) and out, then with
 * the dev token, writes a query (live validation), creates an alert, confirms the e-mail from the SES
 * store, and an alert for a published story arrives in the SES store; then unsubscribes from its link. A daily
 * digest set on the page holds a matching story until the digest is fired, then sends it in one digest mail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../definitions/resources.ts';
import { type ApiServer, startApiServer } from '../../local/api-server.ts';
import { standinClients } from '../../local/provision.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { chooseChromium, launchChromium } from '../support/browser.ts';

interface SesMail {
  readonly subject: string;
  readonly destination: { readonly to: readonly string[] };
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

let stack: LocalStack;
let api: ApiServer;
let browser: BrowserContext;
let page: Page;
let dir: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function mailsTo(address: string): Promise<SesMail[]> {
  const response = await fetch(stack.standins.endpoints.sesStore);
  const { emails } = (await response.json()) as { emails: SesMail[] };
  return emails.filter((mail) => mail.destination.to.includes(address));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wirewatch-web-'));
  const port = await freePort();
  stack = await startLocalStack({
    seed: false,
    publicBaseUrl: `http://127.0.0.1:${port}`,
    snapshotEverySeconds: 1,
  });
  api = await startApiServer({
    env: stack.handlerEnv,
    port,
    tokenFile: join(dir, 'dev-token'),
    announce: () => {},
  });
  expect(api.url).toBe(stack.handlerEnv[ENV.publicBaseUrl]);
  const choice = await chooseChromium();
  process.stderr.write(`subscribe page test: Chromium from ${choice.source} (${choice.executablePath})\n`);
  browser = await launchChromium(join(dir, 'chromium-profile'), choice);
  page = await browser.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Compacts the subscriptions into the matcher's snapshot, then publishes one story to the stories queue. */
async function publishStory(story: { id: string; headline: string; body: string }): Promise<void> {
  await stack.rebuildSnapshot();
  const clients = standinClients(stack.standins);
  try {
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.resources.queues.stories.url,
        MessageBody: JSON.stringify({
          wirewatch: 1,
          ...story,
          publishedAt: new Date().toISOString(),
          source: 'Test Wire',
        }),
      }),
    );
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

describe('subscribe page (chromium)', () => {
  const address = `reader-${Date.now()}@example.com`;

  it('signs in through the sign-in page (code flow with PKCE) and signs out again', async () => {
    await page.goto(`${api.url}/`);
    await page.click('#oauth-sign-in');
    // The local stand-in of managed login, asked for a code with a PKCE challenge.
    await page.waitForURL((url) => url.pathname === '/oauth2/authorize');
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${api.url}/`);
    await page.click('#sign-in');
    // Back on the page: the code was exchanged and forgotten from the address bar.
    await page.waitForSelector('#app:not([hidden])');
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.textContent('#session-user')).toBe('Signed in as local-dev');
    await expect.poll(() => page.textContent('#subscriptions')).toContain('No alerts yet.');

    await page.click('#sign-out');
    await page.waitForURL(`${api.url}/`);
    await page.waitForSelector('#sign-in:not([hidden])');
    expect(await page.isHidden('#app')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('wirewatch.token'))).toBeNull();

    // The stack's SignInUrl output (the page with ?sign-in) goes straight to the sign-in page.
    await page.goto(`${api.url}/?sign-in`);
    await page.waitForURL((url) => url.pathname === '/oauth2/authorize');
    await page.click('#sign-in');
    await page.waitForSelector('#app:not([hidden])');
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
  });

  it('signs in with the dev token and validates a query live, with its position', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });
    await page.goto(`${api.url}/`);
    await page.fill('#token-input', api.devToken);
    await page.click('#token-save');
    await page.waitForSelector('#app:not([hidden])');
    await expect.poll(() => page.textContent('#session-user')).toBe('Signed in as local-dev');
    await expect.poll(() => page.textContent('#subscriptions')).toContain('No alerts yet.');

    await page.fill('#query', 'Lisbon AND (fishing');
    await page.waitForSelector('#query-status.error');
    expect(await page.textContent('#query-status')).toMatch(/\(at character \d+\)$/);
    expect(await page.isVisible('#query-marker mark')).toBe(true);

    await page.fill('#query', '"fishing quotas" AND Lisbon');
    await page.waitForSelector('#query-status.valid');
    expect(await page.isHidden('#query-marker')).toBe(true);
    expect(violations, 'no CSP or script errors').toEqual([]);
  });

  it('creates an alert and shows its e-mail waiting for confirmation; escapes a hostile name', async () => {
    await page.fill('#name', 'Quotas <img src=x onerror=alert(1)>');
    await page.fill('#email', address);
    await page.click('#create');
    await expect
      .poll(() => page.textContent('#form-notice'))
      .toContain(`Check ${address} for a confirmation link.`);
    const item = page.locator('#subscriptions li').first();
    await expect.poll(() => item.textContent()).toContain('Quotas <img src=x onerror=alert(1)>');
    expect(await page.locator('#subscriptions img').count()).toBe(0);
    expect(await item.locator('[data-channel="email"]').textContent()).toContain('waiting for confirmation');
    // Nothing is sent until a channel is confirmed: the badge says so rather than "active".
    expect(await item.locator('.status').textContent()).toBe('awaiting confirmation');
  });

  it('confirms the e-mail from the link in the SES store', async () => {
    const [mail] = await waitFor('the confirmation mail', async () => {
      const mails = await mailsTo(address);
      return mails.length > 0 ? mails : undefined;
    });
    const link =
      mail?.body.text
        ?.split('\n')
        .find((line) => line.includes('/confirm?token='))
        ?.trim() ?? '';
    expect(link.startsWith(`${api.url}/confirm?token=`)).toBe(true);
    await page.goto(link);
    expect(await page.textContent('h1')).toBe('Confirm your alerts');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Alerts confirmed');
    await page.goto(`${api.url}/`);
    await expect
      .poll(() => page.locator('#subscriptions [data-channel="email"]').first().textContent())
      .toContain('confirmed');
  });

  it('sends an alert mail for a published story that matches', async () => {
    await publishStory({
      id: `browser-test-${Date.now()}`,
      headline: 'Ministers agree fishing quotas in Lisbon',
      body: 'Ministers meeting in Lisbon agreed new fishing quotas on Tuesday.\n\nThe deal covers cod and hake.',
    });
    const alert = await waitFor('the alert mail', async () =>
      (await mailsTo(address)).find((mail) => mail.subject.includes('fishing quotas')),
    );
    expect(alert.body.html).toContain('Lisbon');
    const unsubscribe = alert.headers?.find((header) => header.name === 'List-Unsubscribe')?.value ?? '';
    expect(unsubscribe).toMatch(new RegExp(`^<${api.url}/unsubscribe\\?token=[^>]+>$`));

    // The unsubscribe link asks first, then acts.
    await page.goto(unsubscribe.slice(1, -1));
    expect(await page.textContent('main')).toContain(
      'Stop e-mail alerts for Quotas <img src=x onerror=alert(1)>?',
    );
    await page.click('button[type=submit]');
    await page.waitForSelector('text=You are unsubscribed');
  });

  it('edits an alert: name, query and channels, with each error next to its field', async () => {
    await page.goto(`${api.url}/`);
    await page.fill('#name', 'Harbour desk');
    await page.fill('#query', 'harbour');
    await page.check('#sns');
    await page.click('#create');
    const item = page.locator('#subscriptions li', { hasText: 'Harbour desk' });
    await item.waitFor();
    expect(await item.locator('.status').textContent()).toBe('active');

    await item.getByRole('button', { name: 'Edit' }).click();
    expect(await page.textContent('#form-title')).toBe('Edit "Harbour desk"');
    expect(await page.inputValue('#name')).toBe('Harbour desk');
    expect(await page.inputValue('#query')).toBe('harbour');
    expect(await page.isChecked('#sns')).toBe(true);

    // A bad address: the message sits under the e-mail field, nothing is saved.
    await page.fill('#email', 'nope');
    await page.click('#create');
    await expect.poll(() => page.textContent('#email-error')).toMatch(/nope/);
    expect(await page.textContent('#form-error')).toBe('');
    expect(await page.textContent('#name-error')).toBe('');

    const editor = `editor-${Date.now()}@example.com`;
    await page.fill('#name', 'Harbour and port desk');
    await page.fill('#query', 'harbour OR port');
    await page.fill('#email', editor);
    await page.click('#create');
    await expect
      .poll(() => page.textContent('#form-notice'))
      .toBe(`Changes saved. Check ${editor} for a confirmation link.`);
    expect(await page.textContent('#email-error')).toBe('');
    expect(await page.textContent('#form-title')).toBe('New alert');
    const edited = page.locator('#subscriptions li', { hasText: 'Harbour and port desk' });
    await edited.waitFor();
    expect(await edited.locator('code.query').textContent()).toBe('harbour OR port');
    expect(await edited.locator('[data-channel="email"]').textContent()).toContain(
      `${editor} — waiting for confirmation`,
    );
    expect(await edited.locator('[data-channel="sns"]').count()).toBe(1);
    expect(await page.locator('#subscriptions li', { hasText: 'Harbour desk' }).count()).toBe(0);

    // Cancel leaves edit mode without saving.
    await edited.getByRole('button', { name: 'Edit' }).click();
    await page.fill('#name', 'Not saved');
    await page.click('#cancel-edit');
    expect(await page.textContent('#form-title')).toBe('New alert');
    expect(await page.inputValue('#name')).toBe('');
    await edited.getByRole('button', { name: 'Delete' }).click();
    await expect
      .poll(() => page.locator('#subscriptions li', { hasText: 'Harbour and port desk' }).count())
      .toBe(0);
  });

  it('sets a daily digest on the page; the published story comes in the digest the stack sends when fired', async () => {
    const reader = `digest-${Date.now()}@example.com`;
    await page.goto(`${api.url}/`);
    await page.fill('#name', 'Morning quotas');
    await page.fill('#query', '"fishing quotas"');
    await page.fill('#email', reader);
    await page.selectOption('#cadence', 'daily');
    await page.fill('#digest-at', '07:30');
    // A wrong time zone: the API's message sits under the When fields, nothing is saved.
    await page.fill('#time-zone', 'Mars/Olympus');
    await page.click('#create');
    await expect
      .poll(() => page.textContent('#delivery-error'))
      .toContain('Unknown time zone "Mars/Olympus"');
    await page.fill('#time-zone', 'Europe/Lisbon');
    await page.click('#create');
    await expect
      .poll(() => page.textContent('#form-notice'))
      .toContain(`Check ${reader} for a confirmation link.`);
    const [confirmation] = await waitFor('the confirmation mail', async () => {
      const mails = await mailsTo(reader);
      return mails.length > 0 ? mails : undefined;
    });
    const link =
      confirmation?.body.text
        ?.split('\n')
        .find((line) => line.includes('/confirm?token='))
        ?.trim() ?? '';
    await page.goto(link);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Alerts confirmed');
    await page.goto(`${api.url}/`);
    const item = page.locator('#subscriptions li', { hasText: 'Morning quotas' });
    await item.getByRole('button', { name: 'Edit' }).click();
    expect(await page.inputValue('#cadence')).toBe('daily');
    expect(await page.inputValue('#digest-at')).toBe('07:30');
    expect(await page.inputValue('#time-zone')).toBe('Europe/Lisbon');
    await page.click('#cancel-edit');

    await publishStory({
      id: `browser-digest-${Date.now()}`,
      headline: 'Fishing quotas set for the Atlantic',
      body: 'Ministers set fishing quotas for the Atlantic on Wednesday.',
    });
    // Fire the digest (wirewatch digest --now --all does the same) until the held story is in one.
    const digest = await waitFor('the digest mail', async () => {
      await stack.sendDigests({ all: true });
      return (await mailsTo(reader)).find((mail) => mail.subject === '[Wirewatch] Morning quotas: 1 story');
    });
    expect(digest.body.text).toContain('Fishing quotas set for the Atlantic');
    expect(digest.body.text).toContain('Change how often it comes:');
    expect(digest.headers?.some((header) => header.name === 'List-Unsubscribe-Post')).toBe(true);
    // The story never came as an immediate alert.
    expect((await mailsTo(reader)).filter((mail) => mail.subject.includes('Atlantic'))).toEqual([]);
  });

  it('resumes, pauses and deletes from the list', async () => {
    await page.goto(`${api.url}/`);
    await page.fill('#name', 'Topic only');
    await page.fill('#query', 'Porto');
    await page.check('#sns');
    await page.click('#create');
    const topicItem = page.locator('#subscriptions li', { hasText: 'Topic only' });
    await topicItem.waitFor();
    await topicItem.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => topicItem.locator('.status').textContent()).toBe('paused');
    await topicItem.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => topicItem.locator('.status').textContent()).toBe('active');
    await topicItem.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('#subscriptions li', { hasText: 'Topic only' }).count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'wirewatch-subscribe-page.png'), fullPage: true });
  });
});
