import { ROLES } from '@roster/protocol';
import { newId } from '../crypto.js';
import { AppError } from '../errors.js';
import type { Page } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { forgetRoleCatalog } from './catalog.js';
import { forgetOrganizationSettings, rolesNamedBySettings } from './instance-settings.js';
import type { ListOrder, PermissionRecord, RoleListOptions, RoleRecord } from './store.js';

/**
 * Custom roles and permissions, instance-wide, as Clerk's Backend API manages them. Every write
 * forgets this process's cached roles (`forgetRoleCatalog`), so the next permission check and the
 * next session token see it; other instances see it within `ROLE_CATALOG_TTL_MS` (decision 034).
 */
export interface RoleDeps {
  store: Pick<Store, 'roles' | 'roleSets' | 'transaction'>;
  now: () => number;
}

/** The built-in roles: the creator's and new members' roles, so never deleted nor renamed. */
const BUILT_IN = new Set<string>(Object.keys(ROLES));

/** Clerk's `order_by` (`-created_at`, `name`, `+key`) to a list order; default `-created_at`. */
export function listOrder(orderBy: string | undefined): ListOrder {
  const value = orderBy ?? '-created_at';
  const column = value.replace(/^[+-]/, '') as ListOrder['column'];
  return { column, descending: value.startsWith('-') };
}

export async function getPermission(deps: RoleDeps, idOrKey: string): Promise<PermissionRecord> {
  const found = await deps.store.roles.findPermission(idOrKey);
  if (!found) throw new AppError('resource_not_found', { meta: { permission_id: idOrKey.slice(0, 128) } });
  return found;
}

export async function getRole(deps: RoleDeps, idOrKey: string): Promise<RoleRecord> {
  const found = await deps.store.roles.findRole(idOrKey);
  if (!found) throw new AppError('resource_not_found', { meta: { organization_role_id: idOrKey.slice(0, 128) } });
  return found;
}

export function listPermissions(deps: RoleDeps, options: RoleListOptions): Promise<Page<PermissionRecord>> {
  return deps.store.roles.listPermissions(options);
}

export function listRoles(deps: RoleDeps, options: RoleListOptions): Promise<Page<RoleRecord>> {
  return deps.store.roles.listRoles(options);
}

/** Runs a write whose unique key may clash, naming the key's error, then forgets the cached roles. */
async function write<T>(
  deps: RoleDeps,
  clash: 'organization_role_key_exists' | 'permission_key_exists',
  work: () => Promise<T>,
) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueViolation) throw new AppError(clash, { meta: { param_name: 'key' } });
    throw error;
  } finally {
    forgetRoleCatalog(deps.store);
    forgetOrganizationSettings(deps.store);
  }
}

export async function createPermission(
  deps: RoleDeps,
  input: { key: string; name: string; description?: string },
): Promise<PermissionRecord> {
  const now = deps.now();
  const permission: PermissionRecord = {
    id: newId('perm'),
    key: input.key,
    name: input.name,
    description: input.description ?? '',
    type: 'user',
    createdAt: now,
    updatedAt: now,
  };
  await write(deps, 'permission_key_exists', () => deps.store.roles.createPermission(permission));
  return permission;
}

function requireCustom(permission: PermissionRecord): void {
  if (permission.type === 'system') {
    throw new AppError('system_permission_immutable', { meta: { permission_id: permission.id } });
  }
}

export async function updatePermission(
  deps: RoleDeps,
  id: string,
  patch: { key?: string; name?: string; description?: string },
): Promise<PermissionRecord> {
  const permission = await getPermission(deps, id);
  requireCustom(permission);
  const changes = { ...patch, updatedAt: deps.now() };
  await write(deps, 'permission_key_exists', () => deps.store.roles.updatePermission(permission.id, changes));
  return { ...permission, ...changes };
}

/** Deletes a custom permission; the roles that granted it stop granting it. */
export async function deletePermission(deps: RoleDeps, id: string): Promise<PermissionRecord> {
  const permission = await getPermission(deps, id);
  requireCustom(permission);
  await write(deps, 'permission_key_exists', () => deps.store.roles.deletePermission(permission.id));
  return permission;
}

