import { ENROLLMENT_MODES, type EnrollmentMode } from '@roster/protocol';
import type { DomainSettings } from '../deps.js';
import { AppError } from '../errors.js';
import type { RoleSetStore } from './role-set-store.js';
import type { RoleStore } from './store.js';

/**
 * The instance's organization settings (Clerk's `/v1/instance/organization_settings`): stored
 * values over the environment's defaults (decision 040). A process trusts what it read for
 * `SETTINGS_TTL_MS`; a write through it forgets that at once, another instance sees it within
 * the TTL, as with the roles (decision 034).
 */
export interface OrganizationSettings {
  /** Whether users may create organizations themselves (the Frontend API). */
  enabled: boolean;
  /** The seat limit a new organization gets unless its creator names one; 0: no limit. */
  maxAllowedMemberships: number;
  /** How many organizations a user may create through the Frontend API; 0: no limit. */
  maxOrganizationsPerUser: number;
  /** Whether a new organization lets its admins delete it through the Frontend API. */
  adminDeleteEnabled: boolean;
  domainsEnabled: boolean;
  slugDisabled: boolean;
  domainsEnrollmentModes: EnrollmentMode[];
  /** The role key a creator gets: the initial role set's creator role. */
  creatorRole: string;
  /** The role set new organizations get. */
  initialRoleSetKey: string | null;
  /** The role key verified-domain enrollment gives. */
  domainsDefaultRole: string;
}

export const SETTINGS_TTL_MS = 2_000;

/** The stored keys (`instance_settings.key`); role settings hold the role's id, so a re-key keeps them. */
const KEYS = {
  enabled: 'organizations.enabled',
  maxAllowedMemberships: 'organizations.max_allowed_memberships',
  maxOrganizationsPerUser: 'organizations.max_organizations_per_user',
  adminDeleteEnabled: 'organizations.admin_delete_enabled',
  domainsEnabled: 'organizations.domains_enabled',
  slugDisabled: 'organizations.slug_disabled',
  domainsEnrollmentModes: 'organizations.domains_enrollment_modes',
  domainsDefaultRoleId: 'organizations.domains_default_role_id',
} as const;

export interface SettingsDeps {
  store: { readonly roles: RoleStore; readonly roleSets: RoleSetStore };
  settings: Pick<DomainSettings, 'defaultMaxAllowedMemberships' | 'maxOrganizationsPerUser'>;
}

/** What the environment gives when nothing is stored. */
function defaults(settings: SettingsDeps['settings']): OrganizationSettings {
  return {
    enabled: true,
    maxAllowedMemberships: settings.defaultMaxAllowedMemberships,
    maxOrganizationsPerUser: settings.maxOrganizationsPerUser,
    adminDeleteEnabled: true,
    domainsEnabled: true,
    slugDisabled: false,
    domainsEnrollmentModes: [...ENROLLMENT_MODES],
    creatorRole: 'org:admin',
    initialRoleSetKey: null,
    domainsDefaultRole: 'org:member',
  };
}

const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const modes = (v: unknown) =>
  Array.isArray(v) && v.every((m) => (ENROLLMENT_MODES as readonly unknown[]).includes(m))
    ? (v as EnrollmentMode[])
    : undefined;

/** The stored overrides, role ids resolved to keys (a role since deleted: the default stays), and the initial set. */
async function readStored(store: SettingsDeps['store']): Promise<Partial<OrganizationSettings>> {
  const { roles } = store;
  const [stored, initial] = await Promise.all([roles.getSettings(), store.roleSets.findInitialRoleSet()]);
  const roleKey = async (id: unknown) => (typeof id === 'string' ? (await roles.findRole(id))?.key : undefined);
  const domainsDefaultRole = await roleKey(stored[KEYS.domainsDefaultRoleId]);
  const creatorRole = initial?.roles.find((r) => r.id === initial.creatorRoleId)?.key;
  const picked: Partial<OrganizationSettings> = {
    enabled: bool(stored[KEYS.enabled]),
    maxAllowedMemberships: count(stored[KEYS.maxAllowedMemberships]),
    maxOrganizationsPerUser: count(stored[KEYS.maxOrganizationsPerUser]),
    adminDeleteEnabled: bool(stored[KEYS.adminDeleteEnabled]),
    domainsEnabled: bool(stored[KEYS.domainsEnabled]),
    slugDisabled: bool(stored[KEYS.slugDisabled]),
    domainsEnrollmentModes: modes(stored[KEYS.domainsEnrollmentModes]),
    creatorRole,
    initialRoleSetKey: initial?.key,
    domainsDefaultRole,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
}

const cached = new WeakMap<RoleStore, { at: number; stored: Promise<Partial<OrganizationSettings>> }>();

/** The settings in effect, the stored part read at most once per `SETTINGS_TTL_MS` per store. */
export async function organizationSettings(deps: SettingsDeps): Promise<OrganizationSettings> {
  const now = Date.now();
  const roles = deps.store.roles;
  let hit = cached.get(roles);
  if (!hit || now - hit.at >= SETTINGS_TTL_MS) {
    hit = { at: now, stored: readStored(deps.store) };
    cached.set(roles, hit);
    hit.stored.catch(() => cached.delete(roles));
  }
  return { ...defaults(deps.settings), ...(await hit.stored) };
}

/** Forgets the cached settings after a write (of the settings, or of a role they name). */
export function forgetOrganizationSettings(store: { readonly roles: RoleStore }): void {
  cached.delete(store.roles);
}

/** The ids of the roles the stored settings name: such a role is in use (not deleted). */
export async function rolesNamedBySettings(roles: RoleStore): Promise<string[]> {
  const stored = await roles.getSettings();
  return [stored[KEYS.domainsDefaultRoleId]].filter((id): id is string => typeof id === 'string');
}

export interface OrganizationSettingsPatch {
  enabled?: boolean | null;
  maxAllowedMemberships?: number | null;
  maxOrganizationsPerUser?: number | null;
  adminDeleteEnabled?: boolean | null;
  domainsEnabled?: boolean | null;
  slugDisabled?: boolean | null;
  domainsEnrollmentModes?: EnrollmentMode[];
  /** A role's id or key. */
  creatorRoleId?: string | null;
  domainsDefaultRoleId?: string | null;
}

/** A role named by id or key, or Clerk's `form_param_value_invalid` naming `param`. */
async function requireRoleRef(roles: RoleStore, ref: string, param: string) {
  const role = await roles.findRole(ref);
  if (!role) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: param, reason: `unknown role '${ref.slice(0, 64)}'` },
    });
  }
  return role;
}

