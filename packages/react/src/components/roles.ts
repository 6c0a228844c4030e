'use client';
import type { Organization, Role, RoleKey } from '@roster/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocalization } from '../localization/context.js';
import type { LocalizationKey, Localizer } from '../localization/localizer.js';

/** The built-in roles' names come from the localization; every other role shows its stored name. */
const BUILT_IN: Record<string, LocalizationKey> = {
  'org:admin': 'membershipRole__admin',
  'org:member': 'membershipRole__basicMember',
};

/**
 * One page of roles, read once per organization (Clerk's components read 20, the most its
 * dashboard makes; Roster sets no such limit). A member holding a role past the page still sees
 * theirs in its select (`withRole`).
 */
const ROLE_PAGE_SIZE = 100;

/** A role as a select offers it. */
export interface RoleOption {
  value: RoleKey;
  label: string;
  /** The stored description ('' when none, and for the built-in fallbacks). */
  description: string;
  /** The names of the permissions it grants (empty when not known). */
  permissionNames: string[];
}

/** The name people see for `role` ("Admin"); another role shows `name`, else its key. */
export const roleLabel = (role: RoleKey, l: Localizer, name?: string): string => {
  const key = BUILT_IN[role];
  return key ? l.t(key) : name || role;
};

const optionOf = (role: Role, l: Localizer): RoleOption => ({
  value: role.key,
  label: roleLabel(role.key, l, role.name),
  description: role.description,
  permissionNames: role.permissions.map((p) => p.name),
});

/** An option for a role known only by key and name (a member's role the list lacks). */
export const bareOption = (role: RoleKey, l: Localizer, name?: string): RoleOption => ({
  value: role,
  label: roleLabel(role, l, name),
  description: '',
  permissionNames: [],
});

/** `options`, with `role` added (as `name`) when the list lacks it, so a select can show what a member holds. */
export function withRole(options: RoleOption[], role: RoleKey, name: string, l: Localizer): RoleOption[] {
  return options.some((o) => o.value === role) ? options : [...options, bareOption(role, l, name)];
}

export interface RoleOptions {
  /** What the selects list: the organization's roles, or the built-in ones until (or unless) they arrive. */
  options: RoleOption[];
  isLoading: boolean;
  /** Why the roles could not be read (the built-in ones are listed meanwhile). */
  error: unknown;
  retry: () => Promise<void>;
  /** The option for `role`, if listed. */
  find: (role: RoleKey) => RoleOption | undefined;
}

/**
 * Internal: the roles `organization` can give (`organization.getRoles()`), for role selects.
 * Nothing is requested while `enabled` is false or there is no organization.
 */
export function useRoleOptions(organization: Organization | null | undefined, enabled = true): RoleOptions {
  const l = useLocalization();
  const [state, setState] = useState<{ orgId: string; roles: Role[] | null; error: unknown } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(organization);
  latest.current = organization;
  const orgId = enabled ? (organization?.id ?? null) : null;

  useEffect(() => {
    const org = latest.current;
    if (orgId === null || !org) return;
    let current = true;
    void attempt;
    org.getRoles({ pageSize: ROLE_PAGE_SIZE }).then(
      (page) => current && setState({ orgId, roles: page.data, error: null }),
      (error: unknown) => current && setState({ orgId, roles: null, error }),
    );
    return () => {
      current = false;
    };
  }, [orgId, attempt]);

  const mine = state && state.orgId === orgId ? state : null;
  const roles = mine?.roles ?? null;
  const options = useMemo(
    () => (roles ? roles.map((r) => optionOf(r, l)) : Object.keys(BUILT_IN).map((value) => bareOption(value, l))),
    [roles, l],
  );
  const retry = useCallback(async () => {
    setState(null);
    setAttempt((n) => n + 1);
  }, []);
  return {
    options,
    isLoading: orgId !== null && mine === null,
    error: mine?.error ?? null,
    retry,
    find: (role) => options.find((o) => o.value === role),
  };
}

/** What giving `option` means, for a confirmation: the built-in roles' own words, else its description or permissions. */
export function roleDescription(option: RoleOption, l: Localizer): string {
  if (option.value === 'org:admin')
    return l.t('organizationProfile.membersPage.activeMembersTab.changeRole.adminDescription');
  if (option.value === 'org:member')
    return l.t('organizationProfile.membersPage.activeMembersTab.changeRole.memberDescription');
  if (option.description) return option.description;
  if (option.permissionNames.length === 0) {
    return l.t('organizationProfile.membersPage.activeMembersTab.changeRole.customDescription__none', {
      role: option.label,
    });
  }
  const permissions = new Intl.ListFormat(l.locale, { type: 'conjunction' }).format(option.permissionNames);
  return l.t('organizationProfile.membersPage.activeMembersTab.changeRole.customDescription', {
    role: option.label,
    permissions,
  });
}
