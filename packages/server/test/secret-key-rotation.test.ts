import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveSecretKey } from '../src/config.js';
import { createSecretBox, SecretBoxError } from '../src/email/secret-box.js';
import { secretKeyId } from '../src/secret-keys.js';
import { createTestDatabase, type TestDatabase, testDialect } from './support/database.js';
import { errorOf, invited, mailedUrl, pathOf } from './support/flows.js';
import { json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { runRosterCli } from './support/processes.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

/**
 * Rotating the secret key: `roster secret-key rotate` on a data folder (a process, as an operator
 * runs it), then a Roster started from those files accepts the old key and the new one until the
 * grace ends, and mail sealed under the old key before the rotation still goes out.
 */

const OLD_KEY = 'sk_test_old_key_rotation_0123456789abcdef';
const NEW_KEY = 'sk_test_new_key_rotation_0123456789abcdef';
const HOUR_MS = 3_600_000;

let dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-rotate-'));
  dirs.push(dir);
  return dir;
}
/** A data folder whose development key file holds `key`. */
function dataDirWith(key: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'secret-key'), `${key}\n`, { mode: 0o600 });
  return dir;
}
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' });

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('roster secret-key (a process)', () => {
  it('rotate writes a new key with the old prefix (0600) and the old key with its expiry; show prints no key', async () => {
    const dataDir = dataDirWith(OLD_KEY);
    const before = Date.now();
    const rotate = await runRosterCli(['secret-key', 'rotate', '--grace', '2h', '--data-dir', dataDir], baseEnv());
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(0);

    const newKey = readFileSync(join(dataDir, 'secret-key'), 'utf8').trim();
    expect(newKey).toMatch(/^sk_test_[A-Za-z0-9_-]{24,}$/);
    expect(newKey).not.toBe(OLD_KEY);
    expect(rotate.stdout).toContain(newKey);
    expect(rotate.stdout).not.toContain(OLD_KEY);
    for (const name of ['secret-key', 'secret-key.previous']) {
      expect(statSync(join(dataDir, name)).mode & 0o777).toBe(0o600);
    }
    // Nothing left behind by the write-then-rename.
    expect(readdirSync(dataDir).sort()).toEqual(['secret-key', 'secret-key.previous']);

    const lines = readFileSync(join(dataDir, 'secret-key.previous'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '') as { key: string; expires_at: string };
    expect(entry.key).toBe(OLD_KEY);
    const expiresAt = Date.parse(entry.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 2 * HOUR_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 2 * HOUR_MS);
    expect(rotate.stdout).toContain(entry.expires_at);

    const show = await runRosterCli(['secret-key', 'show', '--data-dir', dataDir], baseEnv());
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Current key: ${secretKeyId(newKey)}`);
    expect(show.stdout).toContain(`${secretKeyId(OLD_KEY)}  accepted until ${entry.expires_at}`);
    expect(show.stdout).not.toContain(newKey);
    expect(show.stdout).not.toContain(OLD_KEY);
    expect(`${show.stdout}${show.stderr}`).not.toMatch(/sk_test_[A-Za-z0-9_-]{24,}/);

    // A second rotation keeps the first old key (still in its grace) and adds this one.
    const again = await runRosterCli(['secret-key', 'rotate', '--data-dir', dataDir], baseEnv());
    expect(again.code).toBe(0);
    const previous = readFileSync(join(dataDir, 'secret-key.previous'), 'utf8').trim().split('\n');
    expect(previous.map((l) => (JSON.parse(l) as { key: string }).key)).toEqual([OLD_KEY, newKey]);
  }, 60_000);

  it('rotate refuses when ROSTER_SECRET_KEY is set and says what to set instead, with no key in the error', async () => {
    const dataDir = tempDir();
    const live = 'sk_live_configured_elsewhere_0123456789ab';
    const result = await runRosterCli(['secret-key', 'rotate', '--data-dir', dataDir], {
      ...baseEnv(),
      ROSTER_SECRET_KEY: live,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ROSTER_SECRET_KEY');
    expect(result.stderr).toContain('ROSTER_PREVIOUS_SECRET_KEYS');
    expect(result.stderr).toContain('`roster secret-key new` prints a new key');
    // No key at all, neither the configured one nor a fresh one, on either stream.
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/sk_(live|test)_[A-Za-z0-9_-]{16,}/);
    expect(readdirSync(dataDir)).toEqual([]);
  }, 30_000);

  it('new prints a fresh key with the configured prefix on stdout, and nothing else', async () => {
    const live = 'sk_live_configured_elsewhere_0123456789ab';
    const result = await runRosterCli(['secret-key', 'new'], { ...baseEnv(), ROSTER_SECRET_KEY: live });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^sk_live_[A-Za-z0-9_-]{32}\n$/);
    expect(result.stdout).not.toContain(live);
  }, 30_000);

  it('refuses bad usage with exit code 2, and a folder without a key with exit code 1', async () => {
    const dataDir = tempDir();
    for (const args of [
      ['secret-key'],
      ['secret-key', 'spin'],
      ['secret-key', 'rotate', '--grace', 'soon', '--data-dir', dataDir],
      ['secret-key', 'rotate', '--grace', '0h', '--data-dir', dataDir],
    ]) {
      const result = await runRosterCli(args, baseEnv());
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
    const missing = await runRosterCli(['secret-key', 'rotate', '--data-dir', dataDir], baseEnv());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no key to rotate');
    expect(readdirSync(dataDir)).toEqual([]);
  }, 60_000);
});

describe('a Roster after a rotation', () => {
  let t: TestRoster | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('accepts the old key and the new one during the grace (warning with the old key id), and only the new after', async () => {
    const dataDir = dataDirWith(OLD_KEY);
    const rotate = await runRosterCli(['secret-key', 'rotate', '--grace', '1h', '--data-dir', dataDir], baseEnv());
    expect(rotate.code).toBe(0);
    const resolved = resolveSecretKey(loadConfig({ ROSTER_DATA_DIR: dataDir }));
    expect(resolved.previousSecretKeys.map((k) => k.key)).toEqual([OLD_KEY]);
    const roster = await startTestRoster({
      config: { secretKey: resolved.secretKey, previousSecretKeys: resolved.previousSecretKeys },
    });
    t = roster;
    const as = (key: string) => roster.bapi('GET', '/v1/users', undefined, { authorization: `Bearer ${key}` });

    expect((await as(resolved.secretKey)).status).toBe(200);
    expect(roster.logs.filter((l) => l.includes('previous secret key'))).toEqual([]);
    expect((await as(OLD_KEY)).status).toBe(200);
    const warnings = roster.logs.filter((l) => l.includes('previous secret key')).map((l) => JSON.parse(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, key_id: secretKeyId(OLD_KEY) });
    expect(roster.logs.join('\n')).not.toContain(OLD_KEY);
    expect(roster.logs.join('\n')).not.toContain(resolved.secretKey);
    expect((await as('sk_test_never_was_a_key_0123456789abcdef')).status).toBe(401);

    // Tokens signed just before the rotation still verify: both secret keys' signing keys are
    // published (Ed25519, derived; the old RSA key only if the old key ever signed one).
    const during = await json<{ keys: { kid: string; alg: string }[] }>(
      await roster.browser().get('/.well-known/jwks.json'),
    );
    expect(during.keys.map((k) => k.alg)).toEqual(['RS256', 'EdDSA', 'EdDSA']);

    roster.clock.advance(HOUR_MS + 1);
    const refused = await as(OLD_KEY);
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).code).toBe('clerk_key_invalid');
    expect((await as(resolved.secretKey)).status).toBe(200);
    const after = await json<{ keys: { kid: string }[] }>(await roster.browser().get('/.well-known/jwks.json'));
    expect(after.keys.map((k) => k.kid)).toEqual(during.keys.slice(0, 2).map((k) => k.kid));

    // Started after the grace, the old key is not even read in.
    expect(resolveSecretKey(loadConfig({ ROSTER_DATA_DIR: dataDir }), Date.now() + HOUR_MS + 1)).toMatchObject({
      secretKey: resolved.secretKey,
      previousSecretKeys: [],
    });
  }, 60_000);

  describe('mail queued before the rotation', () => {
    let smtp: TestSmtp;
    let shared: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      smtp = await startSmtp();
      if (testDialect() === 'sqlite') {
        shared = { url: `file:${join(tempDir(), 'roster.sqlite')}`, drop: async () => {} };
      } else {
        const database: TestDatabase = await createTestDatabase();
        shared = database;
      }
    });
    afterAll(async () => {
      await shared?.drop();
      await smtp?.close();
    });

    it('is sealed with the old key and still delivered by a Roster on the new key (ROSTER_PREVIOUS_SECRET_KEYS)', async () => {
      const before = await startTestRoster({
        env: { DATABASE_URL: shared.url, ROSTER_SECRET_KEY: OLD_KEY, ROSTER_RATE_LIMITS: 'false' },
        smtp,
      });
      t = before;
      // The old instance stops sending before the invitation, so its mail waits in the outbox.
      await before.roster.dispatcher.stop();
      const { org } = await seedOrganization(before);
      const invitation = await invited(before, org.id, 'queued-before-rotation@example.com');
      await before.close();
      t = null;
      expect(smtp.messages).toHaveLength(0);

      const after = await startTestRoster({
        env: {
          DATABASE_URL: shared.url,
          ROSTER_SECRET_KEY: NEW_KEY,
          ROSTER_PREVIOUS_SECRET_KEYS: OLD_KEY,
          ROSTER_RATE_LIMITS: 'false',
        },
        smtp,
      });
      t = after;
      const link = await mailedUrl(after, invitation);
      expect(link).toContain('ticket=');
      expect((await after.browser().get(pathOf(link))).status).toBe(200);
      // The old key still works for the Backend API too, with no expiry from the environment.
      const viaOld = await after.bapi('GET', `/v1/organizations/${org.id}`, undefined, {
        authorization: `Bearer ${OLD_KEY}`,
      });
      expect(viaOld.status).toBe(200);
    }, 60_000);
  });
});

describe('the secret box with previous keys', () => {
  it('opens what the old key sealed, seals with the current key only, and forgets a key once it is not given', () => {
    let previous = [OLD_KEY];
    const rotated = createSecretBox(NEW_KEY, { previousKeys: () => previous });
    const sealedBefore = createSecretBox(OLD_KEY).seal('https://roster.test/accept-invitation?ticket=a');
    expect(rotated.open(sealedBefore)).toBe('https://roster.test/accept-invitation?ticket=a');

    const sealedAfter = rotated.seal('code 123456');
    expect(createSecretBox(NEW_KEY).open(sealedAfter)).toBe('code 123456');
    expect(() => createSecretBox(OLD_KEY).open(sealedAfter)).toThrow(SecretBoxError);

    previous = [];
    expect(() => rotated.open(sealedBefore)).toThrow(SecretBoxError);
  });
});
