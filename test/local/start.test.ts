import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Ports free a moment ago (the CLI takes fixed ports; 0 would leave the alert links without a port). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

describe('npm start (local/start.ts)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wirewatch-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts, prints where everything is, and stops cleanly on Ctrl-C within two seconds', async () => {
    const [aws, dynamodb, ses, api] = await freePorts(4);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'local/start.ts',
        `--data-dir=${dataDir}`,
        `--aws-port=${aws}`,
        `--dynamodb-port=${dynamodb}`,
        `--ses-port=${ses}`,
        `--api-port=${api}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 45_000;
      while (!output.includes('Ctrl-C stops') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain('Ctrl-C stops');
      expect(output).toContain(`Mail viewer        http://127.0.0.1:${ses}/`);
      expect(output).toContain(`http://127.0.0.1:${aws}/000000000000/stories`);
      expect(output).toContain(join(dataDir, 'sms-outbox.jsonl'));
      expect(output).toContain('seeded 2 example subscriptions');

      const stopping = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      expect(Date.now() - stopping).toBeLessThan(2500);
      expect(code).toBe(0);
      expect(output).toContain('Stopped.');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('says in one line which port is taken and how to choose another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const taken = typeof address === 'object' && address !== null ? address.port : 0;
    const [dynamodb, ses, api] = await freePorts(3);
    try {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'local/start.ts',
          `--data-dir=${dataDir}`,
          `--aws-port=${taken}`,
          `--dynamodb-port=${dynamodb}`,
          `--ses-port=${ses}`,
          `--api-port=${api}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) =>
        child.on('exit', (status) => resolve(status)),
      );
      expect(code).toBe(1);
      const line = stderr.split('\n').find((text) => text.startsWith('npm start:'));
      expect(line).toBe(
        `npm start: Port ${taken} (SQS/SNS/S3) on 127.0.0.1 is already in use, perhaps by another 'npm start'. ` +
          'Stop it, or choose another port with --aws-port N or WIREWATCH_AWS_PORT=N.',
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
  it('stops everything on SIGTERM to the npm process, like Ctrl-C: no process left, every port free', async () => {
    const ports = await freePorts(4);
    const [aws, dynamodb, ses, api] = ports;
    // `npm start` itself, in its own process group, as a person or a supervisor would run it.
    const child = spawn(
      'npm',
      [
        'start',
        '--silent',
        '--',
        `--data-dir=${dataDir}`,
        `--aws-port=${aws}`,
        `--dynamodb-port=${dynamodb}`,
        `--ses-port=${ses}`,
        `--api-port=${api}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const group = child.pid ?? 0;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const groupAlive = () => {
      try {
        process.kill(-group, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('Ctrl-C stops') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain('Ctrl-C stops');
      child.kill('SIGTERM');
      await exited;
      const gone = Date.now() + 10_000;
      while (groupAlive() && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(groupAlive(), output).toBe(false);
      expect(output).toContain('Stopped.');
      for (const port of ports) expect(await nothingListensOn(port), `port ${port}`).toBe(true);
    } finally {
      if (groupAlive()) process.kill(-group, 'SIGKILL');
    }
  }, 90_000);
});

/**
 * No server listens on the port: it can be bound, or a connection to it is refused. The second case is a port
 * another test's client socket holds as its local port (tests run in parallel): binding it fails, yet nothing
 * listens there.
 */
async function nothingListensOn(port: number): Promise<boolean> {
  const bound = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (bound) return true;
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