/**
 * Stores the fields given (absent or null: unchanged), all in one transaction, and answers the
 * settings now in effect. The creator role is the initial role set's: it must be one of that set's
 * roles and able to manage members (Clerk's `is_creator_eligible`), since a creator who could not
 * would leave an organization nobody manages.
 */
export async function updateOrganizationSettings(
  deps: SettingsDeps & {
    store: {
      transaction<T>(
        fn: (tx: { readonly roles: RoleStore; readonly roleSets: RoleSetStore }) => Promise<T>,
      ): Promise<T>;
    };
  },
  patch: OrganizationSettingsPatch,
): Promise<OrganizationSettings> {
  const roles = deps.store.roles;
  const values: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) values[key] = value;
  };
  set(KEYS.enabled, patch.enabled);
  set(KEYS.maxAllowedMemberships, patch.maxAllowedMemberships);
  set(KEYS.maxOrganizationsPerUser, patch.maxOrganizationsPerUser);
  set(KEYS.adminDeleteEnabled, patch.adminDeleteEnabled);
  set(KEYS.domainsEnabled, patch.domainsEnabled);
  set(KEYS.slugDisabled, patch.slugDisabled);
  if (patch.domainsEnrollmentModes) set(KEYS.domainsEnrollmentModes, [...new Set(patch.domainsEnrollmentModes)]);
  let creator: { setId: string; roleId: string } | null = null;
  if (patch.creatorRoleId) {
    const role = await requireRoleRef(roles, patch.creatorRoleId, 'creator_role_id');
    if (!role.permissions.some((p) => p.key === 'org:sys_memberships:manage')) {
      throw new AppError('form_param_value_invalid', {
        meta: { param_name: 'creator_role_id', reason: 'the creator role must grant org:sys_memberships:manage' },
      });
    }
    const initial = await deps.store.roleSets.findInitialRoleSet();
    if (!initial?.roles.some((r) => r.id === role.id)) {
      throw new AppError('organization_role_not_in_role_set', {
        meta: { param_name: 'creator_role_id', role: role.key, role_set_key: initial?.key ?? null },
      });
    }
    creator = { setId: initial.id, roleId: role.id };
  }
  if (patch.domainsDefaultRoleId) {
    set(
      KEYS.domainsDefaultRoleId,
      (await requireRoleRef(roles, patch.domainsDefaultRoleId, 'domains_default_role_id')).id,
    );
  }
  try {
    await deps.store.transaction(async (tx) => {
      if (Object.keys(values).length) await tx.roles.putSettings(values);
      if (creator)
        await tx.roleSets.updateRoleSet(creator.setId, { creatorRoleId: creator.roleId, updatedAt: Date.now() });
    });
  } finally {
    forgetOrganizationSettings(deps.store);
  }
  return organizationSettings(deps);
}

/**
 * The role the settings name for verified-domain enrollment (`domains_default_role_id`), as a key,
 * or null when none is stored (or the role is gone): then each organization's own default role applies.
 */
export async function storedDomainsDefaultRole(roles: RoleStore): Promise<string | null> {
  const id = (await roles.getSettings())[KEYS.domainsDefaultRoleId];
  return typeof id === 'string' ? ((await roles.findRole(id))?.key ?? null) : null;
}
