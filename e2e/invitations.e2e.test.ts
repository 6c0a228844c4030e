import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, linkIn } from '../packages/server/test/support/smtp.js';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser.js';
import { ROOT } from './support/example-build.js';
import { type Stack, startStack } from './support/stack.js';

/**
 * The invitation journeys in Chromium, against a real Roster process (SQLite in a temp dir, mail
 * to a real SMTP server) and the built Next.js example (`next start`). One stack serves the
 * whole file; the journeys run in order and build on each other (the admin and the organization
 * of the first are used by the rest).
 */

const PASSWORD = 'correct horse battery staple';
const run = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const address = (name: string) => `${name}-${suffix}@example.com`;

let stack: Stack;
let browser: Browser;
let adminContext: BrowserContext;
let admin: Page;
let organizationId: string;
const contexts: BrowserContext[] = [];

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  contexts.push(context);
  return { context, page: await context.newPage() };
}

const pendingRow = (page: Page, email: string) => page.locator(`[data-testid=pending-list] li[data-email="${email}"]`);
const memberRow = (page: Page, email: string) => page.locator(`[data-testid=member-list] li[data-email="${email}"]`);
const serverOrg = (page: Page) => page.getByTestId('server-org');

async function invite(email: string, role: 'Admin' | 'Member') {
  await admin.locator('#invite-email').fill(email);
  await admin.getByLabel(role, { exact: true }).check();
  await admin.getByRole('button', { name: 'Invite', exact: true }).click();
  // The pending list shows it at once, without a reload.
  await pendingRow(admin, email).waitFor();
}

async function invitationsOf(email: string) {
  const { body } = await stack.bapi(
    'GET',
    `/v1/organizations/${organizationId}/invitations?email_address=${encodeURIComponent(email)}&status=pending&status=accepted&status=revoked`,
  );
  return (body.data as { status: string; role: string }[]).map((i) => `${i.status} ${i.role}`);
}

async function membersOf(): Promise<string[]> {
  const { body } = await stack.bapi('GET', `/v1/organizations/${organizationId}/memberships?limit=100`);
  return (body.data as { role: string; public_user_data: { identifier: string } }[])
    .map((m) => `${m.public_user_data.identifier} ${m.role}`)
    .sort();
}

