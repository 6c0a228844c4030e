import { describe, expect, it } from 'vitest';
import { createUser, errorOf, freshRosterForEachTest } from './support/flows.js';
import { json } from './support/harness.js';

/**
 * A user's own devices (Clerk's `user.getSessions()` → `GET /me/sessions/active`, and
 * `session.revoke()`): each sign-in is listed with the browser and system its user agent names,
 * most recently active first; signing out of another device ends that session only.
 */

const t = freshRosterForEachTest({ env: { ROSTER_RATE_LIMITS: 'false', ROSTER_TRUST_PROXY: 'true' } });
const PASSWORD = 'a long enough password';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

async function signInWith(email: string, userAgent: string, ip = '203.0.113.9') {
  const browser = t.browser();
  const res = await browser.fetch('POST', '/fapi/v1/client/sign_ins', {
    json: { identifier: email, password: PASSWORD },
    headers: { 'user-agent': userAgent, 'x-forwarded-for': ip },
  });
  expect(res.status).toBe(200);
  return browser;
}

describe('my sessions', () => {
  it('lists each device with its browser and system, and signs out of another one only', async () => {
    await createUser(t, 'devices@example.com', PASSWORD);
    const laptop = await signInWith('devices@example.com', FIREFOX_LINUX, '203.0.113.7');
    const phone = await signInWith('devices@example.com', SAFARI_IPHONE, '198.51.100.23');

    const list = await json<any[]>(await laptop.get('/fapi/v1/me/sessions/active'));
    expect(list).toHaveLength(2);
    const byBrowser = Object.fromEntries(list.map((s) => [s.latest_activity.browser_name, s]));
    expect(byBrowser.Firefox.latest_activity).toMatchObject({
      device_type: 'Linux',
      is_mobile: false,
      ip_address: '203.0.113.7',
    });
    expect(byBrowser.Safari.latest_activity).toMatchObject({
      device_type: 'iOS mobile',
      is_mobile: true,
      ip_address: '198.51.100.23',
    });
    expect(byBrowser.Safari).toMatchObject({ object: 'session', status: 'active' });

    const phoneSession = (await json(await phone.get('/fapi/v1/me'))).session.id;
    const revoked = await json(await laptop.post(`/fapi/v1/me/sessions/${phoneSession}/revoke`));
    expect(revoked).toMatchObject({ id: phoneSession, status: 'revoked' });
    expect((await phone.get('/fapi/v1/me')).status).toBe(401);
    expect((await laptop.get('/fapi/v1/me')).status).toBe(200);
    expect(await json<any[]>(await laptop.get('/fapi/v1/me/sessions/active'))).toHaveLength(1);
  });

  it("cannot end another user's session (404), and needs a session", async () => {
    await createUser(t, 'mine@example.com', PASSWORD);
    await createUser(t, 'theirs@example.com', PASSWORD);
    const mine = await signInWith('mine@example.com', FIREFOX_LINUX);
    const theirs = await signInWith('theirs@example.com', FIREFOX_LINUX);
    const theirSession = (await json(await theirs.get('/fapi/v1/me'))).session.id;
    expect(await errorOf(await mine.post(`/fapi/v1/me/sessions/${theirSession}/revoke`))).toMatchObject({
      status: 404,
      code: 'resource_not_found',
    });
    expect((await theirs.get('/fapi/v1/me')).status).toBe(200);
    expect((await t.browser().get('/fapi/v1/me/sessions/active')).status).toBe(401);
  });
});
