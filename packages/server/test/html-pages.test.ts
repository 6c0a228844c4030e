import { createHash } from 'node:crypto';
import { ERROR_CODES } from '@roster/protocol';
import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest, invited, pathOf, signedInUser } from './support/flows.js';
import {
  type Browser,
  json,
  PUBLIC_URL,
  seedOrganization,
  startTestRoster,
  type TestRoster,
} from './support/harness.js';

/** Every HTML page gets the same headers, from one middleware (http/html-security.ts). */
const t = freshRosterForEachTest();

function expectPageHeaders(res: Response, what: string) {
  expect(res.headers.get('content-type'), what).toMatch(/^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("default-src 'none'");
  expect(csp, what).toMatch(/style-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(csp, what).not.toMatch(/style-src [^;]*'unsafe-inline'/);
  expect(csp, what).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  expect(csp, what).toContain("form-action 'self' http://roster.test http://app.test;");
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('cache-control'), what).toBe('no-store');
}

/** The inline stylesheet of a page hashes to one of the CSP's style hashes (the page is styled, not blocked). */
function expectStyleAllowed(res: Response, html: string, what: string) {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  if (what !== 'home') expect(styles.length, what).toBeGreaterThan(0);
  for (const css of styles) {
    const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
    expect(res.headers.get('content-security-policy'), what).toContain(hash);
    expect(css, `${what}: CSS written raw, not HTML-escaped`).not.toContain('&gt;');
  }
}

async function walk(browser: Browser, pages: [string, string | (() => Promise<Response>)][]) {
  for (const [what, target] of pages) {
    const res = typeof target === 'string' ? await browser.get(target) : await target();
    expectPageHeaders(res, what);
    const html = await res.text();
    // Standards mode, not quirks: the doctype comes first, before anything else.
    expect(html.slice(0, 15).toLowerCase(), `${what}: starts with the doctype`).toBe('<!doctype html>');
    expectStyleAllowed(res, html, what);
  }
}

describe('security headers on every HTML page', () => {
  it('sign-up, verify, account (signed out and in), accept-invitation in each state, the home page', async () => {
    const { org } = await seedOrganization(t);
    const pending = await invited(t, org.id, 'pending@example.com');
    const revoked = await invited(t, org.id, 'revoked@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`, {});
    const used = await invited(t, org.id, 'used@example.com');
    const { browser: user } = await signedInUser(t, 'used@example.com');
    expect((await user.post(`/fapi/v1/me/organization_invitations/${used.id}/accept`)).status).toBe(200);
    const expired = await invited(t, org.id, 'expired@example.com', { expires_in_days: 1 });
    const anon = t.browser();

    await walk(anon, [
      ['GET /sign-up', '/sign-up'],
      [
        'POST /sign-up (the code form)',
        () =>
          anon.fetch('POST', '/sign-up', { form: { email_address: 'new@example.com', password: 'a long password' } }),
      ],
      ['POST /sign-up/verify (wrong code)', () => anon.fetch('POST', '/sign-up/verify', { form: { code: '000000' } })],
      [
        'POST /sign-up (error)',
        () => anon.fetch('POST', '/sign-up', { form: { email_address: 'x', password: 'short' } }),
      ],
      ['GET /account (signed out)', '/account'],
      ['GET /account/forgot-password', '/account/forgot-password'],
      [
        'POST /account/forgot-password (the code form)',
        () => anon.fetch('POST', '/account/forgot-password', { form: { identifier: 'used@example.com' } }),
      ],
      [
        'POST /account/sign-in (wrong password)',
        () =>
          anon.fetch('POST', '/account/sign-in', { form: { identifier: 'used@example.com', password: 'nope nope' } }),
      ],
      ['accept: pending', pathOf(pending.url)],
      ['accept: revoked', pathOf(revoked.url)],
      ['accept: used', pathOf(used.url)],
      ['accept: no ticket', '/accept-invitation'],
      ['accept: unknown ticket', '/accept-invitation?ticket=nope'],
      ['home', '/'],
    ]);
    await walk(user, [
      ['GET /account (signed in)', '/account'],
      ['accept: pending, signed in as someone else', pathOf(pending.url)],
      [
        'POST /accept-invitation (error)',
        () => user.fetch('POST', '/accept-invitation', { form: { ticket: 'nope', action: 'accept' } }),
      ],
    ]);
    t.clock.advance(2 * 86_400_000);
    await walk(anon, [['accept: expired', pathOf(expired.url)]]);
  });

  it('the dev mailbox list and message pages', async () => {
    await t.close();
    // No SMTP server: mail goes to the dev mailbox, whose pages are mounted.
    Object.assign(t, await startTestRoster({ env: { SMTP_URL: '' }, overrides: { transport: undefined } }));
    const { org } = await seedOrganization(t);
    await invited(t, org.id, 'mailbox@example.com');
    const browser = t.browser();
    let mails: { id: number }[] = [];
    for (let i = 0; i < 100 && mails.length === 0; i++) {
      mails = await json(await browser.get('/dev/mailbox.json'));
      if (mails.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(mails.length).toBe(1);
    await walk(browser, [
      ['GET /dev/mailbox', '/dev/mailbox'],
      ['GET /dev/mailbox/:id', `/dev/mailbox/${mails[0]!.id}`],
    ]);
  });

  it('JSON answers and redirects do not get page headers', async () => {
    const res = await t.browser().get('/fapi/v1/me');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('x-frame-options')).toBeNull();
  });
});

describe('a malformed multipart body on a hosted form', () => {
  const broken = (t: TestRoster, path: string) =>
    t.roster.app.request(`${PUBLIC_URL}${path}`, {
      method: 'POST',
      headers: { origin: PUBLIC_URL, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="identifier"\r\n\r\nada@example.com\r\n--nope',
    });

  it.each(['/account/sign-in', '/sign-up', '/sign-up/verify', '/accept-invitation'])(
    'POST %s → 400 malformed_request_body, not 500',
    async (path) => {
      const res = await broken(t, path);
      expect(res.status).toBe(400);
      // A JSON error body, or the page again with the table's message for that code.
      const body = await res.text();
      expect(body.includes('malformed_request_body') || body.includes(ERROR_CODES.malformed_request_body.long)).toBe(
        true,
      );
      expect(t.logs.join('')).not.toMatch(/unhandled error/);
    },
  );

  it('a well-formed multipart body still works', async () => {
    const form = new FormData();
    form.set('email_address', 'multipart@example.com');
    form.set('password', 'a long password');
    const res = await t.roster.app.request(`${PUBLIC_URL}/sign-up`, {
      method: 'POST',
      headers: { origin: PUBLIC_URL },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('We sent a six-digit code');
  });
});
