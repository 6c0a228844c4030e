import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { secretRefOf } from '../src/signing-keys.js';
import { kyselySigningKeyStore } from '../src/storage/signing-keys.js';
import { createTestDatabase, testDialect } from './support/database.js';
import { json, PUBLIC_URL, SECRET_KEY, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * The RSA signing key lives in the database (decision 025): every instance on one database signs
 * with the same key, whichever created it; rotating the secret key makes a new one and keeps the
 * old one published during the grace.
 */

const OLD_KEY = 'sk_test_signing_old_key_000000000000';
const NEW_KEY = 'sk_test_signing_new_key_111111111111';

const started: TestRoster[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.close()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A database two Rosters can share: a file for SQLite, a fresh schema for PostgreSQL. */
async function sharedDatabase(): Promise<string> {
  if (testDialect() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'roster-keys-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return `file:${join(dir, 'roster.sqlite')}`;
  }
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return database.url;
}

async function start(env: Record<string, string>) {
  const roster = await startTestRoster({ env: { ROSTER_RATE_LIMITS: 'false', ...env } });
  started.push(roster);
  return roster;
}

async function tokenFrom(roster: TestRoster) {
  const { browser, user } = await seedOrganization(roster);
  const me = await json(await browser.get('/fapi/v1/me'));
  const { jwt } = await json(await browser.post(`/fapi/v1/client/sessions/${me.session.id}/tokens`));
  return { jwt: jwt as string, user };
}

async function jwksOf(roster: TestRoster) {
  return json<{ keys: { kid: string; alg: string }[] }>(await roster.browser().get('/.well-known/jwks.json'));
}

const verifyWith = async (roster: TestRoster, jwt: string) =>
  jwtVerify(jwt, createLocalJWKSet(await jwksOf(roster)), {
    issuer: PUBLIC_URL,
    currentDate: new Date(roster.clock.now()),
  });

describe('session signing keys in the database', () => {
  it('two instances on one database sign with the one key the first created, and verify each other', async () => {
    const url = await sharedDatabase();
    const a = await start({ DATABASE_URL: url });
    const b = await start({ DATABASE_URL: url });
    // Their first tokens at once: both find no key, both make one, one insert wins, both use it.
    const [fromA, fromB] = await Promise.all([tokenFrom(a), tokenFrom(b)]);
    const kid = decodeProtectedHeader(fromA.jwt).kid;
    expect(decodeProtectedHeader(fromB.jwt)).toMatchObject({ alg: 'RS256', kid });
    expect((await verifyWith(b, fromA.jwt)).payload.sub).toBe(fromA.user.id);
    expect((await verifyWith(a, fromB.jwt)).payload.sub).toBe(fromB.user.id);
    expect(await jwksOf(a)).toEqual(await jwksOf(b));

    const rows = await a.roster.database.db.selectFrom('session_signing_keys').selectAll().execute();
    expect(rows.map((r) => [r.kid, r.alg, r.secret_ref])).toEqual([[kid, 'RS256', secretRefOf(SECRET_KEY)]]);
    // The private key is sealed, and the row does not give the secret key away.
    expect(rows[0]!.private_key).toMatch(/^v1\./);
    expect(rows[0]!.private_key).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(rows)).not.toContain(SECRET_KEY);

    // A later insert for the same secret key is dropped: the first row stays.
    const store = kyselySigningKeyStore(a.roster.database.db);
    await store.insertSigningKeyIfAbsent({
      kid: 'ins_late',
      secretRef: secretRefOf(SECRET_KEY),
      alg: 'RS256',
      publicJwk: '{}',
      sealedPrivateKey: 'v1.x.y',
      createdAt: 0,
    });
    expect((await store.findSigningKey(secretRefOf(SECRET_KEY), 'RS256'))?.kid).toBe(kid);
    // Someone who can write to the database but lacks the secret key cannot publish a key of
    // their own: the published key is computed from the sealed private key, not the public column.
    const published = await jwksOf(a);
    const { publicKey: theirs } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await a.roster.database.db
      .updateTable('session_signing_keys')
      .set({ public_jwk: JSON.stringify({ ...theirs.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }) })
      .execute();
    // A third instance started later reads the same key, and publishes the real one.

    const c = await start({ DATABASE_URL: url });
    expect(decodeProtectedHeader((await tokenFrom(c)).jwt).kid).toBe(kid);
    expect(await jwksOf(c)).toEqual(published);
  }, 60_000);

  it('a rotated secret key signs with a new key; the old one stays published while the old secret key is valid', async () => {
    const url = await sharedDatabase();
    const before = await start({ DATABASE_URL: url, ROSTER_SECRET_KEY: OLD_KEY });
    const old = await tokenFrom(before);
    const oldKid = decodeProtectedHeader(old.jwt).kid;

    const after = await start({ DATABASE_URL: url, ROSTER_SECRET_KEY: NEW_KEY, ROSTER_PREVIOUS_SECRET_KEYS: OLD_KEY });
    const fresh = await tokenFrom(after);
    expect(decodeProtectedHeader(fresh.jwt).kid).not.toBe(oldKid);
    // The token signed before the rotation still verifies against the new instance's keys.
    expect((await verifyWith(after, old.jwt)).payload.sub).toBe(old.user.id);
    const rsaKids = (await jwksOf(after)).keys.filter((k) => k.alg === 'RS256').map((k) => k.kid);
    expect(rsaKids).toEqual([decodeProtectedHeader(fresh.jwt).kid, oldKid]);

    // Once the old secret key is gone from the configuration, so is its key.
    const later = await start({ DATABASE_URL: url, ROSTER_SECRET_KEY: NEW_KEY });
    expect((await jwksOf(later)).keys.filter((k) => k.alg === 'RS256').map((k) => k.kid)).toEqual([
      decodeProtectedHeader(fresh.jwt).kid,
    ]);
    await expect(verifyWith(later, old.jwt)).rejects.toThrow();
  }, 60_000);

  it('signs EdDSA with ROSTER_SESSION_TOKEN_ALG=EdDSA (a key derived from the secret key), still verified from the key set', async () => {
    const roster = await start({ ROSTER_SESSION_TOKEN_ALG: 'EdDSA' });
    const { jwt, user } = await tokenFrom(roster);
    expect(decodeProtectedHeader(jwt).alg).toBe('EdDSA');
    expect((await verifyWith(roster, jwt)).payload).toMatchObject({ sub: user.id, v: 2 });
    // The RS256 key is published too, so switching back (or a mixed fleet) verifies either way.
    expect((await jwksOf(roster)).keys.map((k) => k.alg).sort()).toEqual(['EdDSA', 'RS256']);
    expect(() => loadConfig({ ROSTER_SESSION_TOKEN_ALG: 'HS256' })).toThrow(ConfigError);
    expect(() => loadConfig({ ROSTER_SESSION_TOKEN_ALG: 'HS256' })).toThrow(
      /ROSTER_SESSION_TOKEN_ALG: must be RS256 or EdDSA/,
    );
  }, 60_000);
});
