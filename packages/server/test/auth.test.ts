import type { ParsedMail } from 'mailparser';
import { describe, expect, it, vi } from 'vitest';
import {
  all,
  createUser,
  errorOf,
  freshRosterForEachTest,
  invitationNow,
  invited,
  mailedUrl,
  membersOf,
  pathOf,
  signedInUser,
  signIn,
  ticketOf,
} from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';
import { codeIn } from './support/smtp.js';

/**
 * Accounts and sessions through the Frontend API: sign-up verified by an emailed code, sign-in
 * that does not tell a wrong password from a missing account, sessions that end when they should,
 * and no way to hold an address (or accept its invitations) without proving it.
 */

const t = freshRosterForEachTest();

const PASSWORD = 'a long enough password';
const isCodeMail = (m: ParsedMail) => m.subject === 'Your verification code';

async function usersWith(email: string): Promise<number> {
  return (await json(await t.bapi('GET', `/v1/users/count?email_address=${encodeURIComponent(email)}`))).total_count;
}

/** A code that is not `code`. */
function wrong(code: string, n = 0): string {
  return String((Number(code) + 1 + n) % 1_000_000).padStart(6, '0');
}

async function startSignUp(email: string, password = PASSWORD) {
  const browser = t.browser();
  const res = await browser.post('/fapi/v1/client/sign_ups', { email_address: email, password });
  expect(res.status).toBe(200);
  const body = await json(res);
  expect(body).toMatchObject({ status: 'needs_email_verification', user: null, session: null });
  expect(body.sign_up_id).toMatch(/^su_/);
  return Object.assign(browser, { signUpId: body.sign_up_id as string });
}

describe('sign-up with an emailed code', () => {
  it('mails a six-digit code, and the account exists only once the code comes back', async () => {
    const browser = await startSignUp('Linus@Example.com');
    expect(browser.cookie).toBeNull();
    expect(await usersWith('linus@example.com')).toBe(0);
    expect(
      await errorOf(
        await t.browser().post('/fapi/v1/client/sign_ins', { identifier: 'linus@example.com', password: PASSWORD }),
      ),
    ).toMatchObject({
      code: 'form_password_incorrect',
    });

    const mail = await t.smtp.waitFor('linus@example.com');
    const code = codeIn(mail);
    expect(code).toMatch(/^\d{6}$/);
    expect(await usersWith('linus@example.com')).toBe(0);

    const done = await browser.post('/fapi/v1/client/sign_ups/verify', { email_address: 'linus@example.com', code });
    expect(done.status).toBe(200);
    const body = await json(done);
    expect(body).toMatchObject({ status: 'complete', session: { status: 'active' } });
    expect(body.user.email_addresses[0]).toMatchObject({
      email_address: 'Linus@Example.com',
      verification: { status: 'verified', strategy: 'email_code' },
    });
    expect(browser.cookie).not.toBeNull();
    expect((await json(await browser.get('/fapi/v1/me'))).user.id).toBe(body.user.id);
    expect(await usersWith('linus@example.com')).toBe(1);

    // The code is single use, and the password chosen at the start signs in.
    expect(
      await errorOf(await t.browser().post('/fapi/v1/client/sign_ups/verify', { sign_up_id: browser.signUpId, code })),
    ).toMatchObject({
      status: 404,
      code: 'verification_not_found',
    });
    await signIn(t, 'linus@example.com');
  });

  it('counts wrong codes down, and after five the right code no longer works', async () => {
    const { signUpId } = await startSignUp('counted@example.com');
    const code = codeIn(await t.smtp.waitFor('counted@example.com'));
    for (let left = 4; left >= 0; left--) {
      const res = await t.browser().post('/fapi/v1/client/sign_ups/verify', {
        sign_up_id: signUpId,
        code: wrong(code, left),
      });
      expect(await errorOf(res)).toMatchObject({
        status: 422,
        code: 'form_code_incorrect',
        meta: { param_name: 'code', attempts_remaining: left },
      });
    }
    const late = await t.browser().post('/fapi/v1/client/sign_ups/verify', { sign_up_id: signUpId, code });
    expect(await errorOf(late)).toMatchObject({ status: 422, code: 'verification_expired' });
    expect(await usersWith('counted@example.com')).toBe(0);
  });

  it('counts wrong codes sent at once: 20 parallel guesses get no more than five tries', async () => {
    const { signUpId } = await startSignUp('guessed@example.com');
    const code = codeIn(await t.smtp.waitFor('guessed@example.com'));
    const responses = await all(20, (i) =>
      t.browser().post('/fapi/v1/client/sign_ups/verify', { sign_up_id: signUpId, code: wrong(code, i) }),
    );
    const codes = await Promise.all(responses.map(async (r) => (await errorOf(r)).code));
    expect(codes.filter((c) => c === 'form_code_incorrect')).toHaveLength(5);
    expect(codes.filter((c) => c === 'verification_expired')).toHaveLength(15);
    const late = await t.browser().post('/fapi/v1/client/sign_ups/verify', { sign_up_id: signUpId, code });
    expect(await errorOf(late)).toMatchObject({ code: 'verification_expired' });
    expect(await usersWith('guessed@example.com')).toBe(0);
  });

  it('lets a code expire after ten minutes', async () => {
    const { signUpId } = await startSignUp('slow@example.com');
    const code = codeIn(await t.smtp.waitFor('slow@example.com'));
    t.clock.advance(11 * 60_000);
    const res = await t.browser().post('/fapi/v1/client/sign_ups/verify', { sign_up_id: signUpId, code });
    expect(await errorOf(res)).toMatchObject({ status: 422, code: 'verification_expired' });
    expect(await usersWith('slow@example.com')).toBe(0);
  });

  it('refuses to start a sign-up for an address that has an account', async () => {
    await createUser(t, 'taken@example.com');
    const res = await t
      .browser()
      .post('/fapi/v1/client/sign_ups', { email_address: 'Taken@Example.com', password: PASSWORD });
    expect(await errorOf(res)).toMatchObject({ status: 422, code: 'form_identifier_exists' });
  });
});

