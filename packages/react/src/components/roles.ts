import type { RoleKey } from '@roster/client';
import type { LocalizationKey, Localizer } from '../localization/localizer.js';

/** The roles an admin can give, with the localization key of the names people see. */
export const ROLE_OPTIONS: { value: RoleKey; label: LocalizationKey }[] = [
  { value: 'org:member', label: 'membershipRole__basicMember' },
  { value: 'org:admin', label: 'membershipRole__admin' },
];

/** The name people see for `role` ("Admin"); a custom role keeps its key. */
export const roleLabel = (role: RoleKey, l: Localizer): string => {
  const option = ROLE_OPTIONS.find((o) => o.value === role);
  return option ? l.t(option.label) : role;
};
