import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type Actor, requirePermission } from '../memberships/policy.js';
import { getOrganization, recordOrganizationUpdated } from '../organizations/organizations.js';
import type { Organization, UserWithEmails } from '../records.js';
import type { Store, StoredImage } from '../store.js';
import { getUser, recordUserUpdated } from '../users/users.js';

/**
 * Organization logos and user images (Clerk's `logo` and `profile_image` endpoints). An upload is
 * never stored as sent: it is decoded, checked, resized and re-encoded by the ImageNormalizer (no
 * SVG, no metadata such as a photo's GPS position, no polyglot file), and kept in the database so
 * every instance serves it. Each upload gets a new id, so its URL can be cached for ever.
 */

/** Clerk's limit for logos and profile images. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** An image to serve, or `resource_not_found`; an id that cannot be an image's names nothing. */
export async function getImage(deps: Deps, id: string): Promise<StoredImage> {
  const image = /^img_[A-Za-z0-9]{1,64}$/.test(id) ? await deps.store.findImage(id) : null;
  if (!image) throw new AppError('resource_not_found', { meta: { param_name: 'image_id' } });
  return image;
}

/** An uploaded file as the HTTP layer received it. */
export interface UploadedImage {
  bytes: Uint8Array;
}

export interface NormalizedImage {
  data: Uint8Array;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/** Decodes and re-encodes an upload; throws `image_type_invalid` for anything but JPEG, PNG, GIF or WebP. */
export interface ImageNormalizer {
  normalize(bytes: Uint8Array): Promise<NormalizedImage>;
}

/** Where an image is served (GET /images/{id}, public, cached). */
export function imageUrl(deps: Pick<Deps, 'settings'>, id: string): string {
  return `${deps.settings.publicUrl}/images/${id}`;
}

async function normalized(deps: Deps, file: UploadedImage): Promise<NormalizedImage> {
  if (file.bytes.byteLength === 0) throw new AppError('image_type_invalid', { meta: { param_name: 'file' } });
  if (file.bytes.byteLength > MAX_IMAGE_BYTES) throw new AppError('image_too_large', { meta: { param_name: 'file' } });
  return deps.images.normalize(file.bytes);
}

async function storeImage(deps: Deps, tx: Store, ownerId: string, image: NormalizedImage): Promise<string> {
  const id = newId('img');
  await tx.replaceImage({ id, ownerId, ...image, createdAt: deps.now() });
  return imageUrl(deps, id);
}

/** Sets or replaces an organization's logo; users need `org:sys_profile:manage`. */
export async function setOrganizationLogo(
  deps: Deps,
  actor: Actor,
  idOrSlug: string,
  file: UploadedImage,
): Promise<Organization> {
  const org = await getOrganization(deps.store, idOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_profile:manage');
  const image = await normalized(deps, file); // outside the transaction: it takes CPU, not rows
  return deps.store.transaction(async (tx) => {
    await tx.updateOrganization(org.id, { imageUrl: await storeImage(deps, tx, org.id, image), updatedAt: deps.now() });
    return recordOrganizationUpdated(deps, tx, org.id);
  });
}

/** Removes an organization's logo (a no-op when it has none); users need `org:sys_profile:manage`. */
export async function deleteOrganizationLogo(deps: Deps, actor: Actor, idOrSlug: string): Promise<Organization> {
  const org = await getOrganization(deps.store, idOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_profile:manage');
  if (org.imageUrl === null) return org;
  return deps.store.transaction(async (tx) => {
    await tx.deleteImageOf(org.id);
    await tx.updateOrganization(org.id, { imageUrl: null, updatedAt: deps.now() });
    return recordOrganizationUpdated(deps, tx, org.id);
  });
}

/** Sets or replaces a user's profile image (the user themself, or the Backend API). */
export async function setUserImage(deps: Deps, userId: string, file: UploadedImage): Promise<UserWithEmails> {
  await getUser(deps.store, userId);
  const image = await normalized(deps, file);
  return deps.store.transaction(async (tx) => {
    await tx.updateUser(userId, { imageUrl: await storeImage(deps, tx, userId, image), updatedAt: deps.now() });
    return recordUserUpdated(deps, tx, userId);
  });
}

/** Removes a user's profile image (a no-op when there is none). */
export async function deleteUserImage(deps: Deps, userId: string): Promise<UserWithEmails> {
  const user = await getUser(deps.store, userId);
  if (user.imageUrl === null) return user;
  return deps.store.transaction(async (tx) => {
    await tx.deleteImageOf(userId);
    await tx.updateUser(userId, { imageUrl: null, updatedAt: deps.now() });
    return recordUserUpdated(deps, tx, userId);
  });
}
