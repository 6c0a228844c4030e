import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, type RosterProcess, startRosterProcess } from '../../packages/server/test/support/processes.js';
import { startSmtp, type TestSmtp } from '../../packages/server/test/support/smtp.js';
import { EXAMPLE, ensureExampleBuilt, NEXT_BIN } from './example-build.js';

export const SECRET_KEY = 'sk_test_roster_e2e_0123456789abcdefghij';

/** A real SMTP server, a real Roster process (SQLite in a temp dir) and the built example app. */
export interface Stack {
  smtp: TestSmtp;
  roster: RosterProcess;
  /** Roster as the browser sees it, e.g. http://localhost:41234 */
  rosterUrl: string;
  /** The example app, e.g. http://localhost:41235 */
  appUrl: string;
  /** A Backend API call with the secret key. */
  bapi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  output(): string;
  close(): Promise<void>;
}

async function waitForHttp(url: string, isDead: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !isDead()) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer`);
}

export async function startStack(): Promise<Stack> {
  const [built, smtp, rosterPort, appPort] = await Promise.all([
    ensureExampleBuilt(),
    startSmtp(),
    freePort(),
    freePort(),
  ]);
  console.log(`e2e: example ${built === 'cached' ? 'build is up to date' : 'built'}`);
  const rosterUrl = `http://localhost:${rosterPort}`;
  const appUrl = `http://localhost:${appPort}`;
  const roster = await startRosterProcess({
    PORT: String(rosterPort),
    NODE_ENV: 'test',
    ROSTER_SECRET_KEY: SECRET_KEY,
    ROSTER_PUBLIC_URL: rosterUrl,
    ROSTER_ALLOWED_ORIGINS: appUrl,
    ROSTER_AFTER_ACCEPT_URL: `${appUrl}/organization`,
    SMTP_URL: smtp.url,
    ROSTER_SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
  });

  let appOutput = '';
  const app: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(appPort)], {
    cwd: EXAMPLE,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ROSTER_URL: rosterUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout?.on('data', (d) => (appOutput += d));
  app.stderr?.on('data', (d) => (appOutput += d));
  const appExited = new Promise<void>((done) => app.once('exit', () => done()));
  let appDead = false;
  void appExited.then(() => (appDead = true));
  try {
    await waitForHttp(`${appUrl}/`, () => appDead);
  } catch (error) {
    app.kill('SIGKILL');
    await roster.kill();
    await smtp.close();
    throw new Error(`the example did not start: ${String(error)}\n${appOutput}`);
  }

  return {
    smtp,
    roster,
    rosterUrl,
    appUrl,
    bapi: async (method, path, body) => {
      const res = await fetch(`${roster.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${SECRET_KEY}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    output: () => `--- roster ---\n${roster.output()}\n--- example ---\n${appOutput}`,
    close: async () => {
      if (app.exitCode === null && app.signalCode === null) app.kill('SIGTERM');
      await appExited;
      await roster.kill();
      await smtp.close();
    },
  };
}