/** The ids of the permissions named (by id or key); an unknown one is `resource_not_found`. */
async function permissionIds(deps: RoleDeps, refs: readonly string[]): Promise<string[]> {
  const found = await Promise.all([...new Set(refs)].map((ref) => getPermission(deps, ref)));
  return [...new Set(found.map((p) => p.id))];
}

export async function createRole(
  deps: RoleDeps,
  input: {
    key: string;
    name: string;
    description?: string | null;
    permissions?: readonly string[] | null;
    /**
     * Clerk's `include_in_initial_role_set`: the new role joins the initial role set, in the same
     * transaction. Absent means yes (a role made before role sets existed could be given at once;
     * decision 040); `false` leaves it for other sets.
     */
    include_in_initial_role_set?: boolean | null;
  },
): Promise<RoleRecord> {
  const ids = await permissionIds(deps, input.permissions ?? []);
  const now = deps.now();
  const role = {
    id: newId('role'),
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await write(deps, 'organization_role_key_exists', () =>
    deps.store.transaction(async (tx) => {
      await tx.roles.createRole(role, ids);
      const initial = input.include_in_initial_role_set !== false ? await tx.roleSets.findInitialRoleSet() : null;
      if (initial) await tx.roleSets.addRoles(initial.id, [role.id], now);
    }),
  );
  return getRole(deps, role.id);
}

/**
 * Updates a role; `permissions` replaces what it grants. A new key is carried to the members and
 * invitations holding the old one. The built-in roles keep their keys.
 */
export async function updateRole(
  deps: RoleDeps,
  id: string,
  patch: {
    key?: string | null;
    name?: string | null;
    description?: string | null;
    permissions?: readonly string[] | null;
  },
): Promise<RoleRecord> {
  const role = await getRole(deps, id);
  const key = patch.key ?? undefined;
  if (key !== undefined && key !== role.key && BUILT_IN.has(role.key)) {
    throw new AppError('organization_role_in_use', { meta: { organization_role_id: role.id } });
  }
  const ids = patch.permissions ? await permissionIds(deps, patch.permissions) : undefined;
  const changes = {
    ...(key !== undefined && { key }),
    ...(patch.name != null && { name: patch.name }),
    ...(patch.description !== undefined && { description: patch.description }),
    updatedAt: deps.now(),
  };
  await write(deps, 'organization_role_key_exists', () => deps.store.roles.updateRole(role.id, changes, ids));
  return getRole(deps, role.id);
}

/**
 * Deletes a role nobody holds (Clerk: not a member's, a pending invitation's, a role set's creator
 * or default role, nor the domains' default role); the role sets holding it no longer do.
 */
export async function deleteRole(deps: RoleDeps, id: string): Promise<RoleRecord> {
  const role = await getRole(deps, id);
  const refused = () => new AppError('organization_role_in_use', { meta: { organization_role_id: role.id } });
  if (BUILT_IN.has(role.key) || (await rolesNamedBySettings(deps.store.roles)).includes(role.id)) throw refused();
  const deleted = await write(deps, 'organization_role_key_exists', () => deps.store.roles.deleteRoleIfUnused(role.id));
  if (!deleted) {
    if (await deps.store.roles.findRole(role.id)) throw refused();
    throw new AppError('resource_not_found', { meta: { organization_role_id: role.id } });
  }
  return role;
}

/** Gives the role one more permission (one it has already: nothing changes). */
export async function assignPermission(deps: RoleDeps, roleId: string, permissionId: string): Promise<RoleRecord> {
  const [role, permission] = await Promise.all([getRole(deps, roleId), getPermission(deps, permissionId)]);
  await write(deps, 'organization_role_key_exists', () =>
    deps.store.roles.addRolePermission(role.id, permission.id, deps.now()),
  );
  return getRole(deps, role.id);
}

export async function removePermission(deps: RoleDeps, roleId: string, permissionId: string): Promise<RoleRecord> {
  const [role, permission] = await Promise.all([getRole(deps, roleId), getPermission(deps, permissionId)]);
  const removed = await write(deps, 'organization_role_key_exists', () =>
    deps.store.roles.removeRolePermission(role.id, permission.id, deps.now()),
  );
  if (!removed) throw new AppError('resource_not_found', { meta: { permission_id: permission.id } });
  return getRole(deps, role.id);
}
