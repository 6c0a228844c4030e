import { type ClerkClient, createClerkClient } from '@clerk/backend';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, signedInUser } from './support/flows.js';
import { json, PUBLIC_URL, SECRET_KEY, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * Organization logos and user images: uploaded through Clerk's paths (Backend API through
 * `@clerk/backend`, Frontend API from a signed-in browser), normalized (resized, re-encoded,
 * metadata dropped), served from `/images/{id}` with year-long caching, replaced and deleted
 * cleanly, and refused clearly when they are not images or too large.
 */

let t: TestRoster;
let clerk: ClerkClient;
beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1', ROSTER_RATE_LIMITS: 'false' } });
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: await t.roster.listen() });
});
afterAll(async () => {
  await t?.close();
});

const db = () => t.roster.database.db;
const imageRows = async () => (await db().selectFrom('images').select(['id', 'owner_id']).execute()).length;

/** An 800 × 600 PNG with transparency. */
const transparentPng = () =>
  sharp({ create: { width: 800, height: 600, channels: 4, background: { r: 20, g: 90, b: 200, alpha: 0.5 } } })
    .png()
    .toBuffer();
/** A 1200 × 1200 JPEG carrying EXIF text that must not survive. */
const photoWithExif = () =>
  sharp({ create: { width: 1200, height: 1200, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'exif-marker-home-address', Artist: 'exif-marker-home-address' } })
    .toBuffer();

const blob = (bytes: Uint8Array, type = 'application/octet-stream') => new Blob([new Uint8Array(bytes)], { type });
function form(bytes: Uint8Array, type?: string) {
  const f = new FormData();
  f.append('file', blob(bytes, type), 'upload');
  return f;
}

/** Fetches an image URL from the in-process app (the public URL is not listened on). */
const fetchImage = (url: string, headers: Record<string, string> = {}) => t.roster.app.request(url, { headers });

describe('organization logos through @clerk/backend', () => {
  it('uploads, serves resized with year-long caching, replaces and deletes', async () => {
    const { org, browser: admin } = await seedOrganization(t, { name: 'Logo Co' });
    const updated = await clerk.organizations.updateOrganizationLogo(org.id, { file: blob(await transparentPng()) });
    expect(updated.hasImage).toBe(true);
    expect(updated.imageUrl).toMatch(new RegExp(`^${PUBLIC_URL}/images/img_[A-Za-z0-9]+$`));

    const res = await fetchImage(updated.imageUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png'); // transparency kept
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const served = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([served.width, served.height]).toEqual([400, 300]); // fits 400 × 400, aspect kept
    const etag = res.headers.get('etag')!;
    expect((await fetchImage(updated.imageUrl, { 'if-none-match': etag })).status).toBe(304);

    // The organization carries it everywhere: the Backend API, the admin's own memberships.
    expect((await clerk.organizations.getOrganization({ organizationId: org.id })).imageUrl).toBe(updated.imageUrl);
    const me = await json(await admin.get('/fapi/v1/me'));
    expect(me.organization_memberships[0].organization.image_url).toBe(updated.imageUrl);

    const replaced = await clerk.organizations.updateOrganizationLogo(org.id, { file: blob(await photoWithExif()) });
    expect(replaced.imageUrl).not.toBe(updated.imageUrl);
    expect((await fetchImage(updated.imageUrl)).status).toBe(404); // the old one is gone
    const photo = await fetchImage(replaced.imageUrl);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await photo.arrayBuffer());
    expect(bytes.includes('exif-marker-home-address')).toBe(false);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();

    const deleted = await clerk.organizations.deleteOrganizationLogo(org.id);
    expect(deleted.hasImage).toBe(false);
    expect(deleted.imageUrl).toBe('');
    expect((await fetchImage(replaced.imageUrl)).status).toBe(404);
    // Each change is an organization.updated event.
    const events = await db()
      .selectFrom('events')
      .select('type')
      .where('organization_id', '=', org.id)
      .where('type', '=', 'organization.updated')
      .execute();
    expect(events).toHaveLength(3);
  });

  it('refuses what is not a JPEG, PNG, GIF or WebP, and files over 10 MB, writing nothing', async () => {
    const { org } = await seedOrganization(t, { name: 'Refusals' });
    const before = await imageRows();
    const put = (body: FormData | string, headers: Record<string, string> = {}) =>
      t.roster.app.request(`${PUBLIC_URL}/v1/organizations/${org.id}/logo`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${SECRET_KEY}`, ...headers },
        body,
      });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await errorOf(await put(form(svg, 'image/svg+xml')))).toMatchObject({
      status: 422,
      code: 'image_type_invalid',
    });
    expect(await errorOf(await put(form(Buffer.from('just text'), 'image/png')))).toMatchObject({
      status: 422,
      code: 'image_type_invalid',
    });
    const truncated = (await transparentPng()).subarray(0, 200);
    expect(await errorOf(await put(form(truncated)))).toMatchObject({ status: 422, code: 'image_type_invalid' });
    const noFile = new FormData();
    noFile.append('uploader_user_id', 'user_x');
    expect(await errorOf(await put(noFile))).toMatchObject({
      status: 422,
      code: 'form_param_missing',
      meta: { param_name: 'file' },
    });
    expect(
      await errorOf(await put(JSON.stringify({ file: 'x' }), { 'content-type': 'application/json' })),
    ).toMatchObject({ status: 422, code: 'form_param_missing' });
    const justOver = Buffer.alloc(10 * 1024 * 1024 + 1024, 1);
    expect(await errorOf(await put(form(justOver)))).toMatchObject({ status: 413, code: 'image_too_large' });
    const farOver = Buffer.alloc(11 * 1024 * 1024, 1);
    expect(await errorOf(await put(form(farOver)))).toMatchObject({ status: 413, code: 'request_body_too_large' });
    const unknown = await t.roster.app.request(`${PUBLIC_URL}/v1/organizations/org_nope/logo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
      body: form(await transparentPng()),
    });
    expect(unknown.status).toBe(404);
    expect(await imageRows()).toBe(before);
    expect((await clerk.organizations.getOrganization({ organizationId: org.id })).hasImage).toBe(false);
  });

  it('needs the secret key to upload', async () => {
    const { org } = await seedOrganization(t, { name: 'Keyless' });
    const res = await t.roster.app.request(`${PUBLIC_URL}/v1/organizations/${org.id}/logo`, {
      method: 'PUT',
      body: form(await transparentPng()),
    });
    expect(res.status).toBe(401);
  });

  it('deletes the logo with the organization', async () => {
    const { org } = await seedOrganization(t, { name: 'Short Lived' });
    const { imageUrl } = await clerk.organizations.updateOrganizationLogo(org.id, {
      file: blob(await transparentPng()),
    });
    await clerk.organizations.deleteOrganization(org.id);
    expect((await fetchImage(imageUrl)).status).toBe(404);
    expect(await db().selectFrom('images').select('id').where('owner_id', '=', org.id).execute()).toHaveLength(0);
  });
});

