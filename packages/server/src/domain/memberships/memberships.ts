import type { Metadata, RoleKey } from '@roster/protocol';
import { newId } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { type EventSource, recordEvents } from '../events/events.js';
import { mergeMetadata } from '../metadata.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Membership, Organization, Page } from '../records.js';
import { requireRole, roleCatalog } from '../roles/catalog.js';
import { requireRoleInOrganization } from '../roles/role-sets.js';
import { ForeignKeyViolation, type Store, UniqueViolation } from '../store.js';
import { getUser } from '../users/users.js';
import { type Actor, requirePermission } from './policy.js';

/**
 * The seat rule, for an organization with `max_allowed_memberships` (0: no limit): a seat is a
 * membership or a pending invitation, and there are never more seats taken than the limit. A
 * request that needs a new seat (an invitation, a direct add) is refused when every seat is taken;
 * an accept moves its invitation's seat from pending to member, so it is refused only when the
 * members alone fill the organization (the limit was lowered after the invitation went out).
 *
 * Takes the organization's lock first, unless the caller holds it already (`locked`), so the count
 * and the write that follows are serialized with every other seat check: call it inside the
 * transaction that writes. Returns at once without a limit: then nothing needs serializing.
 */
export async function requireSeat(
  deps: Deps,
  tx: Store,
  org: Organization,
  options: { seat: 'new' | 'invited'; locked?: boolean },
): Promise<void> {
  const max = org.maxAllowedMemberships;
  if (max <= 0) return;
  if (!options.locked) await tx.lockOrganization(org.id);
  const counts = (await tx.countsOf([org.id], deps.now())).get(org.id)!;
  const taken = counts.membersCount + (options.seat === 'new' ? counts.pendingInvitationsCount : 0);
  if (taken >= max) {
    throw new AppError('organization_membership_quota_exceeded', {
      meta: {
        max_allowed_memberships: max,
        members_count: counts.membersCount,
        pending_invitations_count: counts.pendingInvitationsCount,
      },
    });
  }
}

/**
 * The error for a write that named a user or organization a concurrent request deleted. Where the
 * driver does not name the table (SQLite), the organization is looked up to tell which one went.
 */
export async function goneError(
  tx: Store,
  violation: ForeignKeyViolation,
  ids: { orgId: string; userId?: string },
): Promise<AppError> {
  const orgGone =
    violation.table === 'organizations' ||
    !ids.userId ||
    (violation.table !== 'users' && !(await tx.findOrganization(ids.orgId)));
  return orgGone
    ? new AppError('organization_not_found', { meta: { id_or_slug: ids.orgId } })
    : new AppError('user_not_found', { meta: { user_id: ids.userId } });
}

/** A membership's event draft. */
export function membershipEvent(
  type: 'organizationMembership.created' | 'organizationMembership.updated' | 'organizationMembership.deleted',
  membership: Membership,
) {
  return { type, organizationId: membership.organizationId, subject: { kind: 'membership' as const, membership } };
}

/**
 * The one membership insert (add, accept, an organization's creator): a second membership of the
 * user is `already_a_member_in_organization` (the unique index decides, whatever the timing), and a
 * user or organization deleted meanwhile is its `*_not_found`.
 */
export async function insertMembership(events: EventSource, tx: Store, membership: Membership): Promise<Membership> {
  try {
    await tx.createMembership(membership);
    await recordEvents(events, tx, [membershipEvent('organizationMembership.created', membership)]);
  } catch (error) {
    if (error instanceof UniqueViolation) throw new AppError('already_a_member_in_organization');
    if (error instanceof ForeignKeyViolation) {
      throw await goneError(tx, error, { orgId: membership.organizationId, userId: membership.userId });
    }
    throw error;
  }
  return membership;
}

/** Adds an existing user to an organization directly (Backend API; no email involved). */
export async function addMember(
  deps: Deps,
  orgIdOrSlug: string,
  input: { userId: string; role: RoleKey; publicMetadata?: Metadata | null; privateMetadata?: Metadata | null },
): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await getUser(deps.store, input.userId);
  const role = await requireRole(deps.store, input.role);
  await requireRoleInOrganization(deps.store, org.id, role);
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    if (await tx.findMembership(org.id, input.userId)) throw new AppError('already_a_member_in_organization');
    await requireSeat(deps, tx, org, { seat: 'new' });
    return insertMembership(deps.events, tx, {
      id: newId('orgmem'),
      organizationId: org.id,
      userId: input.userId,
      role,
      publicMetadata: input.publicMetadata ?? {},
      privateMetadata: input.privateMetadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
  });
}

