import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeIn } from '../packages/server/test/support/smtp.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { checkScreen, problems, recordErrors, type ScreenReport } from './support/screens.js';
import { type Stack, startStack } from './support/stack.js';

/**
 * Joining by a verified domain in Chromium (issue 14), against one Roster process (SQLite, mail
 * to a real SMTP server) and the built Next.js example: an admin adds acme.test in
 * `<OrganizationProfile/>`, proves it with the code mailed to an address on it, and sets
 * automatic suggestions; a new person signs up as someone@acme.test (by emailed code), sees the
 * suggestion in the switcher and asks to join with the keyboard; the admin sees the badges and
 * approves in the Requests tab; the person is a member. Each new screen at 1280, 390 and 360 px:
 * no overflow, axe clean, screenshots e2e/screenshots/screens-domains-*.png.
 */

const PASSWORD = 'correct horse battery staple';
const DOMAIN = 'acme.test';
const run = chromiumAvailable();

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const reports: ScreenReport[] = [];
let admin: Page;
let person: Page;
let organizationId: string;
let adminErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

async function check(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  reports.push(...(await checkScreen(page, `domains-${name}`)));
}

/** Presses `key` until the focused element's accessible label matches; fails after `max` presses. */
async function pressUntil(page: Page, key: string, label: RegExp, max = 30) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
    });
    if (label.test(now)) return;
  }
  throw new Error(`${key} never reached ${label}`);
}

const domainRow = (page: Page) => page.locator(`[data-testid=domain-list] li[data-domain="${DOMAIN}"]`);

