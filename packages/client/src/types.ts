import type {
  EnrollmentMode,
  InvitationStatus,
  OrganizationMembershipRequestJSON,
  OrganizationSuggestionJSON,
  Permission,
  RoleKey,
} from '@roster/protocol';

export type { EnrollmentMode, InvitationStatus, Permission, RoleKey };

/** Where a suggestion stands: `accepted` once its user asked to join. */
export type SuggestionStatus = OrganizationSuggestionJSON['status'];

/** Where a membership request stands: `pending`, `accepted` or `rejected`. */
export type MembershipRequestStatus = OrganizationMembershipRequestJSON['status'];

/**
 * A role as the methods accept it: the keys `org:admin`/`org:member`, or Clerk's Core-1 names
 * `admin`/`basic_member`. Responses always carry the key (`org:admin`, `org:member`).
 *
 * @example
 * ```ts
 * await organization.inviteMember({ emailAddress: 'ada@example.com', role: 'basic_member' });
 * ```
 */
export type RoleInput = RoleKey | 'admin' | 'basic_member';

/**
 * Page selection, as in Clerk: pages are 1-based; `pageSize` defaults to 10 (server maximum 500).
 *
 * @example
 * ```ts
 * const params: PaginationParams = { initialPage: 2, pageSize: 20 };
 * ```
 */
export interface PaginationParams {
  initialPage?: number;
  pageSize?: number;
}

/**
 * A page of results and the total across all pages (Clerk's `ClerkPaginatedResponse`).
 *
 * @example
 * ```ts
 * const { data, totalCount } = await organization.getInvitations({ pageSize: 5 });
 * ```
 */
export interface PaginatedResponse<T> {
  data: T[];
  totalCount: number;
}

/**
 * Filters for invitation lists: one status or several. Organization lists default to `pending`.
 *
 * @example
 * ```ts
 * await organization.getInvitations({ status: ['accepted', 'revoked'] });
 * ```
 */
export interface InvitationListParams extends PaginationParams {
  status?: InvitationStatus | readonly InvitationStatus[];
}

/**
 * Filters for an organization's member list.
 *
 * @example
 * ```ts
 * await organization.getMemberships({ role: 'org:admin' });
 * ```
 */
export interface MembershipListParams extends PaginationParams {
  role?: RoleInput | readonly RoleInput[];
  /** Only members whose name, email address or user id contains it (ignoring case). */
  query?: string;
}

/**
 * Filters for an organization's domains: only those in one enrollment mode.
 *
 * @example
 * ```ts
 * await organization.getDomains({ enrollmentMode: 'automatic_suggestion' });
 * ```
 */
export interface DomainListParams extends PaginationParams {
  enrollmentMode?: EnrollmentMode;
}

/**
 * Filters for an organization's membership requests (default `pending`).
 *
 * @example
 * ```ts
 * await organization.getMembershipRequests({ status: 'accepted' });
 * ```
 */
export interface MembershipRequestListParams extends PaginationParams {
  status?: MembershipRequestStatus;
}

/**
 * Filters for the signed-in user's suggestions: one status or several (default `pending`).
 *
 * @example
 * ```ts
 * await user.getOrganizationSuggestions({ status: ['pending', 'accepted'] });
 * ```
 */
export interface SuggestionListParams extends PaginationParams {
  status?: SuggestionStatus | readonly SuggestionStatus[];
}

/** `limit`/`offset` for the server from 1-based `initialPage`/`pageSize`. */
export function pageQuery(params: PaginationParams = {}): { limit: number; offset: number } {
  const pageSize = Math.max(1, Math.floor(params.pageSize ?? 10));
  const page = Math.max(1, Math.floor(params.initialPage ?? 1));
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

export function listOf<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** Unix milliseconds (or null) to a `Date` (or null). */
export function dateOf(ms: number): Date;
export function dateOf(ms: number | null): Date | null;
export function dateOf(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
