import { normalizeRole, type Permission, type RoleKey } from '@roster/protocol';
import { AppError } from '../errors.js';
import type { RoleRecord, RoleStore } from './store.js';

/**
 * How long a process trusts the roles it read. Writes through this process forget them at once;
 * another instance's write is seen within this time (decision 034).
 */
export const ROLE_CATALOG_TTL_MS = 2_000;

/** The instance's roles as the permission checks read them: key → name and permissions. */
export class RoleCatalog {
  private readonly byKey: Map<string, { name: string; permissions: readonly string[] }>;

  constructor(roles: readonly Pick<RoleRecord, 'key' | 'name' | 'permissions'>[]) {
    this.byKey = new Map(roles.map((r) => [r.key, { name: r.name, permissions: r.permissions.map((p) => p.key) }]));
  }

  has(role: string): boolean {
    return this.byKey.has(role);
  }

  /** What the role grants; nothing for a role that no longer exists. */
  permissionsOf(role: RoleKey): readonly Permission[] {
    return this.byKey.get(role)?.permissions ?? [];
  }

  /** The role's display name (its key when it no longer exists). */
  nameOf(role: RoleKey): string {
    return this.byKey.get(role)?.name ?? role;
  }

  /** Every role key that grants `permission`. */
  keysGranting(permission: Permission): string[] {
    return [...this.byKey].filter(([, r]) => r.permissions.includes(permission)).map(([key]) => key);
  }
}

const cached = new WeakMap<RoleStore, { at: number; catalog: Promise<RoleCatalog> }>();

/** The roles, read at most once per `ROLE_CATALOG_TTL_MS` per store (a failed read is not kept). */
export function roleCatalog(store: { readonly roles: RoleStore }): Promise<RoleCatalog> {
  const now = Date.now();
  const hit = cached.get(store.roles);
  if (hit && now - hit.at < ROLE_CATALOG_TTL_MS) return hit.catalog;
  const catalog = store.roles.allRoles().then((roles) => new RoleCatalog(roles));
  cached.set(store.roles, { at: now, catalog });
  catalog.catch(() => cached.delete(store.roles));
  return catalog;
}

/** Forgets the cached roles after a write, so the next check (and the next token) sees it. */
export function forgetRoleCatalog(store: { readonly roles: RoleStore }): void {
  cached.delete(store.roles);
}

/**
 * The canonical key of an existing role (aliases such as `admin` resolved), or Clerk's
 * `form_param_value_invalid` naming `param`.
 */
export async function requireRole(
  store: { readonly roles: RoleStore },
  role: string,
  param = 'role',
): Promise<RoleKey> {
  const key = normalizeRole(role);
  if (key && (await roleCatalog(store)).has(key)) return key;
  throw new AppError('form_param_value_invalid', {
    meta: { param_name: param, reason: `unknown role '${role.slice(0, 64)}'` },
  });
}
