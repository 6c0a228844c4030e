import { describe, expect, it } from 'vitest';
import { createUser, errorOf, freshRosterForEachTest, signIn } from './support/flows.js';
import { type Browser, json, type TestRoster } from './support/harness.js';
import { codeIn } from './support/smtp.js';

const t = freshRosterForEachTest();
const RESET_SUBJECT = 'Your password reset code';

/** The newest reset code mailed to `to` that is not among `seen`. */
async function resetCode(roster: TestRoster, to: string, seen: unknown[] = []): Promise<string> {
  const mail = await roster.smtp.waitFor(to, { match: (m) => m.subject === RESET_SUBJECT && !seen.includes(m) });
  seen.push(mail);
  return codeIn(mail);
}

async function startReset(browser: Browser, identifier: string) {
  const started = await browser.post('/fapi/v1/client/sign_ins', { identifier });
  expect(started.status).toBe(200);
  const body = await json(started);
  const prepared = await browser.post('/fapi/v1/client/sign_ins/prepare_first_factor', {
    sign_in_id: body.sign_in_id,
    strategy: 'reset_password_email_code',
  });
  return { started: body, prepared };
}

/** A body with the parts that differ per request (the id, the address as typed) blanked. */
function shapeOf(body: Record<string, unknown>) {
  return JSON.stringify({
    ...body,
    sign_in_id: typeof body.sign_in_id,
    email_address: 'x',
    supported_first_factors: 'x',
  });
}

