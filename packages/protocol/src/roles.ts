/** The system permissions that Roster's built-in roles grant (Clerk's names). */
export const PERMISSIONS = [
  'org:sys_profile:manage',
  'org:sys_profile:delete',
  'org:sys_memberships:read',
  'org:sys_memberships:manage',
] as const;

/** A system permission key such as `org:sys_memberships:manage`. */
export type Permission = (typeof PERMISSIONS)[number];

/** The built-in roles with their display names and permissions. */
export const ROLES = {
  'org:admin': { name: 'Admin', permissions: [...PERMISSIONS] as Permission[] },
  'org:member': { name: 'Member', permissions: ['org:sys_memberships:read'] as Permission[] },
} as const;

/** A role key as stored and returned: `org:admin` or `org:member`. */
export type RoleKey = keyof typeof ROLES;

/** Role names accepted on input, including Clerk's older `admin` and `basic_member`. */
export const ROLE_ALIASES: Record<string, RoleKey> = {
  'org:admin': 'org:admin',
  admin: 'org:admin',
  'org:member': 'org:member',
  basic_member: 'org:member',
  member: 'org:member',
  'org:basic_member': 'org:member',
};

/**
 * Turns any accepted role name into its canonical key, or `null` when it is not a role.
 *
 * @example
 * ```ts
 * normalizeRole('basic_member'); // 'org:member'
 * normalizeRole('owner'); // null
 * ```
 */
export function normalizeRole(input: string): RoleKey | null {
  const key = input.trim();
  // Own keys only: `constructor`, `toString` or `__proto__` must not resolve to Object's members.
  return Object.hasOwn(ROLE_ALIASES, key) ? (ROLE_ALIASES[key] ?? null) : null;
}

/**
 * The permissions a role grants.
 *
 * @example
 * ```ts
 * permissionsOf('org:member'); // ['org:sys_memberships:read']
 * ```
 */
export function permissionsOf(role: RoleKey): readonly Permission[] {
  return ROLES[role].permissions;
}
