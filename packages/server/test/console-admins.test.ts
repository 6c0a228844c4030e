import { describe, expect, it } from 'vitest';
import { createUser, freshRosterForEachTest } from './support/flows.js';
import { PUBLIC_URL } from './support/harness.js';

/**
 * Instance admins (decision 051): an operator with the secret key marks a user, who then uses the
 * console with their own account; their actions are theirs in the audit log; a user who is not
 * one is refused (and signed out again), and removing the grant, banning them or ending their
 * session ends their access at once.
 */

const t = freshRosterForEachTest();
const PASSWORD = 'a long enough password';

async function keyCookie(): Promise<string> {
  const res = await t.roster.app.request(`${PUBLIC_URL}/console/sign-in`, {
    method: 'POST',
    headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ secret_key: t.roster.secretKey }).toString(),
  });
  expect(res.status).toBe(303);
  return (res.headers.getSetCookie().find((c) => c.startsWith('__roster_console=')) ?? '').split(';')[0] ?? '';
}

const withKey = (cookie: string, method: string, path: string) =>
  t.roster.app.request(`${PUBLIC_URL}${path}`, { method, headers: { cookie, origin: PUBLIC_URL } });

async function accountSignIn(email: string, password = PASSWORD) {
  const browser = t.browser();
  const res = await browser.fetch('POST', '/console/sign-in/account', { form: { email, password } });
  return { browser, res };
}

describe('instance admins in the console', () => {
  it('the key grants console access; the admin signs in with their account and acts as themselves', async () => {
    const ada = await createUser(t, 'ada@example.com', PASSWORD);
    const key = await keyCookie();

    // Not yet an admin: right password, refused, and signed out again.
    const early = await accountSignIn('ada@example.com');
    expect(early.res.status).toBe(403);
    expect(await early.res.text()).toContain('This account may not use the operator console.');
    expect(early.browser.cookie).toBeNull();

    const granted = await withKey(key, 'POST', `/console/users/${ada.id}/console-access/grant`);
    expect(granted.status).toBe(303);
    expect(granted.headers.get('location')).toBe(`/console/users/${ada.id}?done=admin`);
    const page = await (await withKey(key, 'GET', granted.headers.get('location')!)).text();
    expect(page).toContain('Console access granted');
    expect(page).toMatch(/instance admin since .*granted by\s*the secret key/s);

    // A wrong password is said on the account form, the address kept.
    const wrong = await accountSignIn('ada@example.com', 'not the password');
    expect(wrong.res.status).toBe(422);
    expect(await wrong.res.text()).toContain('value="ada@example.com"');

    const { browser, res } = await accountSignIn('ada@example.com');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/invitations');
    expect((await browser.fetch('GET', '/console/invitations')).status).toBe(200);

    // Ada makes Bo an admin: the grant and the event name her.
    const bo = await createUser(t, 'bo@example.com', PASSWORD);
    expect((await browser.fetch('POST', `/console/users/${bo.id}/console-access/grant`)).status).toBe(303);
    const boPage = await (await browser.fetch('GET', `/console/users/${bo.id}`)).text();
    expect(boPage).toContain(`granted by ${ada.id}`);
    const log = await (await t.bapi('GET', `/v1/audit_log?type=user.updated`)).json();
    expect(log.data.find((e: { actor: { id: string | null } }) => e.actor.id === ada.id)).toBeTruthy();

    // The SMTP server she saves is stored as hers, not the key's.
    const saved = await browser.fetch('POST', '/console/email', {
      form: {
        host: 'mail.example.com',
        port: '587',
        security: 'starttls_if_offered',
        username: '',
        password: '',
        from: '',
      },
    });
    expect(saved.status).toBe(303);
    const row = await t.roster.database.db.selectFrom('mail_settings').select('updated_by').executeTakeFirstOrThrow();
    expect(row.updated_by).toBe(ada.id);
  });

  it('removing the grant, a ban, or signing out ends the access at once; unknown users are not found', async () => {
    const ada = await createUser(t, 'ada@example.com', PASSWORD);
    const key = await keyCookie();
    await withKey(key, 'POST', `/console/users/${ada.id}/console-access/grant`);
    const { browser } = await accountSignIn('ada@example.com');
    expect((await browser.fetch('GET', '/console/users')).status).toBe(200);

    await withKey(key, 'POST', `/console/users/${ada.id}/console-access/remove`);
    const after = await browser.fetch('GET', '/console/users');
    expect(after.status).toBe(403);
    expect(await after.text()).toContain('This account may not use the operator console.');

    await withKey(key, 'POST', `/console/users/${ada.id}/console-access/grant`);
    expect((await browser.fetch('GET', '/console/users')).status).toBe(200);
    expect((await t.bapi('POST', `/v1/users/${ada.id}/ban`)).status).toBe(200);
    expect((await browser.fetch('GET', '/console/users')).status).toBe(401);

    await t.bapi('POST', `/v1/users/${ada.id}/unban`);
    const again = await accountSignIn('ada@example.com');
    expect((await again.browser.fetch('GET', '/console/users')).status).toBe(200);
    const out = await again.browser.fetch('POST', '/console/sign-out');
    expect(out.status).toBe(303);
    expect(again.browser.cookie).toBeNull();

    const missing = await withKey(key, 'POST', '/console/users/user_doesnotexist/console-access/grant');
    expect(missing.status).toBe(404);
    // A cross-site grant is refused before anything is read.
    const forged = await t.roster.app.request(`${PUBLIC_URL}/console/users/${ada.id}/console-access/remove`, {
      method: 'POST',
      headers: { cookie: key, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
  });

  it('deleting the user removes the grant with them', async () => {
    const ada = await createUser(t, 'ada@example.com', PASSWORD);
    const key = await keyCookie();
    await withKey(key, 'POST', `/console/users/${ada.id}/console-access/grant`);
    expect((await t.bapi('DELETE', `/v1/users/${ada.id}`)).status).toBe(200);
    const rows = await t.roster.database.db.selectFrom('instance_admins').selectAll().execute();
    expect(rows).toEqual([]);
  });
});
