import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a user runs it: the real process (tsx, main.ts), a fresh data folder, a free
 * port, talked to over HTTP. Every wait is bounded; every child is killed after each test.
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const WAIT_MS = 20_000;
/** Each test starts one to three processes; under a loaded parallel run that is slow. */
const TEST_MS = 90_000;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has exited, or rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | null>;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];

/** Asks the OS for a free port by listening on 0, then gives it back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-startup-'));
  dirs.push(dir);
  return dir;
}

/** Starts `npm start`'s command with only the given Roster variables set (nothing inherited from this shell). */
function startRoster(env: Record<string, string>): Running {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !/^(ROSTER_|SMTP_|DATABASE_|NODE_ENV$|PORT$|HOST$|LOG_LEVEL$|VITEST|TEST$|NODE_OPTIONS$)/.test(k) &&
        k !== 'TSX_TSCONFIG_PATH',
    ),
  );
  const child = spawn(
    TSX,
    ['--conditions=@roster/source', '--tsconfig', 'packages/server/tsconfig.json', 'packages/server/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...inherited, NODE_ENV: 'development', ...env },
      // Its own process group, so the tsx wrapper and the node process under it are killed together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk) => {
    out += String(chunk);
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (chunk) => {
    err += String(chunk);
  });
  const exit = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const describeOutput = () => `\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, timeoutMs = WAIT_MS) =>
      new Promise((ok, fail) => {
        const check = () => {
          const m = pattern.exec(out);
          if (!m) return false;
          clearTimeout(timer);
          listeners.delete(onData);
          ok(m);
          return true;
        };
        const onData = () => void check();
        const timer = setTimeout(() => {
          listeners.delete(onData);
          fail(new Error(`no ${pattern} in the output within ${timeoutMs} ms${describeOutput()}`));
        }, timeoutMs);
        if (check()) return;
        listeners.add(onData);
        void exit.then(() => {
          if (!check()) {
            clearTimeout(timer);
            listeners.delete(onData);
            fail(new Error(`the process exited before printing ${pattern}${describeOutput()}`));
          }
        });
      }),
    exited: (timeoutMs = WAIT_MS) =>
      Promise.race([
        exit,
        new Promise<never>((_, fail) =>
          setTimeout(
            () => fail(new Error(`the process did not exit within ${timeoutMs} ms${describeOutput()}`)),
            timeoutMs,
          ).unref(),
        ),
      ]),
  };
}

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
}

afterEach(killAll);
afterAll(() => {
  killAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** fetch with a deadline, never following redirects. */
function http(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });
}

async function bapi(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await http(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, any> };
}

/** Polls until `probe` returns a value, for at most `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe('npm start, in development, on a fresh data folder', { timeout: TEST_MS }, () => {
  let dataDir: string;
  let secretKey: string;
  let orgId: string;
  let ownerId: string;

  beforeAll(() => {
    dataDir = tempDir();
  });

  it('generates and prints a key, serves the whole invitation flow, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const roster = startRoster({ ROSTER_DATA_DIR: dataDir, PORT: String(port) });

    const [, key] = await roster.waitFor(
      /Backend API secret key \(generated, kept in the data folder\): (sk_test_\S+)/,
    );
    secretKey = key!;
    expect(readFileSync(join(dataDir, 'secret-key'), 'utf8').trim()).toBe(secretKey);
    await roster.waitFor(new RegExp(`Dev mailbox: ${base}/dev/mailbox`));
    expect(roster.stdout()).toContain(`Roster is running at ${base}`);

    const health = await http(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // No HOST: development listens on 127.0.0.1 only (the dev mailbox shows every link and code),
    // so this machine's other addresses do not answer.
    expect(await connects('127.0.0.1', port)).toBe(true);
    for (const address of externalAddresses()) expect(await connects(address, port), address).toBe(false);

    // The walkthrough from the README, with fetch instead of curl.
    const owner = await bapi(base, secretKey, 'POST', '/v1/users', {
      email_address: ['owner@example.com'],
      password: 'owner password 1',
      first_name: 'Olive',
    });
    expect(owner.status).toBe(200);
    ownerId = owner.body.id;
    const org = await bapi(base, secretKey, 'POST', '/v1/organizations', { name: 'Acme', created_by: ownerId });
    expect(org.status).toBe(200);
    orgId = org.body.id;
    const invitation = await bapi(base, secretKey, 'POST', `/v1/organizations/${orgId}/invitations`, {
      email_address: 'new.person@example.com',
      role: 'org:member',
      inviter_user_id: ownerId,
    });
    expect(invitation.status).toBe(200);
    expect(invitation.body).toMatchObject({ object: 'organization_invitation', status: 'pending' });

    const mail = await eventually(async () => {
      const res = await http(`${base}/dev/mailbox.json`);
      expect(res.status).toBe(200);
      const mails = (await res.json()) as Array<{ to: string; subject: string; text: string }>;
      return mails.find((m) => m.to === 'new.person@example.com');
    });
    expect(mail.subject).toContain('Acme');
    const link = /(http\S+\/accept-invitation\?ticket=[\w%-]+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    expect(link!.startsWith(`${base}/accept-invitation?ticket=`)).toBe(true);
    // The dev mailbox also prints the link, so it can be clicked from the terminal.
    await roster.waitFor(new RegExp(`\\[dev mailbox\\] to=new\\.person@example\\.com.*link=${escapeRegExp(link!)}`));

    const page = await http(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create account and join');

    const ticket = new URL(link!).searchParams.get('ticket')!;
    const joined = await http(`${base}/accept-invitation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams({ ticket, action: 'sign_up', password: 'a long enough password', first_name: 'New' }),
    });
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe(`${base}/account`);
    expect(joined.headers.getSetCookie().some((c) => c.startsWith('__roster_session='))).toBe(true);

    const members = await bapi(base, secretKey, 'GET', `/v1/organizations/${orgId}/memberships`);
    expect(members.status).toBe(200);
    expect(members.body.total_count).toBe(2);

    // One request line per request, with status and duration; the ticket is not among them.
    const lines = roster
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.find((l) => l.method === 'POST' && l.path === '/accept-invitation')).toMatchObject({
      status: 303,
      duration_ms: expect.any(Number),
    });
    for (const line of requests) expect(JSON.stringify(line)).not.toContain(ticket);
    for (const line of lines) expect(JSON.stringify(line)).not.toContain(secretKey);

    roster.child.kill('SIGTERM');
    expect(await roster.exited()).toBe(0);
    expect(roster.stdout()).toContain('"msg":"shutting down"');
    expect(roster.stderr()).toBe('');
  });

  it('restarts on the same data folder with the same key and data (migrations run again harmlessly)', async () => {
    expect(secretKey).toBeDefined();
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const roster = startRoster({ ROSTER_DATA_DIR: dataDir, PORT: String(port) });

    const [line] = await roster.waitFor(/Backend API secret key.*: sk_test_\S+/);
    expect(line).toBe(`Backend API secret key: ${secretKey}`);

    expect((await http(`${base}/healthz`)).status).toBe(200);
    const org = await bapi(base, secretKey, 'GET', `/v1/organizations/${orgId}`);
    expect(org.status).toBe(200);
    expect(org.body.name).toBe('Acme');
    const members = await bapi(base, secretKey, 'GET', `/v1/organizations/${orgId}/memberships`);
    expect(members.body.total_count).toBe(2);
    expect((await bapi(base, secretKey, 'GET', `/v1/users/${ownerId}`)).status).toBe(200);

    roster.child.kill('SIGTERM');
    expect(await roster.exited()).toBe(0);
    expect(roster.stderr()).toBe('');
  });

  it('also shuts down cleanly on SIGTERM with a keep-alive connection open', async () => {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const roster = startRoster({ ROSTER_DATA_DIR: dataDir, PORT: String(port) });
    await roster.waitFor(/API reference/);
    // fetch keeps the connection alive after this request.
    expect((await http(`${base}/healthz`, { headers: { connection: 'keep-alive' } })).status).toBe(200);
    roster.child.kill('SIGTERM');
    expect(await roster.exited(8_000)).toBe(0);
  });
});

describe('npm start refuses a bad environment', { timeout: TEST_MS }, () => {
  it('refuses production without SMTP_URL, naming it', async () => {
    const dataDir = tempDir();
    const roster = startRoster({
      NODE_ENV: 'production',
      ROSTER_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      ROSTER_SECRET_KEY: 'sk_live_0123456789abcdefghijklmnop',
    });
    expect(await roster.exited()).not.toBe(0);
    expect(roster.stderr()).toMatch(/SMTP_URL: .*required in production/);
    expect(roster.stdout() + roster.stderr()).not.toContain('0123456789abcdefghijklmnop');
  });

  it('refuses a broken mail template, naming the file (ROSTER_EMAIL_TEMPLATES_DIR)', async () => {
    const templates = tempDir();
    writeFileSync(join(templates, 'password_reset_code.subject.hbs'), 'Reset');
    writeFileSync(join(templates, 'password_reset_code.txt.hbs'), 'Your code');
    writeFileSync(join(templates, 'password_reset_code.html.hbs'), '<p>{{code}}</p>');
    const roster = startRoster({
      ROSTER_DATA_DIR: tempDir(),
      PORT: String(await freePort()),
      ROSTER_EMAIL_TEMPLATES_DIR: templates,
    });
    expect(await roster.exited()).not.toBe(0);
    expect(roster.stderr()).toMatch(
      /ROSTER_EMAIL_TEMPLATES_DIR: password_reset_code\.txt\.hbs: must show \{\{code\}\}/,
    );
  });

  it('refuses a brand logo that is not an image, naming ROSTER_BRAND_LOGO', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'logo.png'), 'not a picture');
    const roster = startRoster({
      ROSTER_DATA_DIR: tempDir(),
      PORT: String(await freePort()),
      ROSTER_BRAND_LOGO: join(dir, 'logo.png'),
    });
    expect(await roster.exited()).not.toBe(0);
    expect(roster.stderr()).toMatch(/ROSTER_BRAND_LOGO: .*logo\.png is not an image; use a PNG, JPEG, GIF or WebP/);
  });

  it('refuses a bad PORT, naming it', async () => {
    const roster = startRoster({ ROSTER_DATA_DIR: tempDir(), PORT: 'abc' });
    expect(await roster.exited()).not.toBe(0);
    expect(roster.stderr()).toMatch(/^\s+PORT: /m);
  });

  it('refuses a database it cannot open, naming DATABASE_URL without its password', async () => {
    const dataDir = tempDir();
    const roster = startRoster({
      ROSTER_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      // A file where the database's folder should be.
      DATABASE_URL: `file:${join(dataDir, 'secret-key')}/roster.sqlite`,
    });
    expect(await roster.exited()).not.toBe(0);
    expect(roster.stderr()).toContain('DATABASE_URL=');
    expect(roster.stderr()).not.toMatch(/\n\s+at /);

    const postgres = startRoster({
      ROSTER_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://roster:hunter2secret@127.0.0.1:${await freePort()}/roster`,
    });
    expect(await postgres.exited()).not.toBe(0);
    expect(postgres.stderr()).toContain('DATABASE_URL=postgres://roster:***@127.0.0.1');
    expect(postgres.stdout() + postgres.stderr()).not.toContain('hunter2secret');
  });

  it('refuses a PORT that is already taken, naming it', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(0, ok));
    const { port } = blocker.address() as { port: number };
    try {
      const roster = startRoster({ ROSTER_DATA_DIR: tempDir(), PORT: String(port) });
      expect(await roster.exited()).not.toBe(0);
      expect(roster.stderr()).toMatch(new RegExp(`PORT: ${port} is already in use`));
      expect(roster.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
  });
});

describe('npm start in production', { timeout: TEST_MS }, () => {
  it('serves with SMTP_URL and a configured key, and never prints the key', async () => {
    const port = await freePort();
    const key = 'sk_live_productionKeyNeverPrinted0123';
    const roster = startRoster({
      NODE_ENV: 'production',
      ROSTER_DATA_DIR: tempDir(),
      PORT: String(port),
      ROSTER_SECRET_KEY: key,
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    });
    await roster.waitFor(/"msg":"Roster is listening"/);
    expect((await http(`http://localhost:${port}/healthz`)).status).toBe(200);
    const me = await http(`http://localhost:${port}/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    // The dev mailbox exists only without SMTP.
    expect((await http(`http://localhost:${port}/dev/mailbox.json`)).status).toBe(404);
    roster.child.kill('SIGTERM');
    expect(await roster.exited()).toBe(0);
    expect(roster.stdout() + roster.stderr()).not.toContain(key);
  });
});

/** This machine's addresses other than loopback (IPv4 and IPv6). */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && !a.address.startsWith('fe80:'))
    .map((a) => a!.address);
}

/** Whether a TCP connection to `host:port` is accepted (a refusal or any error: false). */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
