import { z } from 'zod';
import { ENROLLMENT_MODES } from './domains.js';
import { roleListQuery } from './role-api.js';

/**
 * Clerk's instance organization settings and role sets, as the Backend API takes and returns them
 * (`/v1/instance/organization_settings`, `/v1/role_sets`).
 *
 * @example
 * ```ts
 * import { roleSetJSON } from '@roster/protocol';
 * const set = roleSetJSON.parse(await (await fetch(`${api}/v1/role_sets/role_set:default`)).json());
 * ```
 */
export const organizationSettingsJSON = z.object({
  object: z.literal('organization_settings'),
  enabled: z.boolean(),
  /** The default seat limit of a new organization; 0: no limit. */
  max_allowed_memberships: z.number().int(),
  /** Roster caps neither roles nor role sets nor domains per instance: 0 (no limit). */
  max_allowed_roles: z.number().int(),
  max_role_sets_allowed: z.number().int(),
  max_allowed_domains: z.number().int(),
  creator_role: z.string(),
  admin_delete_enabled: z.boolean(),
  domains_enabled: z.boolean(),
  slug_disabled: z.boolean(),
  domains_enrollment_modes: z.array(z.enum(ENROLLMENT_MODES)),
  domains_default_role: z.string(),
  initial_role_set_key: z.string().nullable(),
  /** Roster's addition: how many organizations a user may create through the Frontend API; 0: no limit. */
  max_organizations_per_user: z.number().int(),
});
export type OrganizationSettingsJSON = z.infer<typeof organizationSettingsJSON>;

const roleRef = z.string().trim().min(1).max(128);

/** Body of `PATCH /v1/instance/organization_settings` (Clerk's fields, plus Roster's per-user cap). */
export const updateOrganizationSettingsBody = z.strictObject({
  enabled: z.boolean().nullish(),
  max_allowed_memberships: z.number().int().min(0).max(1_000_000).nullish(),
  admin_delete_enabled: z.boolean().nullish(),
  domains_enabled: z.boolean().nullish(),
  slug_disabled: z.boolean().nullish(),
  domains_enrollment_modes: z.array(z.enum(ENROLLMENT_MODES)).max(ENROLLMENT_MODES.length).optional(),
  /** A role's id or key. */
  creator_role_id: roleRef.nullish(),
  domains_default_role_id: roleRef.nullish(),
  max_organizations_per_user: z.number().int().min(0).max(1_000_000_000).nullish(),
});

/** A role as a role set lists it (Clerk's `RoleSetItem`). */
export const roleSetItemJSON = z.object({
  object: z.literal('role_set_item'),
  id: z.string(),
  name: z.string(),
  key: z.string(),
  description: z.string().nullable(),
  /** Members holding the role in the organizations that use the set. */
  members_count: z.number().int().nullable(),
  has_members: z.boolean().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

/** Clerk's `RoleSet`. Roster migrates at once, so `role_set_migration` is always null. */
export const roleSetJSON = z.object({
  object: z.literal('role_set'),
  id: z.string(),
  name: z.string(),
  key: z.string(),
  description: z.string().nullable(),
  roles: z.array(roleSetItemJSON),
  default_role: roleSetItemJSON.nullable(),
  creator_role: roleSetItemJSON.nullable(),
  type: z.enum(['initial', 'custom']),
  role_set_migration: z.null(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type RoleSetJSON = z.infer<typeof roleSetJSON>;

/** The most roles one call names (Clerk: at least one, no more than 10). */
export const MAX_ROLES_PER_ROLE_SET_CALL = 10;

/** `role_set:` and lowercase letters, digits and underscores. */
export const roleSetKey = z
  .string()
  .trim()
  .max(128)
  .regex(/^role_set:[a-z0-9_]+$/, 'must look like role_set:name (lowercase letters, digits, underscores)');
const roleKeys = z.array(roleRef).min(1).max(MAX_ROLES_PER_ROLE_SET_CALL);
const name = z.string().trim().min(1).max(256);
const description = z.string().max(1024);

export const createRoleSetBody = z.strictObject({
  name,
  key: roleSetKey.optional(),
  description: description.nullish(),
  default_role_key: roleRef,
  creator_role_key: roleRef,
  type: z.enum(['initial', 'custom']).optional(),
  roles: roleKeys,
});

export const updateRoleSetBody = z.strictObject({
  name: name.nullish(),
  key: roleSetKey.nullish(),
  description: description.nullish(),
  type: z.literal('initial').nullish(),
  default_role_key: roleRef.nullish(),
  creator_role_key: roleRef.nullish(),
});

export const replaceRoleSetBody = z.strictObject({
  dest_role_set_key: z.string().trim().min(1).max(128),
  /** Source role key → destination role key. */
  reassignment_mappings: z.record(roleRef, roleRef).optional(),
});

export const addRolesToRoleSetBody = z.strictObject({
  role_keys: roleKeys,
  default_role_key: roleRef.optional(),
  creator_role_key: roleRef.optional(),
});

export const replaceRoleInRoleSetBody = z.strictObject({ role_key: roleRef, to_role_key: roleRef });

/** `query`, `order_by` (`created_at`, `name`, `key`, with `+`/`-`) and pagination, as for roles. */
export const roleSetListQuery = roleListQuery;
