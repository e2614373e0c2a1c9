/**
 * A headless Chromium for browser tests with nothing installed but `npm ci`: the system's Chromium when there is
 * one (`WIREWATCH_CHROMIUM=/path`, or Debian's /usr/bin/chromium), else the one @sparticuz/chromium ships inside its
 * npm package (unpacked to the temp folder on first use, about 2 s). `WIREWATCH_CHROMIUM=npm` insists on the
 * packaged one, which is what CI tests: the browser a fresh clone gets.
 */
import { existsSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a quiet, offline, throwaway browser. */
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumChoice {
  readonly executablePath: string;
  /** Where it came from, for the test's name and failure messages. */
  readonly source: 'system' | 'npm';
  readonly args: readonly string[];
}

export async function chooseChromium(): Promise<ChromiumChoice> {
  const configured = process.env.WIREWATCH_CHROMIUM ?? '';
  if (configured !== '' && configured !== 'npm' && !existsSync(configured)) {
    throw new Error(
      `WIREWATCH_CHROMIUM=${configured} does not exist; unset it to use the packaged Chromium.`,
    );
  }
  const system = configured === 'npm' ? [] : configured !== '' ? [configured] : SYSTEM_CHROMIUMS;
  const found = system.find((path) => existsSync(path));
  if (found !== undefined)
    return { executablePath: found, source: 'system', args: ['--headless', ...COMMON_ARGS] };
  const { default: packaged } = await import('@sparticuz/chromium');
  // Its own flags are tuned for a single-process shell without a GPU; WebGL is not needed here.
  packaged.setGraphicsMode = false;
  return {
    executablePath: await packaged.executablePath(),
    source: 'npm',
    args: [...packaged.args, ...COMMON_ARGS],
  };
}

/** A persistent context on a fresh profile folder (Playwright takes it as userDataDir, not as a flag). */
export async function launchChromium(profileDir: string, choice: ChromiumChoice): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: choice.executablePath,
    headless: true,
    args: [...choice.args],
  });
}
