import type { Permission } from '@roster/protocol';
import { AppError } from '../errors.js';
import { type Actor, can } from '../memberships/policy.js';
import { getOrganization } from '../organizations/organizations.js';
import type { Page } from '../records.js';
import type { Store } from '../store.js';
import { roleCatalog } from './catalog.js';
import type { RoleRecord } from './store.js';

/** Either lets a member see the roles: the ones who read the member list and the ones who manage it (as Clerk's). */
const READERS: readonly Permission[] = ['org:sys_memberships:read', 'org:sys_memberships:manage'];

/**
 * The roles a member of the organization may be given (its role set's), for the Frontend API's role selects
 * (Clerk's `organization.getRoles()`): oldest first, so the built-in roles lead and custom ones
 * follow in the order they were made. The secret key passes; a user needs a membership whose
 * role reads or manages the members (`not_a_member_in_organization`, else `authorization_invalid`).
 */
export async function listOrganizationRoles(
  deps: { store: Store },
  actor: Actor,
  orgIdOrSlug: string,
  page: { limit: number; offset: number },
): Promise<Page<RoleRecord>> {
  const { store } = deps;
  const org = await getOrganization(store, orgIdOrSlug);
  if (actor.kind === 'user') {
    const [membership, catalog] = await Promise.all([store.findMembership(org.id, actor.userId), roleCatalog(store)]);
    if (!membership) throw new AppError('not_a_member_in_organization', { meta: { organization_id: org.id } });
    if (!READERS.some((p) => can(membership, p, catalog))) {
      throw new AppError('authorization_invalid', { meta: { permission: READERS[0]! } });
    }
  }
  return store.roles.listRoles({ order: { column: 'created_at', descending: false }, organizationId: org.id, ...page });
}
