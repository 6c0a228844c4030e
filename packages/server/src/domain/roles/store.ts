import type { Page } from '../records.js';

/** A stored permission: a system one (`org:sys_*`, seeded, read-only) or a custom one. */
export interface PermissionRecord {
  id: string;
  key: string;
  name: string;
  description: string;
  type: 'system' | 'user';
  createdAt: number;
  updatedAt: number;
}

/** A stored role with the permissions it grants. */
export interface RoleRecord {
  id: string;
  key: string;
  name: string;
  description: string | null;
  permissions: PermissionRecord[];
  createdAt: number;
  updatedAt: number;
}

/** How a list is ordered: Clerk's `order_by` (`-created_at`, `name`, `+key`). */
export interface ListOrder {
  column: 'created_at' | 'name' | 'key';
  descending: boolean;
}

export interface RoleListOptions {
  /** Exact id, or part of the name or key. */
  query?: string;
  /** Only the roles of this organization's role set (roles only). */
  organizationId?: string;
  order: ListOrder;
  limit: number;
  offset: number;
}

/**
 * Roles and permissions, instance-wide. Keys are unique (a second one is a `UniqueViolation`).
 * The one race rule: `deleteRoleIfUnused` deletes only when no membership and no pending
 * invitation holds the role, in one conditional statement, so a role in use is never deleted
 * whatever runs beside it (an assignment racing the delete may still name a role just deleted:
 * its key stays on the membership, which then grants nothing until the role is made again).
 */
export interface RoleStore {
  listPermissions(options: RoleListOptions): Promise<Page<PermissionRecord>>;
  /** By id or key. */
  findPermission(idOrKey: string): Promise<PermissionRecord | null>;
  createPermission(permission: PermissionRecord): Promise<void>;
  updatePermission(
    id: string,
    patch: Partial<Pick<PermissionRecord, 'key' | 'name' | 'description' | 'updatedAt'>>,
  ): Promise<void>;
  deletePermission(id: string): Promise<boolean>;
  listRoles(options: RoleListOptions): Promise<Page<RoleRecord>>;
  /** Every role with its permissions: the catalog the permission checks read. */
  allRoles(): Promise<RoleRecord[]>;
  /** By id or key. */
  findRole(idOrKey: string): Promise<RoleRecord | null>;
  createRole(role: Omit<RoleRecord, 'permissions'>, permissionIds: string[]): Promise<void>;
  /**
   * Updates a role; `permissionIds` (when given) replaces its permissions. A new key is carried to
   * the memberships and invitations that hold the old one, in the same transaction.
   */
  updateRole(
    id: string,
    patch: Partial<Pick<RoleRecord, 'key' | 'name' | 'description'>> & { updatedAt: number },
    permissionIds?: string[],
  ): Promise<void>;
  /** Adds one permission; false when the role already had it. */
  addRolePermission(roleId: string, permissionId: string, now: number): Promise<boolean>;
  /** Removes one permission; false when the role did not have it. */
  removeRolePermission(roleId: string, permissionId: string, now: number): Promise<boolean>;
  /** Deletes the role unless a membership or a pending invitation holds it; false when one does (or it is gone). */
  deleteRoleIfUnused(id: string): Promise<boolean>;
  /** How many members of `orgId` hold one of `roleKeys`. */
  countMembersWithRoles(orgId: string, roleKeys: string[]): Promise<number>;
  /** Instance settings stored over the environment's defaults (absent: not set). */
  getSettings(): Promise<Record<string, unknown>>;
  putSettings(values: Record<string, unknown>): Promise<void>;
}
