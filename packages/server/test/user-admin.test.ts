import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from './support/flows.js';
import { json, SECRET_KEY, startTestRoster, type TestRoster } from './support/harness.js';

/** Backend API user administration through Clerk's client: metadata, password check, ban and lock. */

const PASSWORD = 'a long enough password';
let t: TestRoster;
let clerk: ClerkClient;
beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1', ROSTER_LOCKOUT_MINUTES: '30' } });
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: await t.roster.listen() });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}@example.com`;

async function codeOf(promise: Promise<unknown>): Promise<{ status: number; code: string | undefined; meta: any }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isClerkAPIResponseError(error)) throw new Error(`expected a Clerk API error, got ${String(error)}`);
  return { status: error.status, code: error.errors[0]?.code, meta: error.errors[0]?.meta };
}

async function signInStatus(email: string) {
  const res = await t.browser().post('/fapi/v1/client/sign_ins', { identifier: email, password: PASSWORD });
  return { status: res.status, body: await json(res) };
}

describe('user metadata', () => {
  it('PATCH deep-merges (null deletes a key at any depth); PUT replaces each field given', async () => {
    const user = await createUser(t, unique('meta'));
    await clerk.users.updateUserMetadata(user.id, {
      publicMetadata: { plan: 'pro', prefs: { theme: 'dark', lang: 'en' } },
      privateMetadata: { stripe: 'cus_1' },
    });
    const merged = await clerk.users.updateUserMetadata(user.id, {
      publicMetadata: { prefs: { lang: null, tz: 'UTC' } },
    });
    expect(merged.publicMetadata).toEqual({ plan: 'pro', prefs: { theme: 'dark', tz: 'UTC' } });
    expect(merged.privateMetadata).toEqual({ stripe: 'cus_1' });

    const replaced = await clerk.users.replaceUserMetadata(user.id, { publicMetadata: { only: true } });
    expect(replaced.publicMetadata).toEqual({ only: true });
    expect(replaced.privateMetadata).toEqual({ stripe: 'cus_1' });
    expect((await clerk.users.getUser(user.id)).publicMetadata).toEqual({ only: true });
  });

  it('concurrent merges of different keys both take effect', async () => {
    const user = await createUser(t, unique('race'));
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        clerk.users.updateUserMetadata(user.id, { publicMetadata: { [`k${i}`]: i } }),
      ),
    );
    expect(Object.keys((await clerk.users.getUser(user.id)).publicMetadata).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `k${i}`).sort(),
    );
  });

  it('an unknown user is user_not_found; a field Roster does not keep is refused', async () => {
    expect((await codeOf(clerk.users.updateUserMetadata('user_nope', { publicMetadata: {} }))).status).toBe(404);
    const user = await createUser(t, unique('unsafe'));
    const res = await t.bapi('PATCH', `/v1/users/${user.id}/metadata`, { unsafe_metadata: { a: 1 } });
    expect(res.status).toBe(422);
    expect((await json(res)).errors[0].code).toBe('form_param_unknown');
  });
});

describe('verify_password', () => {
  it('answers verified for the right password, form_password_incorrect for a wrong one', async () => {
    const user = await createUser(t, unique('pw'));
    expect(await clerk.users.verifyPassword({ userId: user.id, password: PASSWORD })).toEqual({ verified: true });
    expect(await codeOf(clerk.users.verifyPassword({ userId: user.id, password: 'wrong one entirely' }))).toMatchObject(
      {
        status: 422,
        code: 'form_password_incorrect',
      },
    );
  });

  it('a user without a password is password_not_set (400)', async () => {
    const res = await t.bapi('POST', '/v1/users', { email_address: [unique('nopw')] });
    const user = await json(res);
    expect(await codeOf(clerk.users.verifyPassword({ userId: user.id, password: 'anything at all' }))).toMatchObject({
      status: 400,
      code: 'password_not_set',
    });
  });
});

describe('ban and lock', () => {
  it('a ban ends every session and refuses sign-in until unbanned', async () => {
    const email = unique('ban');
    const user = await createUser(t, email);
    const browser = await signIn(t, email);
    expect((await browser.get('/fapi/v1/me')).status).toBe(200);

    const banned = await clerk.users.banUser(user.id);
    expect(banned.banned).toBe(true);
    expect((await browser.get('/fapi/v1/me')).status).toBe(401);
    const refused = await signInStatus(email);
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].code).toBe('user_banned');
    // A wrong password still says only that: the ban is not told to someone without the password.
    const wrong = await t
      .browser()
      .post('/fapi/v1/client/sign_ins', { identifier: email, password: 'not the password' });
    expect((await json(wrong)).errors[0].code).toBe('form_password_incorrect');

    expect((await clerk.users.unbanUser(user.id)).banned).toBe(false);
    expect((await signInStatus(email)).status).toBe(200);
  });

  it('a lock refuses sign-in with the time left, and runs out after the lockout or on unlock', async () => {
    const email = unique('lock');
    const user = await createUser(t, email);
    const browser = await signIn(t, email);

    const locked = await clerk.users.lockUser(user.id);
    expect(locked.locked).toBe(true);
    expect((await json(await t.bapi('GET', `/v1/users/${user.id}`))).lockout_expires_in_seconds).toBe(30 * 60);
    expect((await browser.get('/fapi/v1/me')).status).toBe(401);
    const refused = await signInStatus(email);
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]).toMatchObject({ code: 'user_locked', meta: { lockout_expires_in_seconds: 1800 } });

    t.clock.advance(30 * 60_000 + 1);
    try {
      expect((await clerk.users.getUser(user.id)).locked).toBe(false);
      expect((await signInStatus(email)).status).toBe(200);
    } finally {
      t.clock.advance(-(30 * 60_000 + 1));
    }

    await clerk.users.lockUser(user.id);
    expect((await clerk.users.unlockUser(user.id)).locked).toBe(false);
    expect((await signInStatus(email)).status).toBe(200);
  });

  it('a session a sign-in made as the ban landed is refused the first time it is used', async () => {
    const email = unique('race');
    const user = await createUser(t, email);
    const browser = await signIn(t, email);
    // The ban's write without its session cleanup: what a sign-in committing just after it leaves.
    await t.roster.deps.store.updateUser(user.id, { banned: true });
    expect((await browser.get('/fapi/v1/me')).status).toBe(401);
    expect((await browser.get('/fapi/v1/me')).status).toBe(401);
    await clerk.users.unbanUser(user.id);
  });

  it('unknown users are 404 and the routes need the secret key', async () => {
    expect((await codeOf(clerk.users.banUser('user_nope'))).status).toBe(404);
    const anonymous = await t.roster.app.request('http://roster.test/v1/users/user_x/ban', { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});
