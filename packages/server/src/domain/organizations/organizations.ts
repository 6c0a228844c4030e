import type { Metadata } from '@roster/protocol';
import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordEvents } from '../events/events.js';
import { insertMembership } from '../memberships/memberships.js';
import { type Actor, requirePermission } from '../memberships/policy.js';
import { mergeMetadata } from '../metadata.js';
import type { Organization, Page } from '../records.js';
import { type OrganizationSettings, organizationSettings } from '../roles/instance-settings.js';
import { type Store, UniqueViolation } from '../store.js';

/** An organization by id or slug, or null (one deleted since it was listed, say). */
export function findOrganization(deps: Deps, idOrSlug: string): Promise<Organization | null> {
  return deps.store.findOrganization(idOrSlug);
}

/** Finds an organization by id or slug, or throws `organization_not_found`. */
export async function getOrganization(store: Store, idOrSlug: string): Promise<Organization> {
  const org = await store.findOrganization(idOrSlug);
  if (!org) throw new AppError('organization_not_found', { meta: { id_or_slug: idOrSlug.slice(0, 128) } });
  return org;
}

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base || 'org';
}

export interface CreateOrganizationInput {
  name: string;
  slug?: string | null;
  createdBy?: string | null;
  /**
   * Holds the creator to `maxOrganizationsPerUser` (the Frontend API, where users create for
   * themselves; the Backend API, the app's trusted server, is not capped).
   */
  capped?: boolean;
  maxAllowedMemberships?: number | null;
  publicMetadata?: Metadata | null;
  privateMetadata?: Metadata | null;
  /** The organization's role set; absent: the instance's initial one. */
  roleSetKey?: string | null;
}

/**
 * The creation cap (Clerk's, 100 by default): a user may have created at most
 * `maxOrganizationsPerUser` of the organizations they belong to. Counted from the database under the
 * user's row lock, so concurrent creates by one user cannot pass it together.
 */
async function requireCreationAllowance(settings: OrganizationSettings, tx: Store, userId: string): Promise<void> {
  if (!settings.enabled) throw new AppError('organization_creation_disabled');
  const max = settings.maxOrganizationsPerUser;
  if (max <= 0) return;
  await tx.lockUser(userId);
  if ((await tx.countOrganizationsCreatedBy(userId)) >= max) {
    throw new AppError('organization_quota_exceeded', { meta: { max_allowed_organizations: max } });
  }
}

/**
 * Creates an organization; `createdBy` (when given) becomes its first member, with the creator
 * role of the organization's role set (the instance's initial set unless `roleSetKey` names one). Without a slug one is derived from the name, made unique with a short suffix. Seat
 * limit and admin deletion default to the instance's organization settings (decision 040).
 */
export async function createOrganization(deps: Deps, input: CreateOrganizationInput): Promise<Organization> {
  const now = deps.now();
  const settings = await organizationSettings(deps);
  return deps.store.transaction(async (tx) => {
    if (input.createdBy && !(await tx.findUser(input.createdBy))) {
      throw new AppError('user_not_found', { meta: { param_name: 'created_by' } });
    }
    if (input.createdBy && input.capped) await requireCreationAllowance(settings, tx, input.createdBy);
    // Read in the transaction, not from the settings' cache: a set replaced a moment ago on
    // another instance is gone, and its key would not be accepted.
    const roleSet = input.roleSetKey
      ? await tx.roleSets.findRoleSet(input.roleSetKey)
      : await tx.roleSets.findInitialRoleSet();
    if (input.roleSetKey && !roleSet) {
      throw new AppError('form_param_value_invalid', {
        meta: { param_name: 'role_set_key', reason: `unknown role set '${input.roleSetKey.slice(0, 64)}'` },
      });
    }
    const creatorRole = roleSet?.roles.find((r) => r.id === roleSet.creatorRoleId)?.key ?? 'org:admin';
    const explicitSlug = input.slug ?? null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const slug =
        explicitSlug ??
        (attempt === 0 ? slugify(input.name) : `${slugify(input.name)}-${newId('org').slice(-6).toLowerCase()}`);
      const org: Organization = {
        id: newId('org'),
        name: input.name,
        slug,
        maxAllowedMemberships: input.maxAllowedMemberships ?? settings.maxAllowedMemberships,
        adminDeleteEnabled: settings.adminDeleteEnabled,
        imageUrl: null,
        roleSetKey: roleSet?.key ?? null,
        createdBy: input.createdBy ?? null,
        publicMetadata: input.publicMetadata ?? {},
        privateMetadata: input.privateMetadata ?? {},
        createdAt: now,
        updatedAt: now,
      };
      if (await tx.findOrganization(slug)) {
        if (explicitSlug) throw new AppError('organization_slug_taken', { meta: { param_name: 'slug' } });
        continue;
      }
      try {
        await tx.createOrganization(org);
      } catch (error) {
        if (error instanceof UniqueViolation)
          throw new AppError('organization_slug_taken', { meta: { param_name: 'slug' } });
        throw error;
      }
      await recordEvents(deps.events, tx, [organizationEvent('organization.created', org)]);
      if (input.createdBy) {
        await insertMembership(deps.events, tx, {
          id: newId('orgmem'),
          organizationId: org.id,
          userId: input.createdBy,
          role: creatorRole,
          publicMetadata: {},
          privateMetadata: {},
          createdAt: now,
          updatedAt: now,
        });
      }
      return org;
    }
    throw new AppError('organization_slug_taken', { meta: { param_name: 'slug' } });
  });
}