describe.runIf(run)('verified domain → suggestion → request → approval, in the browser', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
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
    await stack?.close();
    console.log(`domain screens: ${reports.map((r) => `${r.name}@${r.width}:${r.scrollWidth}`).join(' ')}`);
  });

  it('1. the admin adds acme.test, verifies it by the mailed code and sets automatic suggestions', async () => {
    const email = `ada-${Math.random().toString(36).slice(2, 7)}@example.com`;
    expect(
      (await stack.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD, first_name: 'Ada' })).status,
    ).toBe(200);
    admin = await newPage();
    adminErrors = recordErrors(admin);
    await admin.goto(`${stack.appUrl}/sign-in`);
    await admin.getByLabel('Email address', { exact: true }).fill(email);
    await admin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.waitForURL(`${stack.appUrl}/organization`);
    await admin.goto(`${stack.appUrl}/organizations/new`);
    await admin.getByLabel('Organization name').fill('Acme');
    await admin.getByRole('button', { name: 'Create organization' }).click();
    await admin.getByRole('button', { name: 'Skip' }).click();
    await admin.waitForURL(`${stack.appUrl}/organization`);
    await admin.getByTestId('server-org').filter({ hasText: 'org:admin' }).waitFor();

    await admin.goto(`${stack.appUrl}/organization/profile`);
    await admin.getByRole('tab', { name: 'General' }).click();
    const section = admin.getByTestId('domains-section');
    await section.getByText('No domains yet.').waitFor();
    await check(admin, 'general-empty');

    await section.getByRole('button', { name: 'Add domain' }).click();
    await section.getByLabel('Domain', { exact: true }).fill(DOMAIN);
    await check(admin, 'add');
    await section.getByRole('button', { name: 'Add domain' }).click();

    const verify = section.getByTestId('verify-domain');
    const address = verify.getByLabel('Verification email address');
    await address.waitFor();
    expect(await address.evaluate((el) => el === document.activeElement)).toBe(true);
    await address.fill(`it@${DOMAIN}`);
    await verify.getByRole('button', { name: 'Send code' }).click();
    const codeField = verify.getByLabel('Verification code');
    await codeField.waitFor();
    await check(admin, 'verify-code');
    await codeField.fill(codeIn(await stack.smtp.waitFor(`it@${DOMAIN}`)));
    await verify.getByRole('button', { name: 'Verify' }).click();

    const enrollment = section.getByTestId('domain-enrollment');
    await enrollment.waitFor();
    await check(admin, 'enrollment');
    await enrollment.getByRole('radio', { name: /Automatic suggestions/ }).check();
    await enrollment.getByRole('button', { name: 'Save' }).click();
    await section.getByText(`${DOMAIN}: Automatic suggestions.`).waitFor();
    await admin.waitForFunction(
      (name) =>
        document.querySelector(`li[data-domain="${name}"]`)?.getAttribute('data-mode') === 'automatic_suggestion',
      DOMAIN,
    );
    expect(await domainRow(admin).getByTestId('domain-status').textContent()).toBe('Verified');
    await check(admin, 'general-verified');

    organizationId = JSON.parse(
      await admin.evaluate(async () => JSON.stringify(await (await fetch('/api/me')).json())),
    ).orgId;
    const stored = await stack.bapi('GET', `/v1/organizations/${organizationId}/domains`);
    expect(stored.body.data).toMatchObject([
      { name: DOMAIN, enrollment_mode: 'automatic_suggestion', verification: { status: 'verified' } },
    ]);
  });

  it('2. someone signs up as someone@acme.test, sees the suggestion in the switcher and asks to join with the keyboard', async () => {
    const email = `someone@${DOMAIN}`;
    person = await newPage();
    await person.goto(`${stack.appUrl}/sign-up`);
    await person.getByLabel('Email address', { exact: true }).fill(email);
    await person.getByLabel('First name').fill('Sam');
    await person.getByLabel('Last name').fill('Someone');
    await person.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await person.getByRole('button', { name: 'Continue' }).click();
    await person.getByRole('heading', { name: 'Check your email' }).waitFor();
    await person.getByLabel('Verification code').fill(codeIn(await stack.smtp.waitFor(email)));
    await person.getByRole('button', { name: 'Verify and create account' }).click();
    await person.waitForURL(`${stack.appUrl}/organizations/new`);

    // <OrganizationList/> shows it too.
    await person.goto(`${stack.appUrl}/organizations`);
    await person.getByTestId('list-suggestions').getByText('Acme').waitFor();
    await check(person, 'list-suggestion');

    // The switcher, by keyboard only: focus its button, open it with Enter, arrow to the suggestion.
    // The switcher's button (the list's own Personal account entry opens nothing).
    const trigger = person.getByRole('button', { name: /Personal account/, expanded: false });
    await trigger.focus();
    await person.keyboard.press('Enter');
    const panel = person.getByRole('dialog', { name: 'Organizations' });
    await panel.getByText('Suggested for you').waitFor();
    await check(person, 'switcher-suggestion');
    await pressUntil(person, 'ArrowDown', /^Request to join Acme$/);
    await person.keyboard.press('Enter');
    await panel.getByText('You asked to join Acme. An admin will approve or reject the request.').waitFor();
    const requested = panel.getByText('Requested', { exact: true });
    await requested.waitFor();
    expect(await requested.evaluate((el) => el === document.activeElement)).toBe(true);
    await check(person, 'switcher-requested');
    await person.keyboard.press('Escape');
    expect(await trigger.evaluate((el) => el === document.activeElement)).toBe(true);

    const memberships = await stack.bapi('GET', `/v1/organizations/${organizationId}/memberships?limit=10`);
    expect(memberships.body.data).toHaveLength(1);
  });

  it('3. the admin sees the request badges and approves in the Requests tab; someone is a member', async () => {
    await admin.reload();
    const trigger = admin.getByRole('button', { name: /Acme/ }).first();
    await admin.getByTestId('switcher-badge').waitFor();
    expect(await admin.getByTestId('switcher-badge').textContent()).toContain('1 request to join');
    expect(await trigger.getAttribute('aria-haspopup')).toBe('dialog');

    const tab = admin.getByRole('tab', { name: /Requests/ });
    await admin.getByTestId('requests-badge').waitFor();
    expect(await tab.textContent()).toContain('1 pending request');
    await tab.click();
    const list = admin.getByTestId('request-list');
    await list.locator(`li[data-email="someone@${DOMAIN}"]`).waitFor();
    await check(admin, 'requests');

    // Keyboard: from the tab, Tab reaches Approve; Enter approves.
    await tab.focus();
    await pressUntil(admin, 'Tab', /^Approve Sam Someone$/);
    await admin.keyboard.press('Enter');
    await admin.getByText('Sam Someone is now a member of Acme.').waitFor();
    await admin.getByText('No requests to join.').waitFor();
    expect(await admin.evaluate(() => document.activeElement?.tagName)).toBe('H3');
    await admin.getByTestId('requests-badge').waitFor({ state: 'detached' });
    await check(admin, 'requests-empty');

    const memberships = await stack.bapi('GET', `/v1/organizations/${organizationId}/memberships?limit=10`);
    expect(
      (memberships.body.data as { public_user_data: { identifier: string }; role: string }[])
        .map((m) => `${m.public_user_data.identifier} ${m.role}`)
        .filter((m) => m.startsWith('someone@')),
    ).toEqual([`someone@${DOMAIN} org:member`]);

    // The person's switcher now lists Acme to switch to.
    await person.reload();
    await person.getByRole('button', { name: /Personal account/, expanded: false }).click();
    await person
      .getByRole('dialog', { name: 'Organizations' })
      .getByRole('button', { name: 'Switch to Acme' })
      .waitFor();
    expect(adminErrors).toEqual([]);
  });

  it('4. automatic invitations: the admin switches the mode, a newcomer on the domain joins from the switcher', async () => {
    await admin.goto(`${stack.appUrl}/organization/profile`);
    await admin.getByRole('tab', { name: 'General' }).click();
    const section = admin.getByTestId('domains-section');
    await section.getByRole('button', { name: `Manage ${DOMAIN}` }).click();
    const enrollment = section.getByTestId('domain-enrollment');
    await enrollment.getByRole('radio', { name: /Automatic invitations/ }).check();
    await enrollment.getByRole('button', { name: 'Save' }).click();
    await section.getByText(`${DOMAIN}: Automatic invitations.`).waitFor();

    const email = `newcomer@${DOMAIN}`;
    const newcomer = await newPage();
    await newcomer.goto(`${stack.appUrl}/sign-up`);
    await newcomer.getByLabel('Email address', { exact: true }).fill(email);
    await newcomer.getByLabel('First name').fill('Nia');
    await newcomer.getByLabel('Last name').fill('Newcomer');
    await newcomer.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await newcomer.getByRole('button', { name: 'Continue' }).click();
    await newcomer.getByRole('heading', { name: 'Check your email' }).waitFor();
    await newcomer.getByLabel('Verification code').fill(codeIn(await stack.smtp.waitFor(email)));
    await newcomer.getByRole('button', { name: 'Verify and create account' }).click();
    await newcomer.waitForURL(`${stack.appUrl}/organizations/new`);
    // The automatic invitation is mailed too.
    expect((await stack.smtp.waitFor(email, { match: (m) => /Acme/.test(String(m.subject)) })).subject).toContain(
      'Acme',
    );

    await newcomer.getByRole('button', { name: /Personal account/, expanded: false }).click();
    const panel = newcomer.getByRole('dialog', { name: 'Organizations' });
    await panel.getByRole('button', { name: 'Join Acme' }).waitFor();
    await check(newcomer, 'switcher-automatic-invitation');
    await panel.getByRole('button', { name: 'Join Acme' }).click();
    await newcomer.getByRole('button', { name: /Acme/, expanded: false }).waitFor();

    const memberships = await stack.bapi('GET', `/v1/organizations/${organizationId}/memberships?limit=10`);
    expect(
      (memberships.body.data as { public_user_data: { identifier: string } }[]).map(
        (m) => m.public_user_data.identifier,
      ),
    ).toContain(email);
  });

  it('5. the admin resends an invitation and copies a link; the copied link asks the newcomer to prove the address', async () => {
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.appUrl });
    await admin.goto(`${stack.appUrl}/organization/profile`);
    await admin.getByRole('tab', { name: /Invitations/ }).click();
    const invitee = `by-link-${Math.random().toString(36).slice(2, 7)}@example.com`;
    await admin.getByLabel('Email addresses').fill(invitee);
    await admin.getByRole('button', { name: 'Send invitations' }).click();
    await admin.getByText(`Invited ${invitee}.`).waitFor();
    const first = await stack.smtp.waitFor(invitee);

    await admin.getByRole('button', { name: `Resend invitation to ${invitee}` }).click();
    await admin.getByText(`Sent a new invitation to ${invitee}. The earlier link no longer works.`).waitFor();
    const second = await stack.smtp.waitFor(invitee, { match: (m) => m.messageId !== first.messageId });
    expect(second.messageId).not.toBe(first.messageId);

    await admin.getByRole('button', { name: `Copy link for ${invitee}` }).click();
    await admin.getByText(/^Link copied\./).waitFor();
    await check(admin, 'invitation-link-copied');
    const link = await admin.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\/accept-invitation\?ticket=/);

    // A link the mailbox never saw proves nothing: signing up from it waits for a mailed code.
    const stranger = await newPage();
    await stranger.goto(link);
    await stranger.getByText('We will email a code to this address to confirm it is yours.').waitFor();
  });
});
