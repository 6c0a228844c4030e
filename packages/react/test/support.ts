import { type ChildProcess, fork } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRosterClient, type Organization, type RosterClient } from '@roster/client';

export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (prefix = 'user') => `${prefix}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/**
 * A real Roster (with its real SMTP server) in a child process, for tests that run under
 * happy-dom. The clients in these tests use the page's own `fetch`, from the allowed origin
 * `http://app.test`, with a bearer token: CORS preflights and all, as a browser would.
 */
export interface LiveServer {
  baseUrl: string;
  /** Backend API call (secret key), made by the server process. */
  bapi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  waitForMail(to: string): Promise<{ subject: string; text: string }>;
  /** Moves the server's clock (it stands still otherwise, so creation order needs it). */
  advanceClock(ms: number): Promise<number>;
  /** A client in bearer mode, signed out. */
  client(): RosterClient;
  /** A user with a verified address, and a client signed in as them. */
  signedIn(email?: string): Promise<{ client: RosterClient; email: string; userId: string }>;
  /** A signed-in user who created (and administers) an organization. */
  admin(name?: string): Promise<{ client: RosterClient; email: string; userId: string; organization: Organization }>;
  close(): Promise<void>;
}

// (Node's path functions: under happy-dom the global URL is the page's.)
const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, '../../client/test/server-process.ts');
const serverTsconfig = resolve(here, '../../server/tsconfig.json');

export async function startLiveServer(): Promise<LiveServer> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: serverTsconfig, NODE_ENV: 'test' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`test server exited early (${code})`)));
    child.on('message', (raw) => {
      const message = raw as { type?: string; url?: string; id?: number; result?: unknown; error?: string };
      if (message.type === 'ready' && message.url) return resolve(message.url);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
  });
  const call = <T>(message: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...message });
    });

  const bapi: LiveServer['bapi'] = (method, path, body) => call({ op: 'bapi', method, path, body });
  const client = () => createRosterClient({ baseUrl, sessionToken: null });
  const signedIn: LiveServer['signedIn'] = async (email = uniqueEmail()) => {
    const created = await bapi('POST', '/v1/users', {
      email_address: [email],
      password: PASSWORD,
      first_name: 'Test',
      last_name: email.split('@')[0],
    });
    if (created.status !== 200) throw new Error(`create user: ${JSON.stringify(created.body)}`);
    const c = client();
    await c.signIn.create({ identifier: email, password: PASSWORD });
    return { client: c, email, userId: created.body.id as string };
  };

  return {
    baseUrl,
    bapi,
    waitForMail: (to) => call({ op: 'waitForMail', to }),
    advanceClock: (ms) => call({ op: 'advanceClock', ms }),
    client,
    signedIn,
    admin: async (name = 'Acme') => {
      const who = await signedIn(uniqueEmail('admin'));
      return { ...who, organization: await who.client.createOrganization({ name }) };
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}
