import { type ChildProcess, fork } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The parent side of ./live-roster-child.ts: a real Roster with a real SMTP server in a child
 * process, reached over HTTP at `baseUrl` (its public URL too). Client-side packages' tests use it.
 */
export interface LiveRoster {
  /** e.g. http://127.0.0.1:41234 — where it listens, and its public URL (the tokens' issuer). */
  baseUrl: string;
  /** A Backend API call (secret key), made by the server process. */
  bapi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The first mail to `to` (whose subject contains `subject`, if given), waiting for it. */
  waitForMail(to: string, subject?: string): Promise<{ subject: string; text: string; html: string }>;
  /** Moves the server's clock (only with `clock: 'test'`, where it stands still otherwise). */
  advanceClock(ms: number): Promise<number>;
  close(): Promise<void>;
}

export interface LiveRosterOptions {
  /** Extra configuration, e.g. `{ ROSTER_ALLOWED_ORIGINS: 'http://app.test' }`. */
  env?: Record<string, string>;
  /** `real` (default): Date.now; `test`: a clock that moves only with `advanceClock`. */
  clock?: 'real' | 'test';
}

// Node's path functions: under happy-dom the global URL is the page's.
const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, 'live-roster-child.ts');
const serverTsconfig = resolve(here, '../../tsconfig.json');

export async function startLiveRoster(options: LiveRosterOptions = {}): Promise<LiveRoster> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--conditions=@roster/source', '--import', 'tsx'],
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: serverTsconfig,
      NODE_ENV: 'test',
      ROSTER_LIVE_ENV: JSON.stringify(options.env ?? {}),
      ROSTER_LIVE_CLOCK: options.clock ?? 'real',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`live Roster exited early (${code})`)));
    child.on('message', (raw) => {
      const message = raw as { type?: string; url?: string; id?: number; result?: unknown; error?: string };
      if (message.type === 'ready' && message.url) return resolveUrl(message.url);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
  });
  const call = <T>(message: Record<string, unknown>) =>
    new Promise<T>((resolveCall, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolveCall as (v: unknown) => void, reject });
      child.send({ id, ...message });
    });

  return {
    baseUrl,
    bapi: (method, path, body) => call({ op: 'bapi', method, path, body }),
    waitForMail: (to, subject) => call({ op: 'waitForMail', to, subject }),
    advanceClock: (ms) => call({ op: 'advanceClock', ms }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.disconnect();
      await exited;
    },
  };
}
