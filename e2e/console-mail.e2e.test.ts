import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, type RosterProcess, startRosterProcess } from '../packages/server/test/support/processes.js';
import { startSmtp, type TestSmtp } from '../packages/server/test/support/smtp.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './support/browser.js';
import { ROOT } from './support/example-build.js';
import { checkScreen, problems, type ScreenReport } from './support/screens.js';

/**
 * The operator's journey (issue 12), in Chromium against a Roster process: Roster starts with an
 * SMTP server that refuses connections; the operator finds the invitation by its address, sees its
 * mail retrying with the server's error, enters the working SMTP server in the console, sends a
 * test email, retries the invitation's mail, sees it sent, and finds both the failure and the
 * delivery in the audit log. Each console screen is checked at 1280, 390 and 360 px (overflow,
 * axe-core) with a screenshot.
 */

const SECRET_KEY = 'sk_test_console_mail_0123456789abcdef';
const run = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const invitee = `stuck-${suffix}@example.com`;

let roster: RosterProcess;
let smtp: TestSmtp;
let browser: Browser;
const reports: ScreenReport[] = [];

async function bapi(path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${roster.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string };
}

/** Reloads `page` until `text` shows (the dispatcher works in the background). */
async function reloadUntil(page: Page, text: string | RegExp) {
  await vi.waitFor(
    async () => {
      await page.reload();
      expect(await page.locator('main').textContent()).toMatch(text);
    },
    { timeout: 20_000, interval: 250 },
  );
}

function toDocs(screen: string, image: string) {
  if (!process.env.UPDATE_DOCS_SCREENSHOTS) return;
  mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
  copyFileSync(join(SCREENSHOTS, `screens-${screen}.png`), join(ROOT, 'docs/images', image));
}

describe.runIf(run)('the operator fixes a failing SMTP server from the console', () => {
  beforeAll(async () => {
    const dead = await freePort();
    [smtp, browser] = await Promise.all([startSmtp(), launchChromium()]);
    roster = await startRosterProcess({
      NODE_ENV: 'development',
      ROSTER_SECRET_KEY: SECRET_KEY,
      SMTP_URL: `smtp://127.0.0.1:${dead}`,
      // The dispatcher runs when mail is queued or retried, not on a timer: the failed mail waits
      // for the operator (its scheduled retry would otherwise beat them to it).
      ROSTER_OUTBOX_POLL_MS: '600000',
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([roster?.kill(), smtp?.close()]);
  });

  it('finds the invitation, sees its mail failing, fixes the server, retries, sees it sent and both in the audit log', async () => {
    const owner = await bapi('/v1/users', { email_address: [`owner-${suffix}@example.com`], first_name: 'Grace' });
    const org = await bapi('/v1/organizations', { name: 'Mail Trouble', created_by: owner.id });
    await bapi(`/v1/organizations/${org.id}/invitations`, {
      email_address: invitee,
      role: 'org:member',
      inviter_user_id: owner.id,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();

    await page.goto(`${roster.url}/console`);
    await page.getByLabel('Secret key', { exact: true }).fill(SECRET_KEY);
    await page.getByLabel('Secret key', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Invitations', level: 1 }).waitFor();

    // Found by address; its mail is retrying with the server's error.
    await page.getByLabel('Email address').fill(invitee);
    await page.getByLabel('Email address').press('Enter');
    await page.waitForURL(/email=/);
    await reloadUntil(page, /retrying \(\d+ tries\)/);
    await page.getByRole('link', { name: invitee }).click();
    await page.getByRole('heading', { name: `Invitation to ${invitee}` }).waitFor();
    expect(await page.locator('main').textContent()).toContain('ECONNREFUSED');
    reports.push(...(await checkScreen(page, 'console-invitation-retrying')));
    const invitationUrl = page.url();

    // The server fixed in the console: no restart.
    await page.getByRole('link', { name: 'Email', exact: true }).click();
    await page.getByRole('heading', { name: 'Email', level: 1 }).waitFor();
    expect(await page.locator('main').textContent()).toContain('SMTP_URL from the environment');
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('From', { exact: true }).fill(`Mail Trouble <ops-${suffix}@example.com>`);
    await page.getByRole('button', { name: 'Save SMTP server' }).click();
    await page.getByRole('status').filter({ hasText: 'SMTP server saved' }).waitFor();
    expect(await page.locator('main').textContent()).toContain(`127.0.0.1:${smtp.port}`);
    reports.push(...(await checkScreen(page, 'console-email')));
    toDocs('console-email-1280', 'console-email.png');

    await page.getByLabel('Send a test email to').fill(`ops-${suffix}@example.com`);
    await page.getByRole('button', { name: 'Send test email' }).click();
    await page.getByRole('status').filter({ hasText: 'Test email sent' }).waitFor();
    expect((await smtp.waitFor(`ops-${suffix}@example.com`)).subject).toBe('Roster test email');

    // Back to the invitation: retry its mail, and it is sent.
    await page.goto(invitationUrl);
    await page.getByRole('button', { name: 'Retry the mail now' }).click();
    await page.getByRole('status').filter({ hasText: 'Mail queued again' }).waitFor();
    const mail = await smtp.waitFor(invitee).catch((e) => {
      throw new Error(`${String(e)}\n--- roster ---\n${roster.output()}`);
    });
    expect(mail.from?.value[0]?.address).toBe(`ops-${suffix}@example.com`);
    await reloadUntil(page, /Delivery\s*sent/);
    reports.push(...(await checkScreen(page, 'console-invitation-sent')));

    // Both in the audit log, under the organization.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Organization id').fill(org.id);
    await page.getByLabel('Organization id').press('Enter');
    await page.waitForURL(/organization=/);
    const log = await page.locator('main').textContent();
    expect(log).toContain(`mail to ${invitee} (delivered)`);
    expect(log).toMatch(new RegExp(`mail to ${invitee.replace('.', '\\.')} \\(retrying: [^)]*ECONNREFUSED`));
    reports.push(...(await checkScreen(page, 'console-audit-log-mail')));
    await context.close();
    expect(problems(reports)).toEqual([]);
  }, 120_000);
});