function organizationEvent(type: 'organization.created' | 'organization.updated', organization: Organization) {
  return { type, organizationId: organization.id, subject: { kind: 'organization' as const, organization } };
}

/** Applies a patch to an organization and records `organization.updated`, in one transaction. */
async function patchOrganization(
  deps: Deps,
  id: string,
  patch: Parameters<Store['updateOrganization']>[1],
): Promise<Organization> {
  return deps.store.transaction(async (tx) => {
    await tx.updateOrganization(id, patch);
    return recordOrganizationUpdated(deps, tx, id);
  });
}

/** Records `organization.updated` with the organization as it now is, inside the change's transaction. */
export async function recordOrganizationUpdated(deps: Deps, tx: Store, id: string): Promise<Organization> {
  const updated = await getOrganization(tx, id);
  await recordEvents(deps.events, tx, [organizationEvent('organization.updated', updated)]);
  return updated;
}

export interface UpdateOrganizationInput {
  name?: string | null;
  slug?: string | null;
  maxAllowedMemberships?: number | null;
  adminDeleteEnabled?: boolean | null;
  publicMetadata?: Metadata | null;
  privateMetadata?: Metadata | null;
}

/** Updates an organization's profile; users need `org:sys_profile:manage`. */
export async function updateOrganization(
  deps: Deps,
  actor: Actor,
  idOrSlug: string,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  const org = await getOrganization(deps.store, idOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_profile:manage');
  if (actor.kind === 'user' && (input.maxAllowedMemberships != null || input.privateMetadata != null)) {
    throw new AppError('authorization_invalid', {
      meta: { reason: 'only the secret key may change limits or private metadata' },
    });
  }
  if (input.slug && input.slug !== org.slug && (await deps.store.findOrganization(input.slug))) {
    throw new AppError('organization_slug_taken', { meta: { param_name: 'slug' } });
  }
  try {
    return await patchOrganization(deps, org.id, {
      ...(input.name != null && { name: input.name }),
      ...(input.slug != null && { slug: input.slug }),
      ...(input.maxAllowedMemberships != null && { maxAllowedMemberships: input.maxAllowedMemberships }),
      ...(input.adminDeleteEnabled != null && { adminDeleteEnabled: input.adminDeleteEnabled }),
      ...(input.publicMetadata != null && { publicMetadata: input.publicMetadata }),
      ...(input.privateMetadata != null && { privateMetadata: input.privateMetadata }),
      updatedAt: deps.now(),
    });
  } catch (error) {
    if (error instanceof UniqueViolation)
      throw new AppError('organization_slug_taken', { meta: { param_name: 'slug' } });
    throw error;
  }
}

/** Deep-merges metadata (a `null` value deletes a key at any depth), as Clerk's metadata endpoints do. */
export async function mergeOrganizationMetadata(
  deps: Deps,
  idOrSlug: string,
  input: { publicMetadata?: Metadata | null; privateMetadata?: Metadata | null },
): Promise<Organization> {
  const org = await getOrganization(deps.store, idOrSlug);
  return patchOrganization(deps, org.id, {
    publicMetadata: mergeMetadata(org.publicMetadata, input.publicMetadata),
    privateMetadata: mergeMetadata(org.privateMetadata, input.privateMetadata),
    updatedAt: deps.now(),
  });
}

/** Deletes an organization with its memberships and invitations; users need `org:sys_profile:delete`. */
export async function deleteOrganization(deps: Deps, actor: Actor, idOrSlug: string): Promise<Organization> {
  const org = await getOrganization(deps.store, idOrSlug);
  const membership = await requirePermission(deps.store, actor, org.id, 'org:sys_profile:delete');
  if (membership && !org.adminDeleteEnabled)
    throw new AppError('authorization_invalid', { meta: { reason: 'admin_delete_disabled' } });
  await deps.store.transaction(async (tx) => {
    if (!(await tx.deleteOrganization(org.id))) return; // a concurrent delete recorded it
    await recordEvents(deps.events, tx, [
      {
        type: 'organization.deleted',
        organizationId: org.id,
        subject: { kind: 'deleted', object: 'organization', id: org.id },
      },
    ]);
  });
  return org;
}

/** Lists organizations (all, by query, the ones named, or those of some members), as the filters say. */
export function listOrganizations(
  deps: Deps,
  options: Parameters<Store['listOrganizations']>[0],
): Promise<Page<Organization>> {
  return deps.store.listOrganizations(options);
}
