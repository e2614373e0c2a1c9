/**
 * The CDK entry (infra/app.ts) run as `cdk synth` runs it: a child process with the context in
 * CDK_CONTEXT_JSON. A bad setting must stop synth with one line naming the key and the fix, and exit 1,
 * before anything is bundled.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let outdir: string;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'wirewatch-synth-'));
});
afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

function synth(context: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'infra/app.ts'],
      {
        cwd: root,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
        timeout: 60_000,
      },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stderr }),
    );
  });
}

describe('cdk synth (infra/app.ts) refuses bad settings', { timeout: 60_000 }, () => {
  it('fails on a misspelt key, naming the closest known one', async () => {
    // GIVEN a context with senderAdress (one "d")
    // WHEN the app is synthesized
    const { code, stderr } = await synth({ senderAdress: 'alerts@acme.io' });
    // THEN it exits 1 with the key and the suggestion, and no stack trace
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid CDK context "senderAdress": is not a Wirewatch setting.');
    expect(stderr).toContain('Did you mean "senderAddress"?');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('fails with the placeholder sender, saying which setting to give', async () => {
    const { code, stderr } = await synth({ senderAddress: 'alerts@example.com' });
    expect(code).toBe(1);
    expect(stderr).toContain('"senderAddress": "alerts@example.com" is a placeholder');
    expect(stderr).toContain('-c senderAddress="Wirewatch Alerts <alerts@');
    expect(stderr).toContain('-c allowPlaceholderSender=true');
  });

  it('fails the same way when no sender is given at all', async () => {
    const { code, stderr } = await synth({});
    expect(code).toBe(1);
    expect(stderr).toContain('is a placeholder');
  });
});