describe('forgot password through the Frontend API (reset_password_email_code)', () => {
  it('mails a code, takes it back, sets the new password, ends every other session and signs this client in', async () => {
    await createUser(t, 'ada@example.com', 'the old password 1');
    const other = await signIn(t, 'ada@example.com', 'the old password 1');
    expect((await other.get('/fapi/v1/me')).status).toBe(200);

    const browser = t.browser();
    const { started, prepared } = await startReset(browser, 'Ada@Example.com');
    expect(started).toMatchObject({ status: 'needs_first_factor', user: null, session: null });
    expect(started.supported_first_factors.map((f: { strategy: string }) => f.strategy)).toContain(
      'reset_password_email_code',
    );
    expect(prepared.status).toBe(200);
    const code = await resetCode(t, 'ada@example.com');

    const wrong = await browser.post('/fapi/v1/client/sign_ins/attempt_first_factor', {
      sign_in_id: started.sign_in_id,
      strategy: 'reset_password_email_code',
      code: code === '000000' ? '111111' : '000000',
    });
    expect(await errorOf(wrong)).toMatchObject({
      status: 422,
      code: 'form_code_incorrect',
      meta: { attempts_remaining: 4 },
    });

    const attempted = await browser.post('/fapi/v1/client/sign_ins/attempt_first_factor', {
      sign_in_id: started.sign_in_id,
      strategy: 'reset_password_email_code',
      code,
    });
    expect(attempted.status).toBe(200);
    expect((await json(attempted)).status).toBe('needs_new_password');

    const common = await browser.post('/fapi/v1/client/sign_ins/reset_password', {
      sign_in_id: started.sign_in_id,
      password: 'password1234',
    });
    expect(await errorOf(common)).toMatchObject({ status: 422, code: 'form_password_pwned' });

    const reset = await browser.post('/fapi/v1/client/sign_ins/reset_password', {
      sign_in_id: started.sign_in_id,
      password: 'a brand new passphrase',
      sign_out_of_other_sessions: true,
    });
    expect(reset.status).toBe(200);
    expect(await json(reset)).toMatchObject({ status: 'complete', user: { object: 'user' } });
    expect((await browser.get('/fapi/v1/me')).status).toBe(200);
    // The other session is over; the old password no longer works, the new one does.
    expect(await errorOf(await other.get('/fapi/v1/me'))).toMatchObject({ code: 'session_invalid' });
    const old = await t
      .browser()
      .post('/fapi/v1/client/sign_ins', { identifier: 'ada@example.com', password: 'the old password 1' });
    expect(await errorOf(old)).toMatchObject({ code: 'form_password_incorrect' });
    await signIn(t, 'ada@example.com', 'a brand new passphrase');

    // The code is good for one reset.
    const again = await browser.post('/fapi/v1/client/sign_ins/reset_password', {
      sign_in_id: started.sign_in_id,
      password: 'yet another passphrase',
    });
    expect(await errorOf(again)).toMatchObject({ status: 404, code: 'verification_not_found' });
  });

  it('answers the same for an address without an account, and mails nothing', async () => {
    await createUser(t, 'known@example.com');
    const known = await startReset(t.browser(), 'known@example.com');
    const unknown = await startReset(t.browser(), 'nobody@example.com');
    expect(unknown.prepared.status).toBe(known.prepared.status);
    expect(shapeOf(unknown.started)).toBe(shapeOf(known.started));
    expect(shapeOf(await json(unknown.prepared))).toBe(shapeOf(await json(known.prepared)));
    await resetCode(t, 'known@example.com');
    // Any code is wrong for no account, with the same error and tries as a wrong code for a real one.
    const browser = t.browser();
    const attempt = await browser.post('/fapi/v1/client/sign_ins/attempt_first_factor', {
      sign_in_id: unknown.started.sign_in_id,
      strategy: 'reset_password_email_code',
      code: '123456',
    });
    expect(await errorOf(attempt)).toMatchObject({ code: 'form_code_incorrect', meta: { attempts_remaining: 4 } });
    expect(t.smtp.messages.filter((m) => m.subject === RESET_SUBJECT)).toHaveLength(1);
    // Nothing was even queued for the address without an account (the mail may not have gone out yet).
    const queued = await t.roster.database.db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', 'nobody@example.com')
      .execute();
    expect(queued).toEqual([]);
  });

  it('gives five tries per code, and a code expires after 10 minutes', async () => {
    await createUser(t, 'grace@example.com');
    const browser = t.browser();
    const { started } = await startReset(browser, 'grace@example.com');
    const code = await resetCode(t, 'grace@example.com');
    const wrongCode = code === '000000' ? '111111' : '000000';
    const attempt = (c: string) =>
      browser.post('/fapi/v1/client/sign_ins/attempt_first_factor', {
        sign_in_id: started.sign_in_id,
        strategy: 'reset_password_email_code',
        code: c,
      });
    for (let i = 0; i < 5; i++) expect((await errorOf(await attempt(wrongCode))).code).toBe('form_code_incorrect');
    expect(await errorOf(await attempt(code))).toMatchObject({ code: 'verification_expired' });

    // A new code gives five new tries; past 10 minutes it is refused.
    const seen: unknown[] = [...t.smtp.messages];
    await browser.post('/fapi/v1/client/sign_ins/prepare_first_factor', { strategy: 'reset_password_email_code' });
    const fresh = await resetCode(t, 'grace@example.com', seen);
    t.clock.advance(10 * 60_000 + 1);
    expect(await errorOf(await attempt(fresh))).toMatchObject({ code: 'verification_expired' });
  });

  it('stores only hashes of the code and of the sign-in id', async () => {
    await createUser(t, 'hash@example.com');
    const { started } = await startReset(t.browser(), 'hash@example.com');
    const code = await resetCode(t, 'hash@example.com');
    const rows = await t.roster.database.db
      .selectFrom('sign_in_attempts' as never)
      .selectAll()
      .execute();
    const text = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    expect(text).not.toContain(code);
    expect(text).not.toContain(started.sign_in_id);
  });

  it('binds the steps to the client that started them (the cookie or the id)', async () => {
    await createUser(t, 'bound@example.com');
    await startReset(t.browser(), 'bound@example.com');
    const code = await resetCode(t, 'bound@example.com');
    const stranger = await t.browser().post('/fapi/v1/client/sign_ins/attempt_first_factor', {
      strategy: 'reset_password_email_code',
      code,
    });
    expect(await errorOf(stranger)).toMatchObject({ status: 404, code: 'verification_not_found' });
  });

  it('limits the codes mailed per address (429), for addresses with and without an account', async () => {
    await createUser(t, 'limited@example.com');
    for (const address of ['limited@example.com', 'ghost@example.com']) {
      const browser = t.browser();
      const statuses = [(await startReset(browser, address)).prepared.status];
      for (let i = 0; i < 5; i++) {
        const again = await browser.post('/fapi/v1/client/sign_ins/prepare_first_factor', {
          strategy: 'reset_password_email_code',
        });
        statuses.push(again.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    }
  });

  it('continues a started sign-in with the password (strategy password)', async () => {
    await createUser(t, 'steps@example.com', 'a long enough password');
    const browser = t.browser();
    const started = await json(await browser.post('/fapi/v1/client/sign_ins', { identifier: 'steps@example.com' }));
    const res = await browser.post('/fapi/v1/client/sign_ins/attempt_first_factor', {
      sign_in_id: started.sign_in_id,
      strategy: 'password',
      password: 'a long enough password',
    });
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('complete');
    expect((await browser.get('/fapi/v1/me')).status).toBe(200);
  });
});

describe('the hosted forgot-password pages', () => {
  it('address → code → new password, signed in on /account, by form posts', async () => {
    await createUser(t, 'linus@example.com', 'the old password 1');
    const other = await signIn(t, 'linus@example.com', 'the old password 1');
    const browser = t.browser();
    const page = await browser.get('/account/forgot-password?email_address=linus%40example.com');
    const html = await page.text();
    expect(html).toContain('<label for="identifier">');
    expect(html).toContain('value="linus@example.com"');

    const sent = await browser.fetch('POST', '/account/forgot-password', { form: { identifier: 'linus@example.com' } });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('we sent it a six-digit code');
    const code = await resetCode(t, 'linus@example.com');
    const codeOk = await browser.fetch('POST', '/account/forgot-password/code', {
      form: { email_address: 'linus@example.com', code },
    });
    expect(codeOk.status).toBe(200);
    expect(await codeOk.text()).toContain('Choose a new password');
    const short = await browser.fetch('POST', '/account/forgot-password/reset', { form: { password: 'short' } });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('at least 8 characters');
    const done = await browser.fetch('POST', '/account/forgot-password/reset', {
      form: { password: 'a fresh hosted passphrase' },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/account?password_reset=1');
    expect(await (await browser.get('/account?password_reset=1')).text()).toContain('Your password was reset.');
    expect((await other.get('/fapi/v1/me')).status).toBe(401);
  });

  it('shows the same page for an unknown address', async () => {
    const res = await t.browser().fetch('POST', '/account/forgot-password', { form: { identifier: 'no@example.com' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('we sent it a six-digit code');
  });

  it('answers 400, not 500, to a body that is not a form', async () => {
    const res = await t.browser().fetch('POST', '/account/forgot-password', {
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      json: undefined,
    });
    expect(res.status).toBe(400);
  });

  it('the sign-in page links to it', async () => {
    expect(await (await t.browser().get('/account')).text()).toContain('href="/account/forgot-password"');
  });
});
