import type { RoleKey } from '@roster/protocol';

/** A list's order: one field, ascending or descending; ties are broken by id in the same direction. */
export interface ListOrder<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

/**
 * Filters of a membership list (an organization's, or the instance's without `orgId`). Lists of
 * values keep what matches any of them; several filters keep what matches all. The user-side
 * filters read the member's user as Clerk does: `createdAfter`/`createdBefore` the user's
 * creation, `lastActiveAfter`/`lastActiveBefore` the user's last activity (Roster's: the last
 * sign-in, what the User's `last_active_at` shows). Bounds are exclusive, in milliseconds.
 */
export interface MembershipFilters {
  orgId?: string;
  userId?: string;
  userIds?: string[];
  excludedUserIds?: string[];
  roles?: RoleKey[];
  /** Normalized addresses: members holding one of them. */
  emails?: string[];
  /** Contained, ignoring case, in the user's id, "first last" name or an email address. */
  query?: string;
  /** Contained, ignoring case, in one of the user's email addresses. */
  emailQuery?: string;
  /** Contained, ignoring case, in the user's "first last" name. */
  nameQuery?: string;
  /** Nothing can match (a filter on something Roster's users never have, such as phone numbers). */
  matchNone?: boolean;
  createdAfter?: number;
  createdBefore?: number;
  lastActiveAfter?: number;
  lastActiveBefore?: number;
}

/** Memberships by their creation, or by their user's first name, last name or primary email address. */
export type MembershipOrder = ListOrder<'created_at' | 'first_name' | 'last_name' | 'email_address'>;

/**
 * Filters of the organization list. `ids`/`excludedIds`: Clerk's `organization_id=+a&organization_id=-b`;
 * `memberIds`: organizations where any of them is a member; `excludedMemberIds`: where none is.
 * `query` matches the id exactly, or the name or slug in part (ignoring case).
 */
export interface OrganizationFilters {
  query?: string;
  ids?: string[];
  excludedIds?: string[];
  memberIds?: string[];
  excludedMemberIds?: string[];
}

export type OrganizationOrder = ListOrder<'created_at' | 'name' | 'members_count'>;

/** Invitations by creation or by address. */
export type InvitationOrder = ListOrder<'created_at' | 'email_address'>;
