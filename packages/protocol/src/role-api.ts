import { z } from 'zod';
import { paginationQuery } from './schemas.js';

/**
 * Clerk's organization permissions, roles and instance organization settings, as the Backend API
 * takes and returns them (`/v1/organization_permissions`, `/v1/organization_roles`,
 * `/v1/instance/organization_settings`).
 *
 * @example
 * ```ts
 * import { organizationRoleJSON } from '@roster/protocol';
 * const role = organizationRoleJSON.parse(await (await fetch(`${api}/v1/organization_roles/${id}`)).json());
 * ```
 */
export const permissionJSON = z.object({
  object: z.literal('permission'),
  id: z.string(),
  name: z.string(),
  key: z.string(),
  description: z.string(),
  type: z.enum(['system', 'user']),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type PermissionJSON = z.infer<typeof permissionJSON>;

/** A role with its permissions (Clerk's `Role`). */
export const organizationRoleJSON = z.object({
  object: z.literal('role'),
  id: z.string(),
  name: z.string(),
  key: z.string(),
  description: z.string().nullable(),
  is_creator_eligible: z.boolean(),
  permissions: z.array(permissionJSON),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type OrganizationRoleJSON = z.infer<typeof organizationRoleJSON>;

const name = z.string().trim().min(1).max(256);
const description = z.string().max(1024);
/** `org:<feature>:<action>`; `org:sys_` is for system permissions only. */
const permissionKey = z
  .string()
  .trim()
  .max(128)
  .regex(/^org:[a-z0-9_]+:[a-z0-9_]+$/, 'must look like org:feature:action (lowercase letters, digits, underscores)')
  .refine((key) => !key.startsWith('org:sys_'), 'org:sys_ is reserved for system permissions');
/** `org:` and lowercase letters, digits and underscores. */
const roleKeyInput = z
  .string()
  .trim()
  .max(128)
  .regex(/^org:[a-z0-9_]+$/, 'must look like org:name (lowercase letters, digits, underscores)');

export const createPermissionBody = z.strictObject({ name, key: permissionKey, description: description.optional() });
export const updatePermissionBody = z.strictObject({
  name: name.optional(),
  key: permissionKey.optional(),
  description: description.optional(),
});

/** Permission ids (or keys) a role grants. */
const permissionRefs = z.array(z.string().min(1).max(128)).max(200);

export const createRoleBody = z.strictObject({
  name,
  key: roleKeyInput,
  description: description.nullish(),
  permissions: permissionRefs.nullish(),
  include_in_initial_role_set: z.boolean().nullish(),
});
export const updateRoleBody = z.strictObject({
  name: name.nullish(),
  key: roleKeyInput.nullish(),
  description: description.nullish(),
  permissions: permissionRefs.nullish(),
});

/** `query`, `order_by` (`created_at`, `name`, `key`, with `+`/`-`) and pagination. */
export const roleListQuery = paginationQuery.extend({
  query: z.string().max(256).optional(),
  order_by: z
    .string()
    .regex(/^[+-]?(created_at|name|key)$/, 'one of created_at, name, key, optionally prefixed with + or -')
    .optional(),
});
