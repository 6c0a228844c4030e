import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RosterAPIError } from '../src/index.js';
import { liveRosterForEachTest } from './support.js';

/** `organization.setLogo()` and `user.setProfileImage()` over HTTP to a live Roster (multipart uploads). */

const live = liveRosterForEachTest();
const png = () =>
  sharp({ create: { width: 640, height: 640, channels: 4, background: { r: 0, g: 120, b: 90, alpha: 1 } } })
    .png()
    .toBuffer();

describe('images from the client', () => {
  it('sets and removes an organization logo and the user image; the served image is resized', async () => {
    const { client, organization } = await live.admin();
    const same = await organization.setLogo({ file: new Blob([new Uint8Array(await png())], { type: 'image/png' }) });
    expect(same).toBe(organization);
    expect(organization.hasImage).toBe(true);
    const served = await fetch(organization.imageUrl.replace(/^https?:\/\/[^/]+/, live.baseUrl));
    expect(served.status).toBe(200);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(400);
    expect((await client.getOrganization(organization.id)).imageUrl).toBe(organization.imageUrl);
    await organization.setLogo({ file: null });
    expect(organization.hasImage).toBe(false);

    const { user } = await client.getMe();
    const withImage = await user.setProfileImage({ file: new Blob([new Uint8Array(await png())]) });
    expect(withImage.hasImage).toBe(true);
    expect((await client.getMe()).user.imageUrl).toBe(withImage.imageUrl);
    expect((await withImage.setProfileImage({ file: null })).hasImage).toBe(false);
  });

  it('throws image_type_invalid for a file that is not an image', async () => {
    const { organization } = await live.admin();
    const error = await organization.setLogo({ file: new Blob(['<svg/>'], { type: 'image/svg+xml' }) }).catch((e) => e);
    expect(error).toBeInstanceOf(RosterAPIError);
    expect(error.code).toBe('image_type_invalid');
    expect(organization.hasImage).toBe(false);
  });
});
