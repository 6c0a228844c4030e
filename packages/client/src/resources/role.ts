import type { OrganizationRoleJSON, Permission, PermissionJSON, RoleKey } from '@roster/protocol';
import { dateOf } from '../types.js';

/**
 * A permission a role grants (Clerk's `PermissionResource`): a system one (`org:sys_*`) or a
 * custom one (`org:invoices:create`).
 *
 * @example
 * ```ts
 * const { data } = await organization.getRoles();
 * data[0]?.permissions.map((p) => p.key); // ['org:sys_domains:manage', …]
 * ```
 */
export class PermissionResource {
  id: string;
  key: Permission;
  name: string;
  description: string;
  type: 'system' | 'user';
  createdAt: Date;
  updatedAt: Date;

  constructor(json: PermissionJSON) {
    this.id = json.id;
    this.key = json.key;
    this.name = json.name;
    this.description = json.description;
    this.type = json.type;
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }
}

/**
 * A role a member can be given (Clerk's `RoleResource`), from `organization.getRoles()`: the
 * built-in `org:admin` and `org:member` and the instance's custom roles.
 *
 * @example
 * ```ts
 * const { data: roles } = await organization.getRoles({ pageSize: 50 });
 * const options = roles.map((r) => ({ value: r.key, label: r.name }));
 * ```
 */
export class Role {
  id: string;
  key: RoleKey;
  name: string;
  /** Empty when the role has none (as Clerk's resource). */
  description: string;
  permissions: PermissionResource[];
  /** Whether an organization's creator may hold it (it manages the members). */
  isCreatorEligible: boolean;
  createdAt: Date;
  updatedAt: Date;

  constructor(json: OrganizationRoleJSON) {
    this.id = json.id;
    this.key = json.key;
    this.name = json.name;
    this.description = json.description ?? '';
    this.permissions = json.permissions.map((p) => new PermissionResource(p));
    this.isCreatorEligible = json.is_creator_eligible;
    this.createdAt = dateOf(json.created_at);
    this.updatedAt = dateOf(json.updated_at);
  }
}
