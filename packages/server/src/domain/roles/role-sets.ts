import { newId } from '../crypto.js';
import { AppError } from '../errors.js';
import type { Page } from '../records.js';
import { type Store, UniqueViolation } from '../store.js';
import { roleCatalog } from './catalog.js';
import { forgetOrganizationSettings } from './instance-settings.js';
import type { RoleSetRecord, RoleSetStore } from './role-set-store.js';
import type { RoleListOptions, RoleRecord, RoleStore } from './store.js';

/**
 * Role sets (Clerk's `/v1/role_sets`, decision 040): the roles an organization using the set may
 * give, the role its new members get and the one its creator gets. Exactly one set is `initial`:
 * new organizations take it. Replacing a role or a set moves the members at once, in one
 * transaction (Clerk queues a migration; Roster's `role_set_migration` is therefore always null).
 */
export interface RoleSetDeps {
  store: {
    readonly roles: RoleStore;
    readonly roleSets: RoleSetStore;
    transaction<T>(fn: (tx: { readonly roles: RoleStore; readonly roleSets: RoleSetStore }) => Promise<T>): Promise<T>;
  };
  now: () => number;
}

const MANAGE = 'org:sys_memberships:manage';

export async function getRoleSet(deps: Pick<RoleSetDeps, 'store'>, idOrKey: string): Promise<RoleSetRecord> {
  const found = await deps.store.roleSets.findRoleSet(idOrKey);
  if (!found) throw new AppError('resource_not_found', { meta: { role_set_key_or_id: idOrKey.slice(0, 128) } });
  return found;
}

export function listRoleSets(deps: Pick<RoleSetDeps, 'store'>, options: RoleListOptions): Promise<Page<RoleSetRecord>> {
  return deps.store.roleSets.listRoleSets(options);
}

/** The roles named by key (or id), or `form_param_value_invalid` naming `param.i`. */
async function requireRoles(deps: RoleSetDeps, refs: readonly string[], param: string): Promise<RoleRecord[]> {
  const roles = await Promise.all(
    refs.map(async (ref, i) => {
      const role = await deps.store.roles.findRole(ref);
      if (!role) {
        throw new AppError('form_param_value_invalid', {
          meta: { param_name: `${param}.${i}`, reason: `unknown role '${ref.slice(0, 64)}'` },
        });
      }
      return role;
    }),
  );
  return roles.filter((r, i) => roles.findIndex((o) => o.id === r.id) === i);
}

/** The role of `roles` named `ref` (by key or id), or `organization_role_not_in_role_set` naming `param`. */
function requireMember(roles: readonly { id: string; key: string }[], ref: string, param: string) {
  const role = roles.find((r) => r.key === ref || r.id === ref);
  if (!role)
    throw new AppError('organization_role_not_in_role_set', { meta: { param_name: param, role: ref.slice(0, 64) } });
  return role;
}

/** A creator must be able to manage the members (Clerk's `is_creator_eligible`). */
async function requireCreatorEligible(deps: RoleSetDeps, roleKey: string, param: string) {
  if (!(await roleCatalog(deps.store)).permissionsOf(roleKey).includes(MANAGE)) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: param, reason: `the creator role must grant ${MANAGE}` },
    });
  }
}

/** Runs a set write, naming a key clash, then forgets the cached settings (they show the initial set). */
async function write<T>(deps: RoleSetDeps, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueViolation) throw new AppError('role_set_key_exists', { meta: { param_name: 'key' } });
    throw error;
  } finally {
    forgetOrganizationSettings(deps.store);
  }
}

const keyFromName = (name: string) =>
  `role_set:${
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 100) || 'set'
  }`;

