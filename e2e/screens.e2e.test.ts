import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RosterProcess, startRosterProcess } from '../packages/server/test/support/processes.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './support/browser.js';
import { ROOT } from './support/example-build.js';
import { checkScreen, problems, recordErrors, type ScreenReport } from './support/screens.js';
import { SECRET_KEY, type Stack, startStack } from './support/stack.js';

/**
 * Every page of the example and every hosted page, at 1280 and 390 px (issue 11): no horizontal
 * overflow, no serious or critical axe-core violation and an h1, a screenshot of each
 * (e2e/screenshots/screens-*.png), and no 4xx in the console of a signed-out visitor or a member.
 * One browser; one page per person, reused from screen to screen.
 */

const PASSWORD = 'correct horse battery staple';
const run = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const address = (name: string) => `screens-${name}-${suffix}@example.com`;

let stack: Stack;
let devRoster: RosterProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const reports: ScreenReport[] = [];
let organizationId: string;
/** The first test's admin, signed in, reused by the component screens. */
let admin: Page;
let memberLink: string;

async function person(): Promise<Page> {
  // bypassCSP: the hosted pages allow no inline script, and axe is injected as one.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  contexts.push(context);
  return context.newPage();
}

/** Opens `url`, waits for `heading` (a level-one or card heading) and the network to settle, then checks it. */
async function visit(page: Page, name: string, url: string, heading: string | RegExp) {
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { name: heading }).first().waitFor();
  await check(page, name);
}

async function check(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  reports.push(...(await checkScreen(page, name)));
}

/** With UPDATE_DOCS_SCREENSHOTS set, copies a screenshot of this run into docs/images/ (the README's). */
function toDocs(screen: string, image: string) {
  if (!process.env.UPDATE_DOCS_SCREENSHOTS) return;
  mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
  copyFileSync(join(SCREENSHOTS, `screens-${screen}.png`), join(ROOT, 'docs/images', image));
}

async function invitation(email: string) {
  const { status, body } = await stack.bapi('POST', `/v1/organizations/${organizationId}/invitations`, {
    email_address: email,
    role: 'org:member',
    notify: false,
  });
  expect(status).toBe(200);
  return body as { id: string; url: string };
}

