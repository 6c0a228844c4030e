import type { Page } from '../records.js';
import type { RoleListOptions } from './store.js';

/** A role as a role set holds it, with how many members hold it in the set's organizations. */
export interface RoleSetRole {
  id: string;
  key: string;
  name: string;
  description: string | null;
  membersCount: number;
  createdAt: number;
  updatedAt: number;
}

/** A stored role set: the roles an organization using it may give, its default and creator roles. */
export interface RoleSetRecord {
  id: string;
  key: string;
  name: string;
  description: string | null;
  /** `initial`: what new organizations get (exactly one set is). */
  type: 'initial' | 'custom';
  /** In the order they were added. */
  roles: RoleSetRole[];
  defaultRoleId: string;
  creatorRoleId: string;
  createdAt: number;
  updatedAt: number;
}

export type NewRoleSet = Omit<RoleSetRecord, 'roles'>;

/** A change of roles in the organizations using one set: role key → role key, in one statement. */
export interface Reassignment {
  /** The set whose organizations change. */
  roleSetKey: string;
  mappings: Record<string, string>;
}

/**
 * Role sets, instance-wide. Keys are unique (a second one is a `UniqueViolation`); at most one set
 * is `initial`, and the writes that make one initial demote the other in the same transaction.
 * The multi-row writes (`replaceRole`, `replaceRoleSet`) are one transaction each: the roles of
 * members and pending invitations, the set's roles and the organizations' set change together.
 * A membership created while its role is being replaced may keep the old role: the check that the
 * role is in the set ran before (the same window as decision 034's deleted roles).
 */
export interface RoleSetStore {
  listRoleSets(options: RoleListOptions): Promise<Page<RoleSetRecord>>;
  /** By id or key. */
  findRoleSet(idOrKey: string): Promise<RoleSetRecord | null>;
  findInitialRoleSet(): Promise<RoleSetRecord | null>;
  createRoleSet(set: NewRoleSet, roleIds: string[]): Promise<void>;
  updateRoleSet(
    id: string,
    patch: Partial<Pick<RoleSetRecord, 'key' | 'name' | 'description' | 'defaultRoleId' | 'creatorRoleId'>> & {
      initial?: true;
      updatedAt: number;
    },
  ): Promise<void>;
  /** Adds roles the set does not hold yet (those it holds stay where they are). */
  addRoles(id: string, roleIds: string[], now: number): Promise<void>;
  /**
   * Takes `fromRoleId` out of the set, moving the members and pending invitations of its
   * organizations from `fromKey` to `toKey`, and the set's default and creator role with them.
   * Answers how many memberships changed.
   */
  replaceRole(
    id: string,
    change: { fromRoleId: string; toRoleId: string; fromKey: string; toKey: string; now: number },
  ): Promise<number>;
  /**
   * Moves every organization of set `sourceId` to `dest` (applying `mappings` to their members and
   * pending invitations first; `dest` becomes initial if the source was) and deletes the source.
   * Answers how many memberships changed.
   */
  replaceRoleSet(
    sourceId: string,
    dest: { id: string; key: string },
    mappings: Record<string, string>,
    now: number,
  ): Promise<number>;
  /** The distinct role keys members and pending invitations hold in the organizations using the set. */
  heldRoleKeys(roleSetKey: string): Promise<string[]>;
  /**
   * How many organizations using the set have a member holding one of `managers` and none holding
   * one of `stillManaging`: those a change leaving only `stillManaging` as managers would leave
   * without anyone who can manage them.
   */
  countOrganizationsLosingManagers(roleSetKey: string, managers: string[], stillManaging: string[]): Promise<number>;
  /** Whether the organization's role set holds the role (an organization without a set: the initial one's). */
  organizationSetHasRole(orgId: string, roleKey: string): Promise<boolean>;
}
