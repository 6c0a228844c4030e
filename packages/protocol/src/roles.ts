/**
 * The system permissions every instance has (Clerk's names). The built-in roles grant them; custom
 * permissions (`org:invoices:create`) are stored beside them and granted by custom roles.
 */
export const PERMISSIONS = [
  'org:sys_profile:manage',
  'org:sys_profile:delete',
  'org:sys_memberships:read',
  'org:sys_memberships:manage',
  'org:sys_domains:read',
  'org:sys_domains:manage',
] as const;

/** A system permission key such as `org:sys_memberships:manage`. */
export type SystemPermission = (typeof PERMISSIONS)[number];

/** A permission key: a system one or a custom `org:<feature>:<action>`. */
export type Permission = SystemPermission | (string & {});

/** The built-in roles with their display names and permissions (what a new instance starts with). */
export const ROLES = {
  'org:admin': { name: 'Admin', permissions: [...PERMISSIONS] as SystemPermission[] },
  'org:member': { name: 'Member', permissions: ['org:sys_memberships:read'] as SystemPermission[] },
} as const;

/** A built-in role key: `org:admin` or `org:member`. */
export type SystemRoleKey = keyof typeof ROLES;

/** A role key as stored and returned: `org:admin`, `org:member` or a custom `org:billing`. */
export type RoleKey = SystemRoleKey | (string & {});

/** Role names accepted on input, including Clerk's older `admin` and `basic_member`. */
export const ROLE_ALIASES: Record<string, SystemRoleKey> = {
  'org:admin': 'org:admin',
  admin: 'org:admin',
  'org:member': 'org:member',
  basic_member: 'org:member',
  member: 'org:member',
  'org:basic_member': 'org:member',
};

/** Clerk's rule for a role key: `org:` then lowercase letters, digits and underscores. */
export const ROLE_KEY_PATTERN = /^org:[a-z0-9_]+$/;

/** Clerk's rule for a permission key: `org:<feature>:<action>`, each lowercase letters, digits and underscores. */
export const PERMISSION_KEY_PATTERN = /^org:[a-z0-9_]+:[a-z0-9_]+$/;

/**
 * Turns any accepted role name into its canonical key (aliases resolved), or `null` when it cannot
 * be a role key. Whether the role exists is the server's question.
 *
 * @example
 * ```ts
 * normalizeRole('basic_member'); // 'org:member'
 * normalizeRole('org:billing'); // 'org:billing'
 * normalizeRole('owner'); // null
 * ```
 */
export function normalizeRole(input: string): RoleKey | null {
  const key = input.trim();
  // Own keys only: `constructor`, `toString` or `__proto__` must not resolve to Object's members.
  if (Object.hasOwn(ROLE_ALIASES, key)) return ROLE_ALIASES[key] ?? null;
  return ROLE_KEY_PATTERN.test(key) ? key : null;
}

/**
 * The permissions a built-in role grants (as seeded; a stored role may have been changed since).
 *
 * @example
 * ```ts
 * permissionsOf('org:member'); // ['org:sys_memberships:read']
 * ```
 */
export function permissionsOf(role: SystemRoleKey): readonly SystemPermission[] {
  return ROLES[role].permissions;
}