describe.runIf(run)('every screen at 1280 and 390 px: no overflow, axe clean, screenshots', () => {
  beforeAll(async () => {
    // A second Roster, with the dev mailbox (no SMTP), for /dev/mailbox; the stack's mails go to SMTP.
    [stack, devRoster, browser] = await Promise.all([
      startStack(),
      startRosterProcess({ NODE_ENV: 'development', ROSTER_SECRET_KEY: SECRET_KEY }),
      launchChromium(),
    ]);
  });

  // Every screen of a test is checked before its problems fail it, so one run lists them all.
  let first = 0;
  beforeEach(() => {
    first = reports.length;
  });
  afterEach(() => {
    expect(problems(reports.slice(first))).toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await Promise.all([stack?.close(), devRoster?.kill()]);
    const shown = reports.map((r) => `${r.name}@${r.width}:${r.scrollWidth}`);
    console.log(`screens checked (${reports.length}): ${shown.join(' ')}`);
  });

  it('an admin: no organization yet, create one, the organization pages, the home page and /account', async () => {
    const email = address('admin');
    expect(
      (await stack.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD, first_name: 'Ada' })).status,
    ).toBe(200);
    const page = await person();
    admin = page;
    await page.goto(`${stack.appUrl}/sign-in`);
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);
    await page.getByRole('heading', { name: 'No organization yet' }).waitFor();
    await check(page, 'app-organization-none');

    await visit(page, 'app-organizations-new', `${stack.appUrl}/organizations/new`, /organization/i);
    await page.getByLabel('Organization name').fill('Acme Screens');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Invite new members' }).waitFor();
    await check(page, 'app-organizations-new-invite');
    await page.getByRole('button', { name: 'Skip' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);
    await page.getByTestId('server-org').filter({ hasText: 'org:admin' }).waitFor();
    organizationId = JSON.parse(
      await page.evaluate(async () => JSON.stringify(await (await fetch('/api/me')).json())),
    ).orgId;
    // A pending invitation, so the lists have a row; a custom role with a long name, so the role
    // selects (which list the stored roles) must fit a phone too.
    const pending = await invitation(address('pending'));
    const longRole = 'Billing, invoicing and accounts receivable (EMEA)';
    expect(
      (
        await stack.bapi('POST', '/v1/organization_roles', {
          name: longRole,
          key: `org:billing_${suffix}`,
          permissions: ['org:sys_memberships:read'],
        })
      ).status,
    ).toBe(200);
    await page.reload();
    await page.locator('[data-testid=pending-list] li').first().waitFor();
    await check(page, 'app-organization-admin');
    toDocs('app-organization-admin-390', 'phone-organization.png');

    await visit(page, 'app-organization-profile', `${stack.appUrl}/organization/profile`, 'Organization profile');
    await page.getByRole('tab', { name: /Invitations/ }).click();
    await page.getByText(address('pending')).waitFor();
    await page.locator('option', { hasText: longRole }).waitFor({ state: 'attached' });
    await check(page, 'app-organization-profile-invitations');
    await page.getByRole('tab', { name: /Members/ }).click();
    await page.getByRole('combobox', { name: /^Role of / }).waitFor();
    await page.locator('option', { hasText: longRole }).waitFor({ state: 'attached' });
    await check(page, 'app-organization-profile-members');
    await visit(page, 'app-organization-seed', `${stack.appUrl}/organization/seed`, 'Seed component');
    await visit(page, 'app-home-signed-in', `${stack.appUrl}/`, 'Roster in a Next.js app');
    await visit(page, 'hosted-account-signed-in', `${stack.rosterUrl}/account`, 'Ada');
    await visit(page, 'hosted-sign-up-signed-in', `${stack.rosterUrl}/sign-up`, 'You are signed in');
    // Someone else's invitation, opened while signed in: told so, offered to switch.
    await page.goto(pending.url, { waitUntil: 'networkidle' });
    await page.getByTestId('wrong-account').waitFor();
    await check(page, 'hosted-accept-invitation-wrong-account');
  });

  it('the components open: <UserProfile/>, <UserButton/>, the switcher, General with a logo', async () => {
    const page = admin;
    const logo = await sharp({
      create: { width: 320, height: 320, channels: 3, background: { r: 14, g: 116, b: 144 } },
    })
      .png()
      .toBuffer();
    const upload = new FormData();
    upload.append('file', new Blob([new Uint8Array(logo)], { type: 'image/png' }), 'logo.png');
    const res = await fetch(`${stack.rosterUrl}/v1/organizations/${organizationId}/logo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
      body: upload,
    });
    expect(res.status).toBe(200);

    await visit(page, 'app-organization-list', `${stack.appUrl}/organizations`, 'Choose an account');
    await visit(page, 'app-themes', `${stack.appUrl}/themes`, 'Themes');
    await visit(page, 'app-user-profile', `${stack.appUrl}/user`, 'Your account');
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('menu').waitFor();
    await check(page, 'app-user-button-open');
    await page.keyboard.press('Escape');

    await visit(
      page,
      'app-organization-profile-general',
      `${stack.appUrl}/organization/profile`,
      'Organization profile',
    );
    await page.getByRole('tab', { name: 'General' }).click();
    await page.getByRole('tabpanel').locator('img.roster-avatar').first().waitFor();
    await check(page, 'app-organization-profile-general-logo');
    // The switcher shows the uploaded logo, loaded.
    const switcher = page.getByRole('button', { name: /Acme Screens/ });
    await expect
      .poll(() =>
        switcher
          .locator('img')
          .first()
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await switcher.click();
    await page.getByRole('dialog').waitFor();
    await check(page, 'app-organization-switcher-open');
    await page.keyboard.press('Escape');

    // So does the invitation mail: its HTML, as a mail client shows it, loads the logo from Roster.
    const invitee = address('logo-mail');
    const mailed = await stack.bapi('POST', `/v1/organizations/${organizationId}/invitations`, {
      email_address: invitee,
      role: 'org:member',
    });
    expect(mailed.status).toBe(200);
    const html = String((await stack.smtp.waitFor(invitee)).html);
    const mail = await person();
    await mail.setContent(html, { waitUntil: 'networkidle' });
    const logoInMail = mail.getByRole('img', { name: 'Acme Screens' });
    expect(await logoInMail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await mail.screenshot({ path: join(SCREENSHOTS, 'screens-mail-invitation-logo.png'), fullPage: true });
  });

  it('a signed-out visitor: the example and hosted pages, with no 4xx response', async () => {
    const page = await person();
    const errors = recordErrors(page);
    const { url } = await invitation(address('newcomer'));
    const ticket = new URL(url).searchParams.get('ticket')!;
    await visit(page, 'app-home-signed-out', `${stack.appUrl}/`, 'Roster in a Next.js app');
    await visit(page, 'app-sign-in', `${stack.appUrl}/sign-in`, 'Sign in');
    await visit(page, 'app-sign-up', `${stack.appUrl}/sign-up`, /sign up|create/i);
    await visit(page, 'app-accept-invitation-no-ticket', `${stack.appUrl}/accept-invitation`, /not valid/);
    await visit(
      page,
      'app-accept-invitation-sign-up',
      `${stack.appUrl}/accept-invitation?ticket=${encodeURIComponent(ticket)}`,
      /Acme Screens/,
    );
    await visit(page, 'hosted-accept-invitation-sign-up', url, 'Join Acme Screens');
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await check(page, 'hosted-accept-invitation-code');
    await visit(page, 'hosted-account-signed-out', `${stack.rosterUrl}/account`, 'Sign in');
    await visit(page, 'hosted-sign-up', `${stack.rosterUrl}/sign-up`, 'Create your account');
    await visit(page, 'hosted-forgot-password', `${stack.rosterUrl}/account/forgot-password`, 'Reset your password');
    expect(errors).toEqual([]);
  });

  it('a member joins from the hosted page; their pages ask for nothing they may not see (no 4xx)', async () => {
    const email = address('member');
    await stack.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD, first_name: 'Nia' });
    memberLink = (await invitation(email)).url;
    const page = await person();
    const errors = recordErrors(page);
    await visit(page, 'hosted-accept-invitation-sign-in', memberLink, 'Join Acme Screens');
    toDocs('hosted-accept-invitation-sign-in-390', 'phone-accept-invitation.png');
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in and join' }).click();
    await page.waitForURL(`${stack.appUrl}/organization`);
    await page.getByTestId('server-org').filter({ hasText: 'org:member' }).waitFor();
    await page.locator('[data-testid=member-list] li').nth(1).waitFor();
    await check(page, 'app-organization-member');
    await visit(
      page,
      'app-organization-profile-member',
      `${stack.appUrl}/organization/profile`,
      'Organization profile',
    );
    await visit(page, 'app-organization-seed-member', `${stack.appUrl}/organization/seed`, 'Seed component');
    expect(errors).toEqual([]);
    // The used link, opened by whoever used it, says they joined (answered 410, as every used link).
    await visit(page, 'hosted-accept-invitation-joined', memberLink, /joined/i);
  });

  it('closed links: revoked, used, unknown', async () => {
    const revoked = await invitation(address('revoked'));
    await stack.bapi('POST', `/v1/organizations/${organizationId}/invitations/${revoked.id}/revoke`, {});
    const page = await person();
    await visit(page, 'hosted-accept-invitation-revoked', revoked.url, /revoked/i);
    await visit(page, 'hosted-accept-invitation-used', memberLink, /used|accepted/i);
    await visit(
      page,
      'hosted-accept-invitation-invalid',
      `${stack.rosterUrl}/accept-invitation?ticket=nope`,
      /not valid/i,
    );
  });

  it('/docs and the dev mailbox', async () => {
    const page = await person();
    await visit(page, 'hosted-docs', `${stack.rosterUrl}/docs`, 'Roster API');
    // Mail for the dev mailbox: an invitation sent by the second Roster.
    const bapi = (path: string, body: unknown) =>
      fetch(`${devRoster.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const owner = await bapi('/v1/users', { email_address: [address('owner')], password: PASSWORD });
    const org = await bapi('/v1/organizations', { name: 'Mailbox Org', created_by: owner.id });
    await bapi(`/v1/organizations/${org.id}/invitations`, {
      email_address: `a-rather-long-address-for-a-phone-${suffix}@subdomain.example.com`,
      role: 'org:member',
      inviter_user_id: owner.id,
    });
    await page.goto(`${devRoster.url}/dev/mailbox`);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('tbody tr').count();
      })
      .toBeGreaterThan(0);
    await check(page, 'hosted-dev-mailbox');
    await page.locator('tbody a').first().click();
    await page.getByRole('heading', { name: /invited you/ }).waitFor();
    await check(page, 'hosted-dev-mailbox-message');
  });

  it('the operator console: sign in, invitations, an invitation, users, a user, organizations, webhooks, the audit log', async () => {
    const bapi = (path: string, body: unknown) =>
      fetch(`${devRoster.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const owner = await bapi('/v1/users', {
      email_address: [address('console-owner')],
      password: PASSWORD,
      first_name: 'Grace',
      last_name: 'Operator',
    });
    const org = await bapi('/v1/organizations', { name: 'Console Org', created_by: owner.id });
    const inv = await bapi(`/v1/organizations/${org.id}/invitations`, {
      email_address: `a-rather-long-address-for-the-console-${suffix}@subdomain.example.com`,
      role: 'org:member',
      inviter_user_id: owner.id,
    });
    const page = await person();
    await visit(page, 'console-sign-in', `${devRoster.url}/console`, 'Roster console');
    await page.getByLabel('Secret key', { exact: true }).fill(SECRET_KEY);
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await page.getByRole('heading', { name: 'Invitations', level: 1 }).waitFor();
    await check(page, 'console-invitations');
    await visit(page, 'console-invitation', `${devRoster.url}/console/invitations/${inv.id}`, /Invitation to/);
    await visit(page, 'console-users', `${devRoster.url}/console/users`, 'Users');
    await visit(page, 'console-user', `${devRoster.url}/console/users/${owner.id}`, 'Grace Operator');
    // Grace is made instance admin, and signs in to the console with her own account (decision 051).
    await page.getByRole('button', { name: 'Make instance admin' }).click();
    await page.getByRole('status').filter({ hasText: 'Console access granted' }).waitFor();
    const grace = await person();
    await grace.goto(`${devRoster.url}/console`);
    await grace.getByLabel('Email address', { exact: true }).fill(address('console-owner'));
    await grace.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await grace.getByRole('button', { name: 'Sign in with your account' }).click();
    await grace.getByRole('heading', { name: 'Invitations', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Lock user' }).click();
    await page.getByRole('status').waitFor();
    await check(page, 'console-user-locked');
    await visit(page, 'console-organizations', `${devRoster.url}/console/organizations`, 'Organizations');
    await visit(page, 'console-organization', `${devRoster.url}/console/organizations/${org.id}`, 'Console Org');
    await visit(page, 'console-webhooks', `${devRoster.url}/console/webhooks`, 'Webhook endpoints');
    await visit(page, 'console-audit-log', `${devRoster.url}/console/audit-log`, 'Audit log');
    toDocs('console-audit-log', 'console-audit-log.png');
    toDocs('console-user-locked', 'console-user.png');
    toDocs('console-invitation', 'console-invitation.png');
  });
});
