import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** Child processes of the bench: each server runs alone in its own process, so its memory is its own. */

export const ROOT = resolve(import.meta.dirname, '../..');
export const BENCH = resolve(import.meta.dirname, '..');

export interface ServerProcess {
  name: string;
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** The process's log file (stdout and stderr). */
  logFile: string;
  /** Peak resident set since start or the last `resetPeak()`, in MiB (Linux VmHWM). */
  peakRssMiB(): number | null;
  /** Sets the peak back to the current RSS (Linux `clear_refs` 5), so a peak can be read per phase. */
  resetPeak(): void;
  /** CPU time the process has used so far (user + system, all threads), seconds. */
  cpuSeconds(): number | null;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function statusField(pid: number, field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds (USER_HZ is 100 on Linux). */
function cpuOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
  name: string;
  /** A TypeScript entry point, run with `node --import tsx`. */
  script: string;
  env: Record<string, string>;
  port: number;
  /** Answered with 200 once the server is ready. */
  healthPath: string;
  logDir: string;
  /** When set, the process is started with `--cpu-prof` writing into this folder. */
  cpuProfDir?: string | null;
  /** TSX_TSCONFIG_PATH for the child (Roster needs its JSX settings). */
  tsconfig?: string;
  timeoutMs?: number;
}

/**
 * Starts `node --import tsx <script>` (one process, unlike the `tsx` CLI, which forks a second
 * one), writes its output to a log file, and waits until `healthPath` answers 200.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const args = ['--conditions=@roster/source', '--import', 'tsx'];
  if (options.cpuProfDir) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  }
  args.push(options.script);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...(options.tsconfig && { TSX_TSCONFIG_PATH: options.tsconfig }),
      ...options.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${options.port}`;
  const pid = child.pid!;
  const proc: ServerProcess = {
    name: options.name,
    url,
    port: options.port,
    pid,
    child,
    logFile,
    peakRssMiB: () => statusField(pid, 'VmHWM'),
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // not Linux, or not allowed: the peak then covers the whole life of the process
      }
    },
    cpuSeconds: () => cpuOf(pid),
    stop: async (graceMs = 15_000) => {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(`${url}${options.healthPath}`);
      await res.arrayBuffer();
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await proc.stop(1_000);
  throw new Error(
    `${options.name} did not become ready; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`,
  );
}

/** The SMTP sink (src/smtp-sink.ts) as a running process, with the address mail goes to. */
export interface SmtpSink extends ServerProcess {
  smtpUrl: string;
}

/** Starts the SMTP sink on two free ports: SMTP for the products, HTTP for its counts. */
export async function startSmtpSink(logDir: string): Promise<SmtpSink> {
  const smtpPort = await freePort();
  const server = await startServer({
    name: 'smtp-sink',
    script: join(BENCH, 'src/smtp-sink.ts'),
    port: await freePort(),
    healthPath: '/healthz',
    logDir,
    env: { SMTP_PORT: String(smtpPort) },
  });
  return { ...server, smtpUrl: `smtp://127.0.0.1:${smtpPort}` };
}

/** Runs a TypeScript program to completion and parses the last line it prints as JSON. */
export function runJsonProgram<T>(script: string, env: Record<string, string>): Promise<T> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--conditions=@roster/source', '--import', 'tsx', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${script} exited ${code}:\n${err.slice(-3000)}${out.slice(-1000)}`));
      try {
        done(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result:\n${out.slice(-2000)}\n${err.slice(-2000)}`));
      }
    });
  });
}
