import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveSecretKey } from '../src/config.js';

const KEY = 'sk_live_0123456789abcdefghijklmnop';

/** The ConfigError that `loadConfig(env)` throws (fails the test when it does not throw one). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig to throw for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      databaseUrl: `file:${join(resolve('./data'), 'roster.sqlite')}`,
      secretKey: null,
      publicUrl: 'http://localhost:3000',
      allowedOrigins: [],
      smtpUrl: null,
      mailFrom: 'Roster <no-reply@localhost>',
      invitationTtlDays: 30,
      sessionTtlDays: 30,
      defaultMaxAllowedMemberships: 0,
      rateLimits: true,
      logLevel: 'info',
    });
  });

  it('derives the public URL and the database from PORT and ROSTER_DATA_DIR', () => {
    const config = loadConfig({ PORT: '4100', ROSTER_DATA_DIR: '/srv/roster' });
    expect(config.publicUrl).toBe('http://localhost:4100');
    expect(config.databaseUrl).toBe('file:/srv/roster/roster.sqlite');
  });

  it('reads every variable it is given, and treats empty values as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://roster@db/roster',
      ROSTER_SECRET_KEY: KEY,
      ROSTER_PUBLIC_URL: 'https://roster.example.com/',
      ROSTER_ALLOWED_ORIGINS: 'https://app.example.com/, https://admin.example.com',
      SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      ROSTER_MAIL_FROM: 'Acme <team@example.com>',
      ROSTER_INVITATION_TTL_DAYS: '7',
      ROSTER_RATE_LIMITS: 'false',
      LOG_LEVEL: '',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://roster@db/roster',
      secretKey: KEY,
      publicUrl: 'https://roster.example.com',
      allowedOrigins: ['https://app.example.com', 'https://admin.example.com'],
      smtpUrl: 'smtps://mailer:pw@smtp.example.com:465',
      mailFrom: 'Acme <team@example.com>',
      invitationTtlDays: 7,
      rateLimits: false,
      logLevel: 'info',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '1e3'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['ROSTER_PREVIOUS_SECRET_KEYS', 'sk_test_0123456789abcdefghijklmnop,short'],
    ['ROSTER_SECRET_KEY', 'short'],
    ['ROSTER_PUBLIC_URL', 'notaurl'],
    ['ROSTER_PUBLIC_URL', 'ftp://files.example.com'],
    ['SMTP_URL', 'http://x'],
    ['ROSTER_INVITATION_TTL_DAYS', '0'],
    ['ROSTER_INVITATION_TTL_DAYS', '-1'],
    ['ROSTER_DEFAULT_MAX_MEMBERSHIPS', 'unlimited'],
    ['ROSTER_RATE_LIMITS', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['ROSTER_ALLOWED_ORIGINS', 'app.example.com'],
    ['ROSTER_ALLOWED_ORIGINS', 'https://app.example.com/dashboard'],
    ['ROSTER_MAIL_FROM', 'Roster <a@example.com>\r\nBcc: x@evil.test'],
    ['ROSTER_RATE_LIMIT_STORE', 'memcached://x'],
    ['ROSTER_RATE_LIMIT_STORE', 'database'],
    ['ROSTER_OUTBOX_LEASE_MS', '10'],
    ['ROSTER_TRUST_PROXY', 'sometimes'],
    ['ROSTER_SQLITE_SYNCHRONOUS', 'off'],
  ])('%s=%s stops start-up with a message naming the variable', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.message).toMatch(new RegExp(`^\\s+${name}: `, 'm'));
  });

  it('says what a number must look like', () => {
    expect(configError({ PORT: 'abc' }).message).toContain('PORT: must be a whole number from 0 to 65535');
  });

  it('lists every bad variable at once', () => {
    const error = configError({ PORT: 'abc', SMTP_URL: 'http://x' });
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('SMTP_URL');
  });

  it('does not repeat a rejected secret key in its message', () => {
    const error = configError({ ROSTER_SECRET_KEY: 'sk_live_tooShortButSecret' });
    expect(error.message).toContain('ROSTER_SECRET_KEY');
    expect(error.message).not.toContain('tooShortButSecret');
  });

  it('refuses production without SMTP_URL (mail is never dropped)', () => {
    const error = configError({ NODE_ENV: 'production', ROSTER_SECRET_KEY: KEY });
    expect(error.message).toMatch(/^\s+SMTP_URL: .*required in production/m);
    expect(error.message).not.toContain('ROSTER_SECRET_KEY');
  });

  it('refuses production without a secret key', () => {
    const error = configError({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25' });
    expect(error.message).toMatch(/^\s+ROSTER_SECRET_KEY: .*required in production/m);
    expect(error.message).not.toContain('SMTP_URL');
  });

  it('starts in production with SMTP_URL and a secret key', () => {
    const config = loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25', ROSTER_SECRET_KEY: KEY });
    expect(config.env).toBe('production');
    expect(config.secretKey).toBe(KEY);
  });

  it('listens on 127.0.0.1 in development and tests, on every interface in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'development' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25', ROSTER_SECRET_KEY: KEY };
    expect(loadConfig(production).host).toBe('0.0.0.0');
    expect(loadConfig({ ...production, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    for (const host of ['0.0.0.0', '::', '::1', '10.0.0.7', 'localhost', 'roster.internal', ' 0.0.0.0 ']) {
      expect(loadConfig({ HOST: host }).host).toBe(host.trim());
    }
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
  });

  it.each(['http://0.0.0.0', '0.0.0.0:3000', 'local host', '-bad-', 'a..b', 'x'.repeat(254)])(
    'refuses HOST=%s, naming it',
    (host) => {
      expect(configError({ HOST: host }).message).toMatch(/^\s+HOST: must be an IP address/m);
    },
  );
});

describe('the stores several instances share', () => {
  it('keeps rate limits in memory on SQLite and in the database on PostgreSQL, unless told otherwise', () => {
    expect(loadConfig({}).rateLimitStore).toBe('memory');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster' }).rateLimitStore).toBe('database');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster', ROSTER_RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toBe(
      'memory',
    );
    expect(loadConfig({ ROSTER_RATE_LIMIT_STORE: 'redis://cache:6379/2' }).rateLimitStore).toEqual({
      redisUrl: 'redis://cache:6379/2',
    });
  });

  it('syncs SQLite commits fully unless told normal', () => {
    expect(loadConfig({}).sqliteSynchronous).toBe('full');
    expect(loadConfig({ ROSTER_SQLITE_SYNCHRONOUS: 'normal' }).sqliteSynchronous).toBe('normal');
  });

  it('reads the outbox lease and poll interval, and whether to trust the proxy', () => {
    expect(loadConfig({}).outboxLeaseMs).toBe(15_000);
    const c = loadConfig({ ROSTER_OUTBOX_LEASE_MS: '5000', ROSTER_OUTBOX_POLL_MS: '200', ROSTER_TRUST_PROXY: 'true' });
    expect([c.outboxLeaseMs, c.outboxPollMs, c.trustProxy]).toEqual([5000, 200, true]);
  });
});

describe('resolveSecretKey', () => {
  let dir: string;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates a key once into the data folder and reuses it', () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-config-'));
    const dataDir = join(dir, 'nested', 'data');
    const config = loadConfig({ ROSTER_DATA_DIR: dataDir });

    const first = resolveSecretKey(config);
    expect(first.generated).toBe(true);
    expect(first.secretKey).toMatch(/^sk_test_[A-Za-z0-9_-]{24,}$/);
    // The generated key passes the same validation a configured one does.
    expect(loadConfig({ ROSTER_SECRET_KEY: first.secretKey }).secretKey).toBe(first.secretKey);
    const file = join(dataDir, 'secret-key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    expect(statSync(file).mode & 0o077).toBe(0);

    const second = resolveSecretKey(loadConfig({ ROSTER_DATA_DIR: dataDir }));
    expect(second).toEqual({ secretKey: first.secretKey, generated: false, previousSecretKeys: [] });
  });

  it('uses a configured key and writes nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-config-'));
    const config = loadConfig({ ROSTER_DATA_DIR: dir, ROSTER_SECRET_KEY: KEY });
    expect(resolveSecretKey(config)).toEqual({ secretKey: KEY, generated: false, previousSecretKeys: [] });
    expect(() => statSync(join(dir, 'secret-key'))).toThrow();
  });

  it('refuses a damaged key file instead of running with an unusable key', () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-config-'));
    writeFileSync(join(dir, 'secret-key'), '\n');
    const error = (() => {
      try {
        resolveSecretKey(loadConfig({ ROSTER_DATA_DIR: dir }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(join(dir, 'secret-key'));
    expect((error as Error).message).toContain('ROSTER_SECRET_KEY');
  });

  it('reads ROSTER_PREVIOUS_SECRET_KEYS (valid until removed) and, for a generated key, the unexpired entries of secret-key.previous', () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-config-'));
    const other = 'sk_live_previous_one_0123456789abcdef';
    expect(
      loadConfig({ ROSTER_SECRET_KEY: KEY, ROSTER_PREVIOUS_SECRET_KEYS: ` ${other} ,` }).previousSecretKeys,
    ).toEqual([{ key: other, expiresAt: null }]);
    writeFileSync(join(dir, 'secret-key'), `${KEY}\n`);
    const old = 'sk_test_old_one_0123456789abcdefghij';
    const gone = 'sk_test_gone_one_0123456789abcdefghij';
    writeFileSync(
      join(dir, 'secret-key.previous'),
      `${JSON.stringify({ key: gone, expires_at: '2020-01-01T00:00:00.000Z' })}\n${JSON.stringify({ key: old, expires_at: '2999-01-01T00:00:00.000Z' })}\n`,
    );
    expect(resolveSecretKey(loadConfig({ ROSTER_DATA_DIR: dir })).previousSecretKeys).toEqual([
      { key: old, expiresAt: Date.parse('2999-01-01T00:00:00.000Z') },
    ]);
    writeFileSync(join(dir, 'secret-key.previous'), '{"key":"nope"}\n');
    expect(() => resolveSecretKey(loadConfig({ ROSTER_DATA_DIR: dir }))).toThrow(/secret-key\.previous line 1/);
  });
});
