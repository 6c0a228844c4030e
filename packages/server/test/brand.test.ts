import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrandError, brandColors, contrast, loadBrand } from '../src/brand.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { json, PUBLIC_URL, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { linkIn } from './support/smtp.js';

/**
 * The instance's brand (decision 050): ROSTER_BRAND_NAME, _COLOR and _LOGO put a name and logo
 * above every hosted page and mail and colour their buttons and links, readable whatever the
 * colour; a bad value stops the start naming the variable. An organization's own logo shows in
 * its invitation mail.
 */

const dir = mkdtempSync(join(tmpdir(), 'roster-brand-'));
const logoFile = join(dir, 'logo.png');
const svgFile = join(dir, 'logo.svg');
const purple = '#7c3aed';

beforeAll(async () => {
  // 1200 × 300: fitted into 320 × 80.
  writeFileSync(
    logoFile,
    await sharp({ create: { width: 1200, height: 300, channels: 4, background: { r: 124, g: 58, b: 237, alpha: 1 } } })
      .png()
      .toBuffer(),
  );
  writeFileSync(
    svgFile,
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
  );
});

describe('brand colours', () => {
  it('picks readable text on the colour and a link colour that reads on white', () => {
    for (const color of ['#7c3aed', '#ffd700', '#00ff00', '#777', '#000000', '#ffffff', '#0969da']) {
      const c = brandColors(color);
      expect(Math.max(contrast(c.accent, c.accentText)), color).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.link, '#ffffff'), color).toBeGreaterThanOrEqual(4.5);
    }
    expect(brandColors('#ffd700').accentText).toBe('#000000');
    expect(brandColors('#7c3aed')).toEqual({ accent: '#7c3aed', accentText: '#ffffff', link: '#7c3aed' });
    expect(brandColors('#09d').accent).toBe('#0099dd');
  });

  it('refuses a bad colour, a long or multi-line name, and a logo that is not a PNG, JPEG, GIF or WebP', async () => {
    expect(() => loadConfig({ ROSTER_BRAND_COLOR: 'purple' })).toThrow(/ROSTER_BRAND_COLOR: must be a hex colour/);
    expect(() => loadConfig({ ROSTER_BRAND_COLOR: '#12345' })).toThrow(ConfigError);
    expect(() => loadConfig({ ROSTER_BRAND_NAME: 'x'.repeat(61) })).toThrow(/ROSTER_BRAND_NAME: must be at most 60/);
    expect(() => loadConfig({ ROSTER_BRAND_NAME: 'Acme\r\nBcc: x' })).toThrow(/ROSTER_BRAND_NAME: must be one line/);
    expect(loadConfig({ ROSTER_BRAND_NAME: ' Acme ', ROSTER_BRAND_COLOR: '#7C3AED' }).brand).toEqual({
      name: 'Acme',
      color: '#7C3AED',
      logoPath: null,
    });
    await expect(loadBrand({ name: null, color: null, logoPath: svgFile })).rejects.toThrow(
      /ROSTER_BRAND_LOGO: .*logo\.svg is a svg file; use a PNG, JPEG, GIF or WebP/,
    );
    await expect(loadBrand({ name: null, color: null, logoPath: join(dir, 'missing.png') })).rejects.toThrow(
      BrandError,
    );
    const brand = await loadBrand({ name: 'Acme', color: purple, logoPath: logoFile });
    expect(brand.logo).toMatchObject({ width: 320, height: 80 });
  });
});

describe('a branded instance', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startTestRoster({
      env: { ROSTER_BRAND_NAME: 'Acme <Cloud>', ROSTER_BRAND_COLOR: purple, ROSTER_BRAND_LOGO: logoFile },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves its logo with caching and a 304 on a match', async () => {
    const res = await t.roster.app.request('/brand/logo.png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const etag = res.headers.get('etag')!;
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(320);
    const again = await t.roster.app.request('/brand/logo.png', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('puts its name and logo above the hosted pages and its colour on their buttons', async () => {
    const html = await (await t.roster.app.request('/sign-up')).text();
    expect(html).toContain('<header class="brand">');
    expect(html).toMatch(/<img src="\/brand\/logo\.png\?v=[\w-]{8}" alt="" width="160" height="40"/);
    expect(html).toContain('<span>Acme &lt;Cloud&gt;</span>');
    expect(html).toContain(`style="--accent:${purple};--accent-text:#ffffff;--link:${purple}"`);
    // The colour rides on CSS variables: the stylesheet is still the one the CSP allows by hash.
    const csp = (await t.roster.app.request('/sign-up')).headers.get('content-security-policy')!;
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`);
  });

  it("brands every mail, and an organization's invitation shows its own logo", async () => {
    const { org } = await seedOrganization(t, { name: 'Initech' });
    const logo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#cc0000' } })
      .png()
      .toBuffer();
    const upload = new FormData();
    upload.append('file', new Blob([new Uint8Array(logo)], { type: 'image/png' }), 'logo.png');
    const withLogo = await json(
      await t.roster.app.request(`${PUBLIC_URL}/v1/organizations/${org.id}/logo`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.roster.secretKey}` },
        body: upload,
      }),
    );
    expect(withLogo.has_image).toBe(true);

    const email = `branded-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const created = await t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: email,
      role: 'org:member',
    });
    expect(created.status).toBe(200);
    const mail = await t.smtp.waitFor(email);
    const html = String(mail.html);
    expect(html).toMatch(
      new RegExp(`<img src="${PUBLIC_URL}/brand/logo\\.png\\?v=[\\w-]{8}" alt="Acme &lt;Cloud&gt;"`),
    );
    expect(html).toContain(`<img src="${withLogo.image_url}" alt="Initech" width="48" height="48"`);
    expect(html).toContain(`background-color:${purple};`);
    expect(html).toContain(`color:${purple};word-break:break-all;`);
    expect(html).not.toContain('<Cloud>');
    // The accept page shows the organization's logo too.
    const page = await (await t.roster.app.request(linkIn(mail))).text();
    expect(page).toContain(`<img class="org-logo" src="${withLogo.image_url}" alt="" width="48" height="48"/>`);
  });
});

describe('an instance without a brand', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startTestRoster();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has no logo to serve, no header, Roster blue, and mail in its own colours', async () => {
    const res = await t.roster.app.request('/brand/logo.png');
    expect(res.status).toBe(404);
    expect((await json(res)).errors[0].code).toBe('resource_not_found');
    const html = await (await t.roster.app.request('/sign-up')).text();
    expect(html).not.toContain('class="brand"');
    expect(html).not.toContain('--accent:');

    const { org } = await seedOrganization(t);
    const email = `plain-${Math.random().toString(36).slice(2, 8)}@example.com`;
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations`, { email_address: email, role: 'org:member' });
    const mail = String((await t.smtp.waitFor(email)).html);
    expect(mail).toContain('background-color:#18181b;');
    expect(mail).not.toContain('<img');
  });
});
