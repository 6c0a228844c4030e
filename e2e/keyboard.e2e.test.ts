import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/**
 * Inviting and revoking with the keyboard alone (issue 11), in the example's
 * `<OrganizationProfile/>`: Tab, Shift+Tab, Enter and Space, plus ArrowRight once to move along
 * the tab list (the WAI-ARIA tabs pattern keeps only the selected tab in the Tab order). After
 * each action the test asserts where focus is and that it shows (`:focus-visible` with a solid
 * 2 px outline): after inviting, on the address box; after a revoke, on the next Revoke button,
 * and on the list's heading when none is left. The mouse is never used.
 */

const PASSWORD = 'correct horse battery staple';
const run = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const address = (name: string) => `keys-${name}-${suffix}@example.com`;

let stack: Stack;
let browser: Browser;

/** What has focus: its role or tag, its accessible label, and whether it shows a visible ring. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { what: 'body', label: '', ring: false };
    const style = getComputedStyle(el);
    const label =
      el.getAttribute('aria-label') ??
      (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
      el.textContent ??
      '';
    return {
      what: el.getAttribute('role') ?? el.tagName.toLowerCase(),
      label: label.trim(),
      ring: el.matches(':focus-visible') && style.outlineStyle === 'solid' && style.outlineWidth === '2px',
    };
  });

/** Presses Tab (Shift+Tab with `back`) until `label` has focus; fails after `max` presses. */
async function tabTo(page: Page, label: string | RegExp, options: { back?: boolean; max?: number } = {}) {
  for (let i = 0; i < (options.max ?? 40); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (typeof label === 'string' ? now.label === label : label.test(now.label)) return now;
  }
  throw new Error(`Tab never reached ${label}; focus is on ${JSON.stringify(await focused(page))}`);
}

describe.runIf(run)('keyboard only: invite and revoke in <OrganizationProfile/>', () => {
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('signs in, invites two people, revokes both, with focus where expected and visible after each step', async () => {
    const email = address('admin');
    const user = await stack.bapi('POST', '/v1/users', {
      email_address: [email],
      password: PASSWORD,
      first_name: 'Kai',
    });
    expect(user.status).toBe(200);
    const org = await stack.bapi('POST', '/v1/organizations', { name: 'Keys Inc', created_by: user.body.id });
    expect(org.status).toBe(200);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    await page.goto(`${stack.appUrl}/sign-in`, { waitUntil: 'networkidle' });
    await tabTo(page, 'Email address');
    await page.keyboard.type(email);
    await tabTo(page, 'Password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack.appUrl}/organization`);

    await page.goto(`${stack.appUrl}/organization/profile`, { waitUntil: 'networkidle' });
    await page.getByRole('tab', { name: 'Members', selected: true }).waitFor();
    expect(await tabTo(page, 'Members')).toMatchObject({ what: 'tab', ring: true });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ what: 'tab', label: 'Invitations', ring: true });
    await page.getByRole('tab', { name: 'Invitations', selected: true }).waitFor();

    const [first, second] = [address('ana'), address('ben')];
    expect(await tabTo(page, 'Email addresses')).toMatchObject({ what: 'textarea', ring: true });
    await page.keyboard.type(`${first}, ${second}`);
    await tabTo(page, 'Send invitations');
    await page.keyboard.press('Enter');
    await page.getByText('Invited 2 people.').waitFor();
    // Back on the (now empty) address box, ready for more.
    await expect.poll(() => focused(page)).toMatchObject({ what: 'textarea', label: 'Email addresses', ring: true });
    expect(await page.getByLabel('Email addresses').inputValue()).toBe('');
    await page.getByRole('button', { name: `Revoke invitation for ${second}` }).waitFor();
    await screenshot(page, 'keyboard-invited');

    // Space on the first Revoke in the list; focus moves to the one that takes its place.
    const top = await tabTo(page, /^Revoke invitation for /);
    expect(top.ring).toBe(true);
    const [gone, left] = top.label.endsWith(first) ? [first, second] : [second, first];
    await page.keyboard.press(' ');
    await page.getByText(`Revoked the invitation for ${gone}.`).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ label: `Revoke invitation for ${left}`, ring: true });
    await screenshot(page, 'keyboard-revoked-one');

    // Enter on the last one: nothing is left to focus but the list's heading.
    await page.keyboard.press('Enter');
    await page.getByText(`Revoked the invitation for ${left}.`).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ what: 'h3', ring: true });
    expect((await focused(page)).label).toMatch(/^Pending invitations/);
    await screenshot(page, 'keyboard-revoked-all');

    const { body } = await stack.bapi('GET', `/v1/organizations/${org.body.id}/invitations?status=revoked`);
    expect((body.data as { email_address: string }[]).map((i) => i.email_address).sort()).toEqual(
      [first, second].sort(),
    );
    await context.close();
  });
});