describe.runIf(run)('invitations in the browser: Next.js example + Roster + SMTP', () => {
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    admin = await adminContext.newPage();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await adminContext?.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('1. an admin signs up, creates an organization and invites a new address; it is pending at once', async () => {
    const email = address('ada');
    await admin.goto(`${stack.appUrl}/sign-up`);
    await admin.getByLabel('Email address', { exact: true }).fill(email);
    await admin.getByLabel('First name').fill('Ada');
    await admin.getByLabel('Last name').fill('Admin');
    await admin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { name: 'Check your email' }).waitFor();

    const code = codeIn(await stack.smtp.waitFor(email));
    await admin.getByLabel('Verification code').fill(code);
    await admin.getByRole('button', { name: 'Verify and create account' }).click();
    await admin.waitForURL(`${stack.appUrl}/organizations/new`);

    await admin.getByLabel('Organization name').fill('Acme');
    await admin.getByRole('button', { name: 'Create organization' }).click();
    // <CreateOrganization/> offers to invite people first; this journey invites from the page.
    await admin.getByRole('heading', { name: 'Invite new members' }).waitFor();
    await admin.getByRole('button', { name: 'Skip' }).click();
    await admin.waitForURL(`${stack.appUrl}/organization`);
    await serverOrg(admin).filter({ hasText: 'org:admin' }).waitFor();
    expect(await serverOrg(admin).textContent()).toContain('organization acme, your role org:admin');

    await invite(address('nia'), 'Member');
    expect(await pendingRow(admin, address('nia')).textContent()).toContain('Member');
    await screenshot(admin, '1-admin-invites');

    // The prebuilt <OrganizationProfile/> shows the same invitation, and its email being sent.
    await admin.goto(`${stack.appUrl}/organization/profile`);
    await admin.getByRole('tab', { name: /Invitations/ }).click();
    await admin.getByText(address('nia')).waitFor();
    await admin.locator('[data-delivery=sent]').waitFor();
    await admin.getByLabel('Email addresses').fill('grace@example.com, linus@example.com');
    const shot = await screenshot(admin, '1-organization-profile');
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(shot, join(ROOT, 'docs/images/invite-screen.png'));
    }

    // The server component and the route handler verified the session token cookie themselves.
    await admin.goto(`${stack.appUrl}/`);
    const shown = JSON.parse((await admin.getByTestId('server-auth').textContent()) ?? '{}');
    expect(shown).toMatchObject({ orgSlug: 'acme', orgRole: 'org:admin', isAdmin: true });
    expect(shown.userId).toMatch(/^user_/);
    organizationId = shown.orgId;
    const api = await admin.evaluate(async () => (await fetch('/api/me')).json());
    expect(api).toMatchObject({ userId: shown.userId, orgId: organizationId, canManageMembers: true });
    await screenshot(admin, '1-server-auth');
    await admin.goto(`${stack.appUrl}/organization`);
  });

  it('2. the mail arrives; the invitee signs up from its link with the address locked and lands in the app as a member', async () => {
    const email = address('nia');
    const link = linkIn(await stack.smtp.waitFor(email));
    expect(link.startsWith(`${stack.rosterUrl}/accept-invitation?ticket=`)).toBe(true);

    const { page } = await freshPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Join Acme' }).waitFor();
    const locked = page.locator('#email');
    expect(await locked.inputValue()).toBe(email);
    expect(await locked.isEditable()).toBe(false);
    await page.locator('#first_name').fill('Nia');
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account and join' }).click();

    // Roster sends them to ROSTER_AFTER_ACCEPT_URL, the example's organization page.
    await page.waitForURL(`${stack.appUrl}/organization`);
    await serverOrg(page).filter({ hasText: 'org:member' }).waitFor();
    await memberRow(page, email).waitFor();
    expect(await page.getByRole('button', { name: 'Invite', exact: true }).count()).toBe(0);
    await screenshot(page, '2-invitee-joined');

    await admin.reload();
    await memberRow(admin, email).waitFor();
    expect(await pendingRow(admin, email).count()).toBe(0);
    expect(await invitationsOf(email)).toEqual(['accepted org:member']);
    await screenshot(admin, '2-admin-sees-member');
  });

  it('3. an existing user invited as admin signs in from the link and joins with that role', async () => {
    const email = address('grace');
    const created = await stack.bapi('POST', '/v1/users', {
      email_address: [email],
      password: PASSWORD,
      first_name: 'Grace',
      last_name: 'Hopper',
    });
    expect(created.status).toBe(200);
    await invite(email, 'Admin');
    expect(await pendingRow(admin, email).textContent()).toContain('Admin');

    const link = linkIn(await stack.smtp.waitFor(email));
    const { page } = await freshPage();
    await page.goto(link);
    await page.getByText('You already have an account. Sign in to join.').waitFor();
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in and join' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);
    await serverOrg(page).filter({ hasText: 'org:admin' }).waitFor();
    await memberRow(page, email).waitFor();
    expect(await memberRow(page, email).textContent()).toContain('Admin');
    await screenshot(page, '3-existing-user-joined-as-admin');
    expect(await invitationsOf(email)).toEqual(['accepted org:admin']);
  });

  it('4. an admin revokes a pending invitation: the list updates without a reload, and the link joins no one', async () => {
    const email = address('rex');
    await invite(email, 'Member');
    const link = linkIn(await stack.smtp.waitFor(email));

    await admin.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    await admin.getByRole('button', { name: `Revoke ${email}` }).click();
    await pendingRow(admin, email).waitFor({ state: 'detached' });
    expect(await admin.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await screenshot(admin, '4-admin-after-revoke');

    const { page } = await freshPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'This invitation was revoked' }).waitFor();
    expect(await page.getByRole('button').count()).toBe(0);
    await screenshot(page, '4-revoked-link');
    expect(await invitationsOf(email)).toEqual(['revoked org:member']);
    expect((await membersOf()).some((m) => m.startsWith(email))).toBe(false);
  });

  it('5. someone signed in as another user opens a link: told so, nothing joined, and can switch', async () => {
    const invitee = address('wanted');
    const other = address('other');
    await stack.bapi('POST', '/v1/users', { email_address: [other], password: PASSWORD, first_name: 'Otto' });
    await invite(invitee, 'Member');
    const link = linkIn(await stack.smtp.waitFor(invitee));
    const before = await membersOf();

    // Signed in to Roster as someone else (through the example's sign-in page).
    const { page } = await freshPage();
    await page.goto(`${stack.appUrl}/sign-in`);
    await page.getByLabel('Email address', { exact: true }).fill(other);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);

    // Roster's hosted page says so and joins no one.
    await page.goto(link);
    const hosted = page.getByTestId('wrong-account');
    await hosted.waitFor();
    expect(await hosted.textContent()).toMatch(new RegExp(`signed in as ${other}.*this invitation is for ${invitee}`));
    await screenshot(page, '5-wrong-account-hosted');

    // So does the example's own accept page (<AcceptInvitation/>), with the same ticket.
    const ticket = new URL(link).searchParams.get('ticket')!;
    await page.goto(`${stack.appUrl}/accept-invitation?ticket=${encodeURIComponent(ticket)}`);
    const inApp = page.getByTestId('wrong-account');
    await inApp.waitFor();
    expect(await inApp.textContent()).toContain('Nothing has been joined.');
    await screenshot(page, '5-wrong-account-in-app');
    expect(await invitationsOf(invitee)).toEqual(['pending org:member']);
    expect(await membersOf()).toEqual(before);

    await page.getByRole('button', { name: `Sign out and continue as ${invitee}` }).click();
    await page.getByRole('button', { name: 'Create account and join' }).waitFor();
    expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe(invitee);
    await screenshot(page, '5-switched-to-invitee');
    expect(await invitationsOf(invitee)).toEqual(['pending org:member']);
    expect(await membersOf()).toEqual(before);
  });
  it('6. a browser never sees a ticket: the invite answer has no link, and a shown link asks its new account for the mailed code', async () => {
    // The admin's browser invites through the example; the answer Roster gives the browser has no link.
    const email = address('victim');
    const answer = admin.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/fapi\/v1\/organizations\/[^/]+\/invitations$/.test(r.url()),
    );
    await invite(email, 'Member');
    const created = (await (await answer).json()) as { url: string | null };
    expect(created.url).toBeNull();
    const mailed = linkIn(await stack.smtp.waitFor(email));
    expect(JSON.stringify(created)).not.toContain(new URL(mailed).searchParams.get('ticket')!);

    // The Backend API's url (a second ticket, shown to the app's server) proves no address.
    const shownTo = address('shown');
    const { body } = await stack.bapi('POST', `/v1/organizations/${organizationId}/invitations`, {
      email_address: shownTo,
      role: 'org:member',
      notify: false,
    });
    const { page } = await freshPage();
    await page.goto(body.url);
    await page.getByText('We will email a code to this address to confirm it is yours.').waitFor();
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await screenshot(page, '6-shown-link-asks-for-code');
    expect((await stack.bapi('GET', `/v1/users?email_address=${encodeURIComponent(shownTo)}`)).body).toEqual([]);
    await page.locator('#code').fill(codeIn(await stack.smtp.waitFor(shownTo)));
    await page.getByRole('button', { name: 'Verify, create account and join' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);
    await serverOrg(page).filter({ hasText: 'org:member' }).waitFor();
    expect(await invitationsOf(shownTo)).toEqual(['accepted org:member']);
  });

  it('7. forgot password: the hosted pages mail a code, set a new password and sign in; the old one stops working', async () => {
    const email = address('forgetful');
    await stack.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD, first_name: 'Fay' });
    const { page } = await freshPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.rosterUrl}/account`);
    await page.getByRole('link', { name: /forgot/i }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Email address').press('Enter');
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.getByLabel('Reset code').fill(codeIn(await stack.smtp.waitFor(email)));
    await page.getByLabel('Reset code').press('Enter');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await screenshot(page, '7-reset-new-password-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase 7');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL(new RegExp(`^${stack.rosterUrl}/account(\\?|$)`));
    await page.getByRole('button', { name: /sign out/i }).waitFor();
    await screenshot(page, '7-reset-signed-in');
    const old = await fetch(`${stack.rosterUrl}/fapi/v1/client/sign_ins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: email, password: PASSWORD }),
    });
    expect(old.status).toBe(422);
  });

  it('8. a returning visitor whose token expired lands on the protected page directly, never through /sign-in', async () => {
    const email = address('returning');
    const created = await stack.bapi('POST', '/v1/users', {
      email_address: [email],
      password: PASSWORD,
      first_name: 'Rita',
    });
    expect(created.status).toBe(200);
    const org = await stack.bapi('POST', '/v1/organizations', { name: 'Returners', created_by: created.body.id });
    expect(org.status).toBe(200);
    const { context, page } = await freshPage();
    await page.goto(`${stack.appUrl}/sign-in`);
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);
    await serverOrg(page).filter({ hasText: 'org:admin' }).waitFor();

    // Away for more than a minute: the browser has dropped the 60-second __session cookie (its
    // Max-Age ran out); Roster's session cookie is still there, and (same host, other port) the app receives it.
    await page.close();
    await context.clearCookies({ name: '__session' });
    const cookies = (await context.cookies(stack.appUrl)).map((c) => c.name);
    expect(cookies).toContain('__roster_session');
    expect(cookies).not.toContain('__session');

    // A cold visit in a new tab: every document request and every URL the tab shows, recorded.
    const returning = await context.newPage();
    const requested: string[] = [];
    const shown: string[] = [];
    returning.on('request', (r) => {
      if (r.isNavigationRequest() && r.frame() === returning.mainFrame()) requested.push(r.url());
    });
    returning.on('framenavigated', (f) => {
      if (f === returning.mainFrame()) shown.push(f.url());
    });
    const providerMinted = returning.waitForResponse((r) =>
      /\/fapi\/v1\/client\/sessions\/[^/]+\/tokens$/.test(r.url()),
    );
    const response = (await returning.goto(`${stack.appUrl}/organization`))!;
    // Decision 012's bounce would read [/organization, /sign-in?redirect_url=%2Forganization] here.
    expect(requested).toEqual([`${stack.appUrl}/organization`]);
    expect(response.status()).toBe(200);
    expect(response.request().redirectedFrom()).toBeNull();
    // The middleware refreshed the token: the first response sets it, and the server rendered signed in.
    expect((await response.headerValue('set-cookie')) ?? '').toMatch(/(^|\n)__session=/);
    expect(await response.text()).toMatch(/data-testid="server-org".*org:admin/s);
    // The page's provider has run its own first refresh: whatever it would do, it has done.
    await providerMinted;
    await serverOrg(returning).filter({ hasText: 'org:admin' }).waitFor();
    expect(requested).toEqual([`${stack.appUrl}/organization`]);
    expect(new Set(shown)).toEqual(new Set([`${stack.appUrl}/organization`]));
    expect(await returning.getByText('You are signed in').count()).toBe(0);
    await screenshot(returning, '8-returning-visit-no-bounce');
  });
});