export async function createRoleSet(
  deps: RoleSetDeps,
  input: {
    name: string;
    key?: string;
    description?: string | null;
    defaultRoleKey: string;
    creatorRoleKey: string;
    type?: 'initial' | 'custom';
    roles: readonly string[];
  },
): Promise<RoleSetRecord> {
  const roles = await requireRoles(deps, input.roles, 'roles');
  const defaultRole = requireMember(roles, input.defaultRoleKey, 'default_role_key');
  const creatorRole = requireMember(roles, input.creatorRoleKey, 'creator_role_key');
  await requireCreatorEligible(deps, creatorRole.key, 'creator_role_key');
  const now = deps.now();
  const set = {
    id: newId('rs'),
    key: input.key ?? keyFromName(input.name),
    name: input.name,
    description: input.description ?? null,
    type: input.type ?? 'custom',
    defaultRoleId: defaultRole.id,
    creatorRoleId: creatorRole.id,
    createdAt: now,
    updatedAt: now,
  };
  await write(deps, () =>
    deps.store.roleSets.createRoleSet(
      set,
      roles.map((r) => r.id),
    ),
  );
  return getRoleSet(deps, set.id);
}

/** Renames, re-keys (the organizations follow), makes initial, or picks another default or creator role of the set. */
export async function updateRoleSet(
  deps: RoleSetDeps,
  idOrKey: string,
  patch: {
    name?: string | null;
    key?: string | null;
    description?: string | null;
    type?: 'initial' | null;
    defaultRoleKey?: string | null;
    creatorRoleKey?: string | null;
  },
): Promise<RoleSetRecord> {
  const set = await getRoleSet(deps, idOrKey);
  const defaultRole = patch.defaultRoleKey ? requireMember(set.roles, patch.defaultRoleKey, 'default_role_key') : null;
  const creatorRole = patch.creatorRoleKey ? requireMember(set.roles, patch.creatorRoleKey, 'creator_role_key') : null;
  if (creatorRole) await requireCreatorEligible(deps, creatorRole.key, 'creator_role_key');
  await write(deps, () =>
    deps.store.roleSets.updateRoleSet(set.id, {
      ...(patch.name != null && { name: patch.name }),
      ...(patch.key != null && { key: patch.key }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(defaultRole && { defaultRoleId: defaultRole.id }),
      ...(creatorRole && { creatorRoleId: creatorRole.id }),
      ...(patch.type === 'initial' && { initial: true as const }),
      updatedAt: deps.now(),
    }),
  );
  return getRoleSet(deps, set.id);
}

/** Adds roles (those already in the set stay), optionally making one of the set's roles the default or creator role. */
export async function addRolesToRoleSet(
  deps: RoleSetDeps,
  idOrKey: string,
  input: { roleKeys: readonly string[]; defaultRoleKey?: string; creatorRoleKey?: string },
): Promise<RoleSetRecord> {
  const set = await getRoleSet(deps, idOrKey);
  const added = await requireRoles(deps, input.roleKeys, 'role_keys');
  const all = [...set.roles, ...added];
  const defaultRole = input.defaultRoleKey ? requireMember(all, input.defaultRoleKey, 'default_role_key') : null;
  const creatorRole = input.creatorRoleKey ? requireMember(all, input.creatorRoleKey, 'creator_role_key') : null;
  if (creatorRole) await requireCreatorEligible(deps, creatorRole.key, 'creator_role_key');
  const now = deps.now();
  await write(deps, () =>
    deps.store.transaction(async (tx) => {
      await tx.roleSets.addRoles(
        set.id,
        added.filter((r) => !set.roles.some((s) => s.id === r.id)).map((r) => r.id),
        now,
      );
      await tx.roleSets.updateRoleSet(set.id, {
        ...(defaultRole && { defaultRoleId: defaultRole.id }),
        ...(creatorRole && { creatorRoleId: creatorRole.id }),
        updatedAt: now,
      });
    }),
  );
  return getRoleSet(deps, set.id);
}

/**
 * Refuses a change that would leave an organization of the set with nobody who can manage its
 * members (the last-admin rule, decision 034): `mapping` is what each role key becomes.
 */
async function requireManagersKept(
  deps: RoleSetDeps,
  set: RoleSetRecord,
  held: string[],
  mapping: (key: string) => string,
) {
  const catalog = await roleCatalog(deps.store);
  const managers = catalog.keysGranting(MANAGE);
  const keys = [...new Set([...held, ...managers])];
  const still = keys.filter((key) => managers.includes(mapping(key)));
  const lost = held.filter((key) => managers.includes(key) && !managers.includes(mapping(key)));
  if (lost.length === 0) return;
  if ((await deps.store.roleSets.countOrganizationsLosingManagers(set.key, managers, still)) > 0) {
    throw new AppError('organization_minimum_permissions_needed', { meta: { role_keys: lost } });
  }
}

/** Takes a role out of the set; its holders in the set's organizations get `toRoleKey` (a role of the set). */
export async function replaceRoleInRoleSet(
  deps: RoleSetDeps,
  idOrKey: string,
  input: { roleKey: string; toRoleKey: string },
): Promise<RoleSetRecord> {
  const set = await getRoleSet(deps, idOrKey);
  const from = requireMember(set.roles, input.roleKey, 'role_key');
  const to = requireMember(set.roles, input.toRoleKey, 'to_role_key');
  if (from.id === to.id) {
    throw new AppError('form_param_value_invalid', { meta: { param_name: 'to_role_key', reason: 'the same role' } });
  }
  if (set.creatorRoleId === from.id) await requireCreatorEligible(deps, to.key, 'to_role_key');
  await requireManagersKept(deps, set, [from.key], (key) => (key === from.key ? to.key : key));
  await write(deps, () =>
    deps.store.roleSets.replaceRole(set.id, {
      fromRoleId: from.id,
      toRoleId: to.id,
      fromKey: from.key,
      toKey: to.key,
      now: deps.now(),
    }),
  );
  return getRoleSet(deps, set.id);
}

/**
 * Deletes a set, moving its organizations to `destKey` (Clerk's ReplaceRoleSet). Every role their
 * members or pending invitations hold that the destination lacks must be mapped to one it has
 * (`role_set_reassignment_required` lists the unmapped ones); the destination becomes initial if
 * the source was.
 */
export async function replaceRoleSet(
  deps: RoleSetDeps,
  idOrKey: string,
  input: { destKey: string; mappings?: Record<string, string> },
): Promise<RoleSetRecord> {
  const source = await getRoleSet(deps, idOrKey);
  const dest = await deps.store.roleSets.findRoleSet(input.destKey);
  if (!dest) throw new AppError('resource_not_found', { meta: { param_name: 'dest_role_set_key' } });
  if (dest.id === source.id) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'dest_role_set_key', reason: 'a role set cannot replace itself' },
    });
  }
  const mappings: Record<string, string> = {};
  for (const [from, to] of Object.entries(input.mappings ?? {})) {
    mappings[from] = requireMember(dest.roles, to, `reassignment_mappings.${from}`).key;
  }
  const held = await deps.store.roleSets.heldRoleKeys(source.key);
  const unmapped = held.filter((key) => !(key in mappings) && !dest.roles.some((r) => r.key === key));
  if (unmapped.length) {
    throw new AppError('role_set_reassignment_required', {
      meta: { param_name: 'reassignment_mappings', role_keys: unmapped.sort() },
    });
  }
  await requireManagersKept(deps, source, held, (key) => mappings[key] ?? key);
  await write(deps, () => deps.store.roleSets.replaceRoleSet(source.id, dest, mappings, deps.now()));
  return source;
}

/** The initial set, for a new role marked `include_in_initial_role_set`. */
export async function addToInitialRoleSet(deps: RoleSetDeps, roleId: string): Promise<void> {
  const initial = await deps.store.roleSets.findInitialRoleSet();
  if (initial) await write(deps, () => deps.store.roleSets.addRoles(initial.id, [roleId], deps.now()));
}

/**
 * Refuses a role the organization's role set does not hold (`organization_role_not_in_role_set`
 * naming `param`): what invitations, new members and role changes call after `requireRole`.
 */
export async function requireRoleInOrganization(
  store: Pick<Store, 'roleSets' | 'findOrganization'>,
  orgId: string,
  roleKey: string,
  param = 'role',
): Promise<void> {
  if (await store.roleSets.organizationSetHasRole(orgId, roleKey)) return;
  // Deleted meanwhile: say so, as the rest of the request would.
  if (!(await store.findOrganization(orgId)))
    throw new AppError('organization_not_found', { meta: { id_or_slug: orgId } });
  throw new AppError('organization_role_not_in_role_set', { meta: { param_name: param, role: roleKey } });
}
