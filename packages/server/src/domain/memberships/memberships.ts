import type { Metadata, RoleKey } from '@roster/protocol';
import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { mergeMetadata } from '../metadata.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Membership, Page } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { getUser } from '../users/users.js';
import { type Actor, requirePermission } from './policy.js';

/** Adds an existing user to an organization directly (Backend API; no email involved). */
export async function addMember(
  deps: Deps,
  orgIdOrSlug: string,
  input: { userId: string; role: RoleKey; publicMetadata?: Metadata | null; privateMetadata?: Metadata | null },
): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await getUser(deps.store, input.userId);
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    await tx.lockOrganization(org.id);
    if (await tx.findMembership(org.id, input.userId)) throw new AppError('already_a_member_in_organization');
    const counts = (await tx.countsOf([org.id], now)).get(org.id)!;
    if (
      org.maxAllowedMemberships > 0 &&
      counts.membersCount + counts.pendingInvitationsCount >= org.maxAllowedMemberships
    ) {
      throw new AppError('organization_membership_quota_exceeded', {
        meta: { max_allowed_memberships: org.maxAllowedMemberships },
      });
    }
    const membership: Membership = {
      id: newId('orgmem'),
      organizationId: org.id,
      userId: input.userId,
      role: input.role,
      publicMetadata: input.publicMetadata ?? {},
      privateMetadata: input.privateMetadata ?? {},
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tx.createMembership(membership);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new AppError('already_a_member_in_organization');
      throw error;
    }
    return membership;
  });
}

/** Lists an organization's members; users need `org:sys_memberships:read`. */
export async function listMembers(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  options: { roles?: RoleKey[]; userIds?: string[]; limit: number; offset: number },
): Promise<Page<Membership>> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:read');
  return deps.store.listMemberships({ orgId: org.id, ...options });
}

async function requireMembership(store: Store, orgId: string, userId: string): Promise<Membership> {
  const membership = await store.findMembership(orgId, userId);
  if (!membership) throw new AppError('membership_not_found', { meta: { user_id: userId.slice(0, 64) } });
  return membership;
}

/** Refuses a change that would leave the organization without an admin. */
async function requireAnotherAdmin(tx: Store, orgId: string, now: number): Promise<void> {
  const counts = (await tx.countsOf([orgId], now)).get(orgId)!;
  if (counts.adminsCount <= 1) throw new AppError('organization_minimum_permissions_needed');
}

/** Changes a member's role; the last admin cannot be demoted. */
export async function updateMemberRole(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  userId: string,
  role: RoleKey,
): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:manage');
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    await tx.lockOrganization(org.id);
    const membership = await requireMembership(tx, org.id, userId);
    if (membership.role === 'org:admin' && role !== 'org:admin') await requireAnotherAdmin(tx, org.id, now);
    await tx.updateMembership(membership.id, { role, updatedAt: now });
    return { ...membership, role, updatedAt: now };
  });
}

/** Deep-merges membership metadata (a `null` value deletes a key at any depth). */
export async function mergeMembershipMetadata(
  deps: Deps,
  orgIdOrSlug: string,
  userId: string,
  input: { publicMetadata?: Metadata | null; privateMetadata?: Metadata | null },
): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  const membership = await requireMembership(deps.store, org.id, userId);
  const patch = {
    publicMetadata: mergeMetadata(membership.publicMetadata, input.publicMetadata),
    privateMetadata: mergeMetadata(membership.privateMetadata, input.privateMetadata),
    updatedAt: deps.now(),
  };
  await deps.store.updateMembership(membership.id, patch);
  return { ...membership, ...patch };
}

/**
 * Removes a member (or lets a member leave: a user may always remove themselves). The last admin
 * can be neither removed nor leave.
 */
export async function removeMember(deps: Deps, actor: Actor, orgIdOrSlug: string, userId: string): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  const self = actor.kind === 'user' && actor.userId === userId;
  if (!self) await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:manage');
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    await tx.lockOrganization(org.id);
    const membership = await requireMembership(tx, org.id, userId);
    if (membership.role === 'org:admin') await requireAnotherAdmin(tx, org.id, now);
    await tx.deleteMembership(membership.id);
    return membership;
  });
}
