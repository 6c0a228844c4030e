import { ERROR_CODES, type ErrorCode } from '@roster/protocol';
import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest, invited, pathOf, signedInUser } from './support/flows.js';
import { seedOrganization } from './support/harness.js';

/** What the hosted pages offer a person in each state (issue 11): ways back to the app, who is signed in. */
const APP_URL = 'http://app.test/dashboard';
const t = freshRosterForEachTest({ env: { ROSTER_AFTER_ACCEPT_URL: APP_URL } });

const continueLink = new RegExp(`<a href="${APP_URL}"[^>]*>Continue to the app</a>`);

describe('/accept-invitation closed screens', () => {
  it('revoked, used, unknown and expired links offer the app besides the account', async () => {
    const { org } = await seedOrganization(t);
    const revoked = await invited(t, org.id, 'revoked@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`, {});
    const used = await invited(t, org.id, 'used@example.com');
    const { browser: user } = await signedInUser(t, 'used@example.com');
    expect((await user.post(`/fapi/v1/me/organization_invitations/${used.id}/accept`)).status).toBe(200);
    const expired = await invited(t, org.id, 'expired@example.com', { expires_in_days: 1 });
    const anon = t.browser();
    // Each screen answers with its code's status from the one table, and names the code.
    const screens: [string, string, ErrorCode][] = [
      ['revoked', pathOf(revoked.url), 'invitation_revoked'],
      ['used', pathOf(used.url), 'invitation_already_accepted'],
      ['no ticket', '/accept-invitation', 'invitation_not_found'],
      ['unknown ticket', '/accept-invitation?ticket=nope', 'invitation_not_found'],
    ];
    t.clock.advance(2 * 86_400_000);
    screens.push(['expired', pathOf(expired.url), 'invitation_expired']);
    for (const [what, path, code] of screens) {
      const res = await anon.get(path);
      expect(res.status, what).toBe(ERROR_CODES[code].status);
      const html = await res.text();
      expect(html, what).toContain(`<h1 data-status="${code}">`);
      expect(html, what).toMatch(continueLink);
      expect(html, what).toContain('<a href="/account">Go to your account</a>');
    }
  });

  it('a used link opened by the person who used it says they joined, not to ask for a new invitation', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const used = await invited(t, org.id, 'joined@example.com');
    const { browser: joiner } = await signedInUser(t, 'joined@example.com');
    expect((await joiner.post(`/fapi/v1/me/organization_invitations/${used.id}/accept`)).status).toBe(200);

    const res = await joiner.get(pathOf(used.url));
    const html = await res.text();
    expect(res.status).toBe(410);
    expect(html).toContain('You already joined Acme');
    expect(html).toMatch(continueLink);
    expect(html).not.toMatch(/new invitation/);

    // Someone else (signed in or not) still sees the used screen.
    const { browser: other } = await signedInUser(t, 'other@example.com');
    for (const browser of [other, t.browser()]) {
      const seen = await (await browser.get(pathOf(used.url))).text();
      expect(seen).toContain('This invitation was already used');
      expect(seen).not.toContain('You already joined');
    }
  });
});

describe('/sign-up and /account', () => {
  it('/sign-up shown to a signed-in user says who is signed in, links the account and offers sign-out', async () => {
    const { browser } = await signedInUser(t, 'someone@example.com');
    const html = await (await browser.get('/sign-up')).text();
    expect(html).toContain('You are signed in as <strong>someone@example.com</strong>');
    expect(html).toContain('<a href="/account">Go to your account</a>');
    expect(html).toMatch(/<form method="post" action="\/account\/sign-out">[\s\S]*?Sign out[\s\S]*?<\/form>/);
    expect(html).not.toContain('name="password"');
    // Signed out, the form as before.
    expect(await (await t.browser().get('/sign-up')).text()).toContain('Create your account');
  });

  it('/account sign-in keeps the typed email after an error and links to sign-up', async () => {
    const anon = t.browser();
    expect(await (await anon.get('/account')).text()).toContain('<a href="/sign-up">Create an account</a>');
    const res = await anon.fetch('POST', '/account/sign-in', {
      form: { identifier: 'typed@example.com', password: 'wrong password' },
    });
    expect(res.status).toBe(ERROR_CODES.form_password_incorrect.status);
    const html = await res.text();
    expect(html).toContain(ERROR_CODES.form_password_incorrect.long);
    expect(html).toMatch(/<input id="identifier"[^>]*value="typed@example.com"/);
    expect(html).toContain('<a href="/sign-up">Create an account</a>');
  });

  it('/account lists organizations as items with name and role, under a heading that labels the list', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const inv = await invited(t, org.id, 'member@example.com', { role: 'basic_member' });
    const { browser } = await signedInUser(t, 'member@example.com');
    expect((await browser.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`)).status).toBe(200);
    const html = await (await browser.get('/account')).text();
    const list = html.match(/<ul data-testid="memberships" aria-labelledby="([^"]+)">([\s\S]*?)<\/ul>/);
    expect(list).not.toBeNull();
    expect(html).toContain(`<h2 id="${list![1]}"`);
    const items = [...list![2]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(items).toEqual(['Acme · Member']);
  });
});
