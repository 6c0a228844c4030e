import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Real Roster processes, started from the sources (`node --import tsx …/main.ts`, no build needed: one
 * process, so a SIGKILL kills the server itself), for tests of several instances and crashes.
 */

const ROOT = resolve(import.meta.dirname, '../../../..');

export interface RosterProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed, stdout and stderr. */
  output: () => string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `npm start`'s entry point with `env` and waits until /healthz answers (or the process dies). */
export async function startRosterProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<RosterProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=@roster/source', '--import', 'tsx', join(ROOT, 'packages/server/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ROSTER_DATA_DIR: mkdtempSync(join(tmpdir(), 'roster-proc-')),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  const url = `http://127.0.0.1:${port}`;
  const proc: RosterProcess = {
    url,
    port,
    child,
    output: () => out,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.kill('SIGKILL');
  throw new Error(`Roster process did not become healthy:\n${out}`);
}

/** Runs the `roster` command line from the sources with exactly `env`, and resolves with what it printed and its exit code. */
export function runRosterCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = join(ROOT, 'packages/server/src/cli/main.ts');
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--conditions=@roster/source', '--import', 'tsx', cli, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}