describe('user images', () => {
  it('sets, shows in memberships and deletes a profile image through @clerk/backend', async () => {
    const { org, user } = await seedOrganization(t, { name: 'Faces' });
    const updated = await clerk.users.updateUserProfileImage(user.id, { file: blob(await photoWithExif()) });
    expect(updated.hasImage).toBe(true);
    const served = await fetchImage(updated.imageUrl);
    expect(served.status).toBe(200);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(400);
    const members = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    expect(members.data[0]?.publicUserData?.imageUrl).toBe(updated.imageUrl);
    expect(members.data[0]?.publicUserData?.hasImage).toBe(true);
    const cleared = await clerk.users.deleteUserProfileImage(user.id);
    expect(cleared.hasImage).toBe(false);
    expect((await fetchImage(updated.imageUrl)).status).toBe(404);
  });

  it('lets a signed-in user set and remove their own image; deleting the user deletes it', async () => {
    const { user, browser } = await signedInUser(t, `self-${Date.now()}@example.com`);
    const set = await browser.fetch('POST', '/fapi/v1/me/profile_image', { multipart: form(await transparentPng()) });
    expect(set.status).toBe(200);
    const me = await json(set);
    expect(me.has_image).toBe(true);
    expect((await json(await browser.get('/fapi/v1/me'))).user.image_url).toBe(me.image_url);
    const removed = await json(await browser.delete('/fapi/v1/me/profile_image'));
    expect(removed.has_image).toBe(false);

    const again = await json(
      await browser.fetch('POST', '/fapi/v1/me/profile_image', { multipart: form(await transparentPng()) }),
    );
    await clerk.users.deleteUser(user.id);
    expect((await fetchImage(again.image_url)).status).toBe(404);
  });
});

describe('organization logos from the browser', () => {
  it('lets an admin set and remove the logo; a member may not; another origin may not', async () => {
    const { org, browser: admin } = await seedOrganization(t, { name: 'Browser Logo' });
    const set = await admin.fetch('POST', `/fapi/v1/organizations/${org.id}/logo`, {
      multipart: form(await transparentPng()),
    });
    expect(set.status).toBe(200);
    const body = await json(set);
    expect(body.has_image).toBe(true);

    const { user: member, browser: memberBrowser } = await signedInUser(t, `logo-member-${Date.now()}@example.com`);
    await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' });
    const refused = await memberBrowser.fetch('POST', `/fapi/v1/organizations/${org.id}/logo`, {
      multipart: form(await transparentPng()),
    });
    expect(refused.status).toBe(403);
    expect((await memberBrowser.delete(`/fapi/v1/organizations/${org.id}/logo`)).status).toBe(403);

    const crossSite = await admin.fetch('POST', `/fapi/v1/organizations/${org.id}/logo`, {
      multipart: form(await photoWithExif()),
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await clerk.organizations.getOrganization({ organizationId: org.id })).imageUrl).toBe(body.image_url);

    const removed = await json(await admin.delete(`/fapi/v1/organizations/${org.id}/logo`));
    expect(removed.has_image).toBe(false);
  });
});
