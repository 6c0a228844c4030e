import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../src/config.js';
import { smtpTransport } from '../../src/email/transports.js';
import { createLogger, createRoster, type Roster, type RosterOverrides } from '../../src/server.js';
import { createTestDatabase } from './database.js';
import { startSmtp, type TestSmtp } from './smtp.js';

export const SECRET_KEY = 'sk_test_roster_tests_0123456789abcdef';
export const PUBLIC_URL = 'http://roster.test';

/** A controllable clock: starts at real time, moves only when told to. */
export function testClock(start = Date.now()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

export interface TestRoster {
  roster: Roster;
  smtp: TestSmtp;
  clock: ReturnType<typeof testClock>;
  /** Every log line the server wrote (JSON), to check what is and is not logged. */
  logs: string[];
  /** Calls the Backend API with the secret key. */
  bapi(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A browser-like client: keeps the session cookie and sends the public Origin on writes. */
  browser(): Browser;
  close(): Promise<void>;
}

/** A cookie-keeping client for the Frontend API and hosted pages, driving the app in-process. */
export class Browser {
  /** The session cookie's value (null when signed out). */
  cookie: string | null = null;
  /** Every other cookie the server set (the sign-up id, say). */
  readonly otherCookies = new Map<string, string>();
  constructor(private readonly roster: Roster) {}

  async fetch(
    method: string,
    path: string,
    init: {
      json?: unknown;
      form?: Record<string, string>;
      /** A multipart body (its content type, with the boundary, comes from the body). */
      multipart?: FormData;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    const jar = [...this.otherCookies].map(([k, v]) => `${k}=${v}`);
    if (this.cookie) jar.push(`__roster_session=${this.cookie}`);
    if (jar.length) headers.cookie = jar.join('; ');
    if (method !== 'GET' && !('origin' in headers)) headers.origin = PUBLIC_URL;
    let body: string | FormData | undefined;
    if (init.multipart) {
      body = init.multipart;
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const url = path.startsWith('http') ? path : `${PUBLIC_URL}${path}`;
    const res = await this.roster.app.request(url, { method, headers, ...(body !== undefined && { body }) });
    for (const set of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(set);
      if (!m) continue;
      const [, name, value] = m as unknown as [string, string, string];
      if (name === '__roster_session') this.cookie = value || null;
      else if (value) this.otherCookies.set(name, value);
      else this.otherCookies.delete(name);
    }
    return res;
  }

  get = (path: string) => this.fetch('GET', path);
  post = (path: string, json?: unknown) => this.fetch('POST', path, { json: json ?? {} });
  patch = (path: string, json: unknown) => this.fetch('PATCH', path, { json });
  delete = (path: string) => this.fetch('DELETE', path);
}

export async function startTestRoster(
  options: {
    env?: Record<string, string>;
    /** Applied over the config read from `env` (what `resolveSecretKey` adds, say). */
    config?: Partial<Config>;
    overrides?: RosterOverrides;
    smtp?: TestSmtp;
  } = {},
): Promise<TestRoster> {
  const smtp = options.smtp ?? (await startSmtp());
  const clock = testClock();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const database = await createTestDatabase();
  const loaded: Config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    ROSTER_SECRET_KEY: SECRET_KEY,
    ROSTER_PUBLIC_URL: PUBLIC_URL,
    ROSTER_ALLOWED_ORIGINS: 'http://app.test',
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const config: Config = { ...loaded, ...options.config };
  const roster = await createRoster(
    { ...config, secretKey: config.secretKey ?? SECRET_KEY },
    {
      logger: createLogger('info', sink),
      now: clock.now,
      transport: smtpTransport(smtp.url),
      dispatcherOptions: { pollMs: 50 },
      ...options.overrides,
    },
  );
  return {
    roster,
    smtp,
    clock,
    logs,
    bapi: async (method, path, body, headers = {}) =>
      roster.app.request(`${PUBLIC_URL}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${roster.secretKey}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    browser: () => new Browser(roster),
    close: async () => {
      await roster.close();
      await database.drop();
      if (!options.smtp) await smtp.close();
    },
  };
}

/** Reads a JSON body, failing the test with the body text if it is not JSON. */
export async function json<T = Record<string, any>>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 300)}`);
  }
}

/** Common setup: an admin user (signed in), their organization, via the APIs. */
export async function seedOrganization(
  t: TestRoster,
  options: { email?: string; password?: string; name?: string; max?: number } = {},
) {
  const email = options.email ?? `admin-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = options.password ?? 'correct horse battery staple';
  const user = await json(
    await t.bapi('POST', '/v1/users', { email_address: [email], password, first_name: 'Ada', last_name: 'Admin' }),
  );
  const org = await json(
    await t.bapi('POST', '/v1/organizations', {
      name: options.name ?? 'Acme',
      created_by: user.id,
      ...(options.max !== undefined && { max_allowed_memberships: options.max }),
    }),
  );
  const browser = t.browser();
  const signIn = await browser.post('/fapi/v1/client/sign_ins', { identifier: email, password });
  if (signIn.status !== 200) throw new Error(`sign in failed: ${await signIn.text()}`);
  return { user, org, email, password, browser };
}
