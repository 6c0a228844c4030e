import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest } from './support/flows.js';
import { json } from './support/harness.js';
import { codeIn } from './support/smtp.js';

const t = freshRosterForEachTest();

describe('hosted sign-up pages', () => {
  it('sign up, receive the code by email, verify, land signed in on the account page', async () => {
    const browser = t.browser();
    expect(await (await browser.get('/sign-up')).text()).toContain('Create your account');
    const started = await browser.fetch('POST', '/sign-up', {
      form: { email_address: 'Linus@Example.com', password: 'a long password', first_name: 'Linus' },
    });
    expect(started.status).toBe(200);
    expect(await started.text()).toContain('We sent a six-digit code');
    // No account until the code comes back.
    expect((await json(await t.bapi('GET', '/v1/users/count?email_address=linus@example.com'))).total_count).toBe(0);

    const code = codeIn(await t.smtp.waitFor('linus@example.com'));
    const wrong = await browser.fetch('POST', '/sign-up/verify', {
      form: { email_address: 'Linus@Example.com', code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(422);
    const ok = await browser.fetch('POST', '/sign-up/verify', { form: { email_address: 'Linus@Example.com', code } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/account');
    const me = await json(await browser.get('/fapi/v1/me'));
    expect(me.user.email_addresses[0]).toMatchObject({
      email_address: 'Linus@Example.com',
      verification: { status: 'verified', strategy: 'email_code' },
    });
    expect(await (await browser.get('/account')).text()).toContain('Linus');
  });

  it('refuses a cross-site form post', async () => {
    const res = await t.browser().fetch('POST', '/sign-up', {
      form: { email_address: 'x@example.com', password: 'a long password' },
      headers: { origin: 'http://evil.test' },
    });
    expect(res.status).toBe(403);
  });
});

describe('hosted forms in a real browser', () => {
  it("accept the browser's own form post with Origin: null (no-referrer pages) only when Sec-Fetch-Site says same-origin", async () => {
    const form = { email_address: 'nullorigin@example.com', password: 'a long password' };
    const own = await t
      .browser()
      .fetch('POST', '/sign-up', { form, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
    for (const headers of [
      { origin: 'null' } as Record<string, string>,
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { origin: 'null', 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await t.browser().fetch('POST', '/sign-up', { form, headers });
      expect(res.status).toBe(403);
    }
  });

  it('lets the accept page redirect to the app after joining (form-action lists the allowed origins)', async () => {
    const res = await t.browser().get('/accept-invitation?ticket=unknown');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("form-action 'self' http://roster.test http://app.test");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
