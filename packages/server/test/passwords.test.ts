import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { pwnedPasswordsRange } from '../src/pwned-passwords.js';
import { createUser, errorOf, freshRosterForEachTest, signedInUser, signIn } from './support/flows.js';
import { json, startTestRoster } from './support/harness.js';

const t = freshRosterForEachTest();

describe('changing the password while signed in', () => {
  it('needs the current password, refuses common ones, and ends the other sessions only', async () => {
    const { browser } = await signedInUser(t, 'ada@example.com', 'the first password');
    const other = await signIn(t, 'ada@example.com', 'the first password');

    const wrong = await browser.post('/fapi/v1/me/change_password', {
      current_password: 'not it at all',
      new_password: 'the second password',
    });
    expect(await errorOf(wrong)).toMatchObject({
      status: 422,
      code: 'form_password_incorrect',
      meta: { param_name: 'current_password' },
    });
    const common = await browser.post('/fapi/v1/me/change_password', {
      current_password: 'the first password',
      new_password: 'Sunshine1',
    });
    expect(await errorOf(common)).toMatchObject({ code: 'form_password_pwned', meta: { param_name: 'new_password' } });
    expect((await other.get('/fapi/v1/me')).status).toBe(200);

    const ok = await browser.post('/fapi/v1/me/change_password', {
      current_password: 'the first password',
      new_password: 'the second password',
      sign_out_of_other_sessions: true,
    });
    expect(ok.status).toBe(200);
    expect((await json(ok)).object).toBe('user');
    expect((await browser.get('/fapi/v1/me')).status).toBe(200);
    expect((await other.get('/fapi/v1/me')).status).toBe(401);
    await signIn(t, 'ada@example.com', 'the second password');
  });

  it('keeps the other sessions when told to', async () => {
    const { browser } = await signedInUser(t, 'keep@example.com', 'the first password');
    const other = await signIn(t, 'keep@example.com', 'the first password');
    const ok = await browser.post('/fapi/v1/me/change_password', {
      current_password: 'the first password',
      new_password: 'the second password',
      sign_out_of_other_sessions: false,
    });
    expect(ok.status).toBe(200);
    expect((await other.get('/fapi/v1/me')).status).toBe(200);
  });

  it('needs a session', async () => {
    const res = await t.browser().post('/fapi/v1/me/change_password', { new_password: 'the second password' });
    expect(await errorOf(res)).toMatchObject({ status: 401, code: 'session_invalid' });
  });

  it('works from the hosted /account page', async () => {
    await createUser(t, 'page@example.com', 'the first password');
    const browser = t.browser();
    const signedIn = await browser.fetch('POST', '/account/sign-in', {
      form: { identifier: 'page@example.com', password: 'the first password' },
    });
    expect(signedIn.status).toBe(303);
    const other = await signIn(t, 'page@example.com', 'the first password');
    const page = await (await browser.get('/account')).text();
    expect(page).toContain('<label for="current_password">');
    const res = await browser.fetch('POST', '/account/password', {
      form: { current_password: 'the first password', new_password: 'the second password' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Password changed.');
    expect((await other.get('/fapi/v1/me')).status).toBe(401);
    const refused = await browser.fetch('POST', '/account/password', {
      form: { current_password: 'the second password', new_password: 'qwerty123' },
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('common or leaked');
  });
});

describe('breached and common passwords are refused (form_password_pwned)', () => {
  it('at sign-up, in the Frontend API and the hosted page', async () => {
    const api = await t
      .browser()
      .post('/fapi/v1/client/sign_ups', { email_address: 'x@example.com', password: 'Password123' });
    expect(await errorOf(api)).toMatchObject({
      status: 422,
      code: 'form_password_pwned',
      meta: { param_name: 'password' },
    });
    const page = await t
      .browser()
      .fetch('POST', '/sign-up', { form: { email_address: 'y@example.com', password: 'iloveyou123' } });
    expect(page.status).toBe(422);
    expect(t.smtp.messages).toHaveLength(0);
  });

  it('at Backend API user create and update, unless skip_password_checks', async () => {
    const refused = await t.bapi('POST', '/v1/users', { email_address: ['a@example.com'], password: 'football1' });
    expect(await errorOf(refused)).toMatchObject({ code: 'form_password_pwned' });
    const skipped = await t.bapi('POST', '/v1/users', {
      email_address: ['a@example.com'],
      password: 'football1',
      skip_password_checks: true,
    });
    expect(skipped.status).toBe(200);
    const user = await json(skipped);
    const update = await t.bapi('PATCH', `/v1/users/${user.id}`, { password: 'baseball1' });
    expect(await errorOf(update)).toMatchObject({ code: 'form_password_pwned' });
    const session = await signIn(t, 'a@example.com', 'football1');
    const ok = await t.bapi('PATCH', `/v1/users/${user.id}`, {
      password: 'an admin chosen passphrase',
      sign_out_of_all_sessions: true,
      first_name: 'Ann',
    });
    expect(ok.status).toBe(200);
    expect((await json(ok)).first_name).toBe('Ann');
    expect((await session.get('/fapi/v1/me')).status).toBe(401);
    await signIn(t, 'a@example.com', 'an admin chosen passphrase');
  });
});

/** A fake Pwned Passwords range API on 127.0.0.1 that knows one breached password. */
async function fakeRangeServer(breached: string, behaviour: 'ok' | 'hang' | 'fail' = 'ok') {
  const sha1 = createHash('sha1').update(breached).digest('hex').toUpperCase();
  const requests: { url: string; padding: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', padding: req.headers['add-padding'] as string | undefined });
    if (behaviour === 'hang') return; // never answers
    if (behaviour === 'fail') {
      res.writeHead(503).end();
      return;
    }
    const prefix = (req.url ?? '').split('/').pop() ?? '';
    const lines = ['0018A45C4D1DEF81644B54AB7F969B88D65:0', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0'];
    if (prefix === sha1.slice(0, 5)) lines.push(`${sha1.slice(5)}:42`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('the optional k-anonymity range check (ROSTER_PWNED_PASSWORDS_URL)', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('refuses a password the service knows, sending only the 5-character prefix, with padding', async () => {
    const fake = await fakeRangeServer('a breached long password');
    servers.push(fake);
    await t.close();
    Object.assign(t, await startTestRoster({ env: { ROSTER_PWNED_PASSWORDS_URL: `${fake.url}/` } }));
    const refused = await t.bapi('POST', '/v1/users', {
      email_address: ['b@example.com'],
      password: 'a breached long password',
    });
    expect(await errorOf(refused)).toMatchObject({ code: 'form_password_pwned' });
    const ok = await t.bapi('POST', '/v1/users', {
      email_address: ['b@example.com'],
      password: 'not in any breach yet',
    });
    expect(ok.status).toBe(200);
    expect(fake.requests).toHaveLength(2);
    for (const r of fake.requests) {
      expect(r.url).toMatch(/^\/range\/[0-9A-F]{5}$/);
      expect(r.padding).toBe('true');
    }
  });

  it('fails open with a log line when the service errs or does not answer in time', async () => {
    for (const behaviour of ['fail', 'hang'] as const) {
      const fake = await fakeRangeServer('whatever', behaviour);
      servers.push(fake);
      const logs: string[] = [];
      const check = pwnedPasswordsRange({
        url: fake.url,
        timeoutMs: 100,
        log: { warn: (o, m) => logs.push(`${m} ${JSON.stringify(o)}`) },
      });
      expect(await check.isBreached('whatever')).toBe(false);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain('breached-password check failed');
      expect(logs[0]).not.toContain('whatever');
    }
  });

  it('is validated at start and off by default', () => {
    expect(loadConfig({}).pwnedPasswordsUrl).toBeNull();
    expect(loadConfig({ ROSTER_PWNED_PASSWORDS_URL: 'https://api.pwnedpasswords.com/' }).pwnedPasswordsUrl).toBe(
      'https://api.pwnedpasswords.com',
    );
    expect(() => loadConfig({ ROSTER_PWNED_PASSWORDS_URL: 'ftp://x' })).toThrow(/ROSTER_PWNED_PASSWORDS_URL: /);
    expect(() => loadConfig({ ROSTER_PWNED_PASSWORDS_TIMEOUT_MS: '0' })).toThrow(/ROSTER_PWNED_PASSWORDS_TIMEOUT_MS: /);
  });
});
