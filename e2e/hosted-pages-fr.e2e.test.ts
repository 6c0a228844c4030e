import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RosterProcess, startRosterProcess } from '../packages/server/test/support/processes.js';
import { linkIn, startSmtp, type TestSmtp } from '../packages/server/test/support/smtp.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { checkScreen, problems, recordErrors, type ScreenReport } from './support/screens.js';

/**
 * The hosted pages in French (issue 11, decision 044): a Chromium whose locale is fr-FR opens an
 * invitation link as a new person, signs up on the French accept page and lands on the French
 * account page; each screen at 1280, 390 and 360 px, axe clean, screenshots `screens-fr-*.png`.
 * The instance is branded (decision 050): its name and logo above each page and the mail, its
 * colour on the buttons. One Roster process and one browser for the file (no example app).
 */

const SECRET_KEY = 'sk_test_roster_e2e_fr_0123456789abcdefgh';
const PASSWORD = 'correct horse battery staple';
const run = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);

let smtp: TestSmtp;
let roster: RosterProcess;
let browser: Browser;
let context: BrowserContext;
const reports: ScreenReport[] = [];

async function bapi(method: string, path: string, body?: unknown) {
  const res = await fetch(`${roster.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function check(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  expect(await page.getAttribute('html', 'lang'), name).toBe('fr');
  reports.push(...(await checkScreen(page, name)));
}

describe.runIf(run)('hosted pages in French (Chromium, locale fr-FR)', () => {
  beforeAll(async () => {
    const port = await freePort();
    smtp = await startSmtp();
    const logo = join(mkdtempSync(join(tmpdir(), 'roster-e2e-brand-')), 'logo.png');
    writeFileSync(
      logo,
      await sharp({ create: { width: 240, height: 80, channels: 4, background: '#0f766e' } })
        .png()
        .toBuffer(),
    );
    [roster, browser] = await Promise.all([
      startRosterProcess({
        PORT: String(port),
        NODE_ENV: 'test',
        ROSTER_SECRET_KEY: SECRET_KEY,
        ROSTER_PUBLIC_URL: `http://127.0.0.1:${port}`,
        SMTP_URL: smtp.url,
        ROSTER_BRAND_NAME: 'Écureuil Cloud',
        ROSTER_BRAND_COLOR: '#0f766e',
        ROSTER_BRAND_LOGO: logo,
      }),
      launchChromium(),
    ]);
    // bypassCSP: axe is injected as an inline script, which the pages' policy forbids.
    context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, bypassCSP: true });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await Promise.all([roster?.kill(), smtp?.close()]);
    console.log(`French screens checked (${reports.length}): ${reports.map((r) => `${r.name}@${r.width}`).join(' ')}`);
  });

  it('a new person opens the invitation, signs up in French and lands on the French account page', async () => {
    const admin = await bapi('POST', '/v1/users', {
      email_address: [`admin-${suffix}@example.com`],
      password: PASSWORD,
      first_name: 'Ada',
      last_name: 'Lovelace',
    });
    expect(admin.status).toBe(200);
    const org = await bapi('POST', '/v1/organizations', {
      name: 'Coopérative Écureuil',
      created_by: admin.body.id,
    });
    expect(org.status).toBe(200);
    const email = `camille-${suffix}@example.com`;
    const invited = await bapi('POST', `/v1/organizations/${org.body.id}/invitations`, {
      email_address: email,
      role: 'org:member',
      inviter_user_id: admin.body.id,
    });
    expect(invited.status).toBe(200);
    const mail = await smtp.waitFor(email);
    expect(String(mail.html)).toContain(`${roster.url}/brand/logo.png?v=`);
    const link = linkIn(mail);

    const page = await context.newPage();
    const errors = recordErrors(page);
    await page.goto(link, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Rejoindre Coopérative Écureuil' }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('Ada Lovelace a invité');
    // The brand above the card: its logo loaded, its name; the button in its colour.
    const brand = page.locator('header.brand');
    expect(await brand.textContent()).toBe('Écureuil Cloud');
    expect(await brand.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    expect(
      await page
        .getByRole('button', { name: 'Créer le compte et rejoindre' })
        .evaluate((b) => getComputedStyle(b).backgroundColor),
    ).toBe('rgb(15, 118, 110)');
    await check(page, 'fr-accept-invitation-sign-up');

    await page.getByLabel('Prénom').fill('Camille');
    await page.getByLabel('Nom', { exact: true }).fill('Dupont');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Créer le compte et rejoindre' }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole('heading', { name: 'Camille Dupont', level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('Vos organisations');
    await expect.poll(() => page.locator('[data-testid=memberships]').textContent()).toContain('Membre');
    await check(page, 'fr-account');

    // The same link again, by the person who used it.
    await page.goto(link, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Vous avez déjà rejoint Coopérative Écureuil' }).waitFor();
    await check(page, 'fr-accept-invitation-joined');

    // Signed out: a refused sign-in says why in French, and the sign-up page.
    await page.goto(`${roster.url}/account`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Se connecter', level: 1 }).waitFor();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill('not the password at all');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: 'L’adresse e-mail ou le mot de passe est incorrect.' }).waitFor();
    await expect.poll(() => page.getByLabel('Adresse e-mail').inputValue()).toBe(email);
    await check(page, 'fr-account-sign-in-refused');
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByRole('heading', { name: 'Créez votre compte', level: 1 }).waitFor();
    await check(page, 'fr-sign-up');
    // Only the used link's own 410 and the refused sign-in's 422.
    expect(
      errors.filter((e) => !e.startsWith('410 GET /accept-invitation') && e !== '422 POST /account/sign-in'),
    ).toEqual([]);
    expect(problems(reports)).toEqual([]);
  });
});
