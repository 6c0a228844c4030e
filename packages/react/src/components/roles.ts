import type { RoleKey } from '@roster/client';

/** The roles an admin can give, with the names people see. */
export const ROLE_OPTIONS: { value: RoleKey; label: string }[] = [
  { value: 'org:member', label: 'Member' },
  { value: 'org:admin', label: 'Admin' },
];

export const roleLabel = (role: RoleKey): string => ROLE_OPTIONS.find((o) => o.value === role)?.label ?? role;