describe('sign-in and sessions', () => {
  it('answers a wrong password and an unknown account with the same error', async () => {
    await createUser(t, 'known@example.com');
    const wrongPassword = await t
      .browser()
      .post('/fapi/v1/client/sign_ins', { identifier: 'known@example.com', password: 'not the password' });
    const unknown = await t
      .browser()
      .post('/fapi/v1/client/sign_ins', { identifier: 'nobody@example.com', password: 'not the password' });
    expect(wrongPassword.status).toBe(422);
    expect(unknown.status).toBe(wrongPassword.status);
    const a = await json(wrongPassword);
    const b = await json(unknown);
    expect(a.errors).toEqual(b.errors);
    expect(a.errors[0].code).toBe('form_password_incorrect');
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and hands the token to non-browser clients', async () => {
    await createUser(t, 'cookie@example.com');
    const res = await t
      .browser()
      .post('/fapi/v1/client/sign_ins', { identifier: 'cookie@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    // The last Set-Cookie for the name is the one a browser keeps.
    const cookie = res.headers
      .getSetCookie()
      .filter((c) => c.startsWith('__roster_session='))
      .at(-1);
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    const token = res.headers.get('x-roster-session-token');
    expect(token).toBeTruthy();
    expect(cookie).toContain(`__roster_session=${token}`);

    // The token works as a Bearer token, without any cookie.
    const bearer = t.browser();
    const me = await bearer.fetch('GET', '/fapi/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect((await json(me)).user.email_addresses[0].email_address).toBe('cookie@example.com');
    const bad = await bearer.fetch('GET', '/fapi/v1/me', { headers: { authorization: `Bearer ${token}x` } });
    expect(await errorOf(bad)).toMatchObject({ status: 401, code: 'session_invalid' });
  });

  it('signing out ends the session: the cookie is cleared and the old token is rejected', async () => {
    const { browser } = await signedInUser(t, 'leaving@example.com');
    const token = browser.cookie!;
    const out = await browser.post('/fapi/v1/client/sign_out');
    expect(out.status).toBe(200);
    expect(await json(out)).toEqual({ signed_out: true });
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('__roster_session='));
    expect(cleared).toMatch(/__roster_session=;/);
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(browser.cookie).toBeNull();

    expect(await errorOf(await browser.get('/fapi/v1/me'))).toMatchObject({ status: 401, code: 'session_invalid' });
    const replayed = await t.browser().fetch('GET', '/fapi/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(await errorOf(replayed)).toMatchObject({ status: 401, code: 'session_invalid' });
    const replayedCookie = t.browser();
    replayedCookie.cookie = token;
    expect(await errorOf(await replayedCookie.get('/fapi/v1/me'))).toMatchObject({ code: 'session_invalid' });
  });

  it('GET /fapi/v1/client answers 200 either way: me when signed in, null when signed out or the token is stale', async () => {
    const anonymous = await t.browser().get('/fapi/v1/client');
    expect(anonymous.status).toBe(200);
    expect(await json(anonymous)).toEqual({ object: 'client', me: null });

    const { browser } = await signedInUser(t, 'client@example.com');
    const token = browser.cookie!;
    const signedIn = await json(await browser.get('/fapi/v1/client'));
    expect(signedIn).toEqual({ object: 'client', me: await json(await browser.get('/fapi/v1/me')) });
    expect(signedIn.me.user.email_addresses[0].email_address).toBe('client@example.com');

    await browser.post('/fapi/v1/client/sign_out');
    const stale = await t.browser().fetch('GET', '/fapi/v1/client', { headers: { authorization: `Bearer ${token}` } });
    expect(stale.status).toBe(200);
    expect(await json(stale)).toEqual({ object: 'client', me: null });
  });

  it('a new sign-in in the same browser issues a fresh token and ends the previous session', async () => {
    const { browser } = await signedInUser(t, 'again@example.com');
    const first = browser.cookie!;
    const res = await browser.post('/fapi/v1/client/sign_ins', { identifier: 'again@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    const second = browser.cookie!;
    expect(second).not.toBe(first);
    expect((await browser.get('/fapi/v1/me')).status).toBe(200);
    const old = await t.browser().fetch('GET', '/fapi/v1/me', { headers: { authorization: `Bearer ${first}` } });
    expect(await errorOf(old)).toMatchObject({ status: 401, code: 'session_invalid' });

    // Another browser's sign-in is a separate session and leaves this one alone.
    const other = await signIn(t, 'again@example.com');
    expect(other.cookie).not.toBe(second);
    expect((await browser.get('/fapi/v1/me')).status).toBe(200);
  });

  it('a session token set before signing in is never promoted (fixation)', async () => {
    await createUser(t, 'fixed@example.com');
    const browser = t.browser();
    browser.cookie = 'attacker-chosen-token';
    const res = await browser.post('/fapi/v1/client/sign_ins', { identifier: 'fixed@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(browser.cookie).not.toBe('attacker-chosen-token');
    const planted = t.browser();
    planted.cookie = 'attacker-chosen-token';
    expect(await errorOf(await planted.get('/fapi/v1/me'))).toMatchObject({ code: 'session_invalid' });
  });
});

describe('no address without proof', () => {
  it('a second sign-up start for the same address cannot choose the password of the account its owner verifies', async () => {
    // The owner starts a sign-up; an attacker starts another for the same address with their own
    // password. Both codes land in the owner's mailbox, and the owner cannot tell them apart.
    const owner = await startSignUp('owner@example.com', 'owner password');
    const attacker = await startSignUp('owner@example.com', 'attacker password');
    await vi.waitFor(() => expect(t.smtp.messages.filter(isCodeMail)).toHaveLength(2));
    const codes = t.smtp.messages.filter(isCodeMail).map(codeIn);
    // Whichever code the owner types into their own sign-up, only their own attempt's code works.
    const first = await owner.post('/fapi/v1/client/sign_ups/verify', { code: codes[0] });
    if (first.status !== 200) {
      expect(await errorOf(first)).toMatchObject({ code: 'form_code_incorrect' });
      expect((await owner.post('/fapi/v1/client/sign_ups/verify', { code: codes[1] })).status).toBe(200);
    }
    // The account has the owner's password, never the attacker's.
    await signIn(t, 'owner@example.com', 'owner password');
    const withAttackers = await t
      .browser()
      .post('/fapi/v1/client/sign_ins', { identifier: 'owner@example.com', password: 'attacker password' });
    expect(await errorOf(withAttackers)).toMatchObject({ code: 'form_password_incorrect' });
    // The attacker's attempt can no longer make or change the account, whatever code it is given.
    for (const code of codes) {
      const late = await t.browser().post('/fapi/v1/client/sign_ups/verify', { sign_up_id: attacker.signUpId, code });
      expect(late.status).toBeGreaterThanOrEqual(400);
      expect(late.status).toBeLessThan(500);
    }
    expect(await usersWith('owner@example.com')).toBe(1);
  });

  it('starting a sign-up with the victim’s address creates no account: the victim still signs up from the invitation', async () => {
    const { org } = await seedOrganization(t);
    // The attacker gets in first, with their own password.
    const attacker = await startSignUp('victim@example.com', 'attacker password');
    // The code lands in the victim's mailbox, not the attacker's.
    const attackerCode = codeIn(await t.smtp.waitFor('victim@example.com', { match: isCodeMail }));
    expect(await usersWith('victim@example.com')).toBe(0);

    const inv = await invited(t, org.id, 'victim@example.com', { role: 'admin' });
    const victim = t.browser();
    const page = await victim.get(pathOf(inv.url));
    const html = await page.text();
    expect(html).toContain('Create account and join');
    expect(html).not.toContain('Sign in and join');
    const preview = await json(
      await t.browser().get(`/fapi/v1/tickets/preview?ticket=${encodeURIComponent(ticketOf(inv.url))}`),
    );
    expect(preview.next_step).toBe('sign_up');

    const joined = await victim.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(await mailedUrl(t, inv)), action: 'sign_up', password: 'victim password' },
    });
    expect(joined.status).toBe(303);
    expect(await usersWith('victim@example.com')).toBe(1);

    // The attacker's pending sign-up can no longer become (or overwrite) the account.
    const late = await t
      .browser()
      .post('/fapi/v1/client/sign_ups/verify', { sign_up_id: attacker.signUpId, code: attackerCode });
    expect(await errorOf(late)).toMatchObject({ code: 'form_identifier_exists' });
    expect(
      await errorOf(
        await t
          .browser()
          .post('/fapi/v1/client/sign_ins', { identifier: 'victim@example.com', password: 'attacker password' }),
      ),
    ).toMatchObject({
      code: 'form_password_incorrect',
    });
    const me = await json(await (await signIn(t, 'victim@example.com', 'victim password')).get('/fapi/v1/me'));
    expect(me.organization_memberships).toHaveLength(1);
    expect(me.organization_memberships[0]).toMatchObject({ role: 'org:admin', organization: { id: org.id } });
  });

  it('an unverified address never lets anyone accept its invitation', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'target@example.com');
    const ticket = ticketOf(inv.url);

    // A sign-up that never proved the address: no account, no sign-in, no accept.
    const attackerSignUp = await startSignUp('target@example.com', 'attacker password');
    await t.smtp.waitFor('target@example.com', { match: isCodeMail });
    expect(
      await errorOf(
        await t
          .browser()
          .post('/fapi/v1/client/sign_ins', { identifier: 'target@example.com', password: 'attacker password' }),
      ),
    ).toMatchObject({
      code: 'form_password_incorrect',
    });
    expect(
      await errorOf(await t.browser().post('/fapi/v1/tickets/sign_in', { ticket, password: 'attacker password' })),
    ).toMatchObject({
      code: 'form_password_incorrect',
    });
    const viaPage = await t.browser().fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_in', password: 'attacker password' },
    });
    expect(viaPage.status).toBe(422);
    const guessed = await t
      .browser()
      .post('/fapi/v1/client/sign_ups/verify', { sign_up_id: attackerSignUp.signUpId, code: '000000' });
    expect(['form_code_incorrect']).toContain((await errorOf(guessed)).code);

    // The attacker's own, verified account is the wrong one for this invitation wherever they try.
    const { browser: attacker } = await signedInUser(t, 'attacker@example.com');
    expect(await errorOf(await attacker.post('/fapi/v1/tickets/accept', { ticket }))).toMatchObject({
      code: 'invitation_email_mismatch',
    });
    expect((await json(await attacker.get('/fapi/v1/me/organization_invitations'))).total_count).toBe(0);
    expect(await errorOf(await attacker.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`))).toMatchObject({
      code: 'invitation_not_found',
    });
    expect(
      (await json(await attacker.get('/fapi/v1/me'))).user.email_addresses.map((e: any) => e.email_address),
    ).toEqual(['attacker@example.com']);

    expect((await invitationNow(t, org.id, inv.id)).status).toBe('pending');
    expect((await membersOf(t, org.id)).total_count).toBe(1);
  });
});
