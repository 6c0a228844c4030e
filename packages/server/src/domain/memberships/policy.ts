import type { Permission } from '@roster/protocol';
import { AppError } from '../errors.js';
import type { Membership, UserWithEmails } from '../records.js';
import { type RoleCatalog, roleCatalog } from '../roles/catalog.js';
import type { Store } from '../store.js';

/**
 * Who is making a request: the instance's secret key, or a signed-in user (with the user's record
 * when the caller has already loaded it, so nothing reads it twice).
 */
export type Actor = { kind: 'secret_key' } | { kind: 'user'; userId: string; user?: UserWithEmails };

/** A signed-in user as an actor. */
export type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * True when the membership's role grants `permission`, as the stored roles say (`catalog`). Checks
 * are on permissions, never role names.
 */
export function can(membership: Membership | null, permission: Permission, catalog: RoleCatalog): boolean {
  return membership !== null && catalog.permissionsOf(membership.role).includes(permission);
}

/**
 * Lets the secret key through; for a user, requires a membership in `orgId` whose role grants
 * `permission`. Returns the membership (null for the secret key).
 */
export async function requirePermission(
  store: Store,
  actor: Actor,
  orgId: string,
  permission: Permission,
): Promise<Membership | null> {
  if (actor.kind === 'secret_key') return null;
  const [membership, catalog] = await Promise.all([store.findMembership(orgId, actor.userId), roleCatalog(store)]);
  return requireGranted(membership, orgId, permission, catalog);
}

/** The check `requirePermission` makes, on a membership already loaded (null: not a member). */
export function requireGranted(
  membership: Membership | null,
  orgId: string,
  permission: Permission,
  catalog: RoleCatalog,
): Membership {
  if (!membership) throw new AppError('not_a_member_in_organization', { meta: { organization_id: orgId } });
  if (!can(membership, permission, catalog)) throw new AppError('authorization_invalid', { meta: { permission } });
  return membership;
}