/** A user's own memberships (theirs to read: no permission check), one page. */
export function listUserMemberships(
  deps: Deps,
  input: { userId: string; limit: number; offset: number },
): Promise<Page<Membership>> {
  return deps.store.listMemberships({ userId: input.userId, limit: input.limit, offset: input.offset });
}

/**
 * Memberships across the instance, or of one organization or user, as the filters say; no
 * permission check: for the secret key and the operator console only.
 */
export function listAllMemberships(
  deps: Deps,
  options: Parameters<Store['listMemberships']>[0],
): Promise<Page<Membership>> {
  return deps.store.listMemberships(options);
}

/** Lists an organization's members; users need `org:sys_memberships:read`. */
export async function listMembers(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  options: Omit<Parameters<Store['listMemberships']>[0], 'orgId'>,
): Promise<Page<Membership>> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, 'org:sys_memberships:read');
  const roles =
    options.roles && (await Promise.all(options.roles.map((r, i) => requireRole(deps.store, r, `role.${i}`))));
  return deps.store.listMemberships({ orgId: org.id, ...options, ...(roles && { roles }) });
}

async function requireMembership(store: Store, orgId: string, userId: string): Promise<Membership> {
  const membership = await store.findMembership(orgId, userId);
  if (!membership) throw new AppError('membership_not_found', { meta: { user_id: userId.slice(0, 64) } });
  return membership;
}

/**
 * Refuses a change that takes `org:sys_memberships:manage` from `membership` when no other member
 * holds it: the organization would be left without anyone who can manage it (the last admin).
 */
async function requireAnotherManager(tx: Store, membership: Membership, newRole: RoleKey | null): Promise<void> {
  const catalog = await roleCatalog(tx);
  const managers = catalog.keysGranting(MANAGE);
  if (!managers.includes(membership.role) || (newRole !== null && managers.includes(newRole))) return;
  if ((await tx.roles.countMembersWithRoles(membership.organizationId, managers)) <= 1) {
    throw new AppError('organization_minimum_permissions_needed');
  }
}

const MANAGE = 'org:sys_memberships:manage';

/** Changes a member's role; the last admin cannot be demoted. */
export async function updateMemberRole(
  deps: Deps,
  actor: Actor,
  orgIdOrSlug: string,
  userId: string,
  input: RoleKey,
): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  await requirePermission(deps.store, actor, org.id, MANAGE);
  const role = await requireRole(deps.store, input);
  await requireRoleInOrganization(deps.store, org.id, role);
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    await tx.lockOrganization(org.id);
    const membership = await requireMembership(tx, org.id, userId);
    await requireAnotherManager(tx, membership, role);
    await tx.updateMembership(membership.id, { role, updatedAt: now });
    const updated = { ...membership, role, updatedAt: now };
    await recordEvents(deps.events, tx, [membershipEvent('organizationMembership.updated', updated)]);
    return updated;
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
  const updated = { ...membership, ...patch };
  await deps.store.transaction(async (tx) => {
    await tx.updateMembership(membership.id, patch);
    await recordEvents(deps.events, tx, [membershipEvent('organizationMembership.updated', updated)]);
  });
  return updated;
}

/**
 * Removes a member (or lets a member leave: a user may always remove themselves). The last admin
 * can be neither removed nor leave.
 */
export async function removeMember(deps: Deps, actor: Actor, orgIdOrSlug: string, userId: string): Promise<Membership> {
  const org = await getOrganization(deps.store, orgIdOrSlug);
  const self = actor.kind === 'user' && actor.userId === userId;
  if (!self) await requirePermission(deps.store, actor, org.id, MANAGE);
  return deps.store.transaction(async (tx) => {
    await tx.lockOrganization(org.id);
    const membership = await requireMembership(tx, org.id, userId);
    await requireAnotherManager(tx, membership, null);
    await tx.deleteMembership(membership.id);
    await recordEvents(deps.events, tx, [membershipEvent('organizationMembership.deleted', membership)]);
    return membership;
  });
}
