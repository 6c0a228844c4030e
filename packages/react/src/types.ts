import type {
  EnrollmentMode,
  InvitationStatus,
  MembershipRequestStatus,
  RoleInput,
  RosterError,
  SuggestionStatus,
} from '@roster/client';

/**
 * How a paginated list loads (Clerk's names and defaults): `initialPage` 1, `pageSize` 10,
 * `infinite` false (true appends pages on `fetchNext`), `keepPreviousData` false (true keeps
 * showing the current page while the next one loads).
 *
 * @example
 * ```ts
 * useOrganization({ invitations: { pageSize: 20, keepPreviousData: true } });
 * ```
 */
export interface PaginationOptions {
  initialPage?: number;
  pageSize?: number;
  infinite?: boolean;
  keepPreviousData?: boolean;
}

/**
 * A list the hooks keep fresh: it reloads by itself after any mutation made through the client
 * that touches it. Mirrors Clerk's `PaginatedResources` (without `setData`).
 *
 * @example
 * ```tsx
 * const { invitations } = useOrganization({ invitations: { pageSize: 5 } });
 * return (
 *   <>
 *     {invitations.data.map((i) => <p key={i.id}>{i.emailAddress}</p>)}
 *     <button disabled={!invitations.hasNextPage} onClick={invitations.fetchNext}>Next</button>
 *   </>
 * );
 * ```
 */
export interface PaginatedResources<T> {
  /** The current page (or, with `infinite`, every page loaded so far). */
  data: T[];
  /** Total across all pages. */
  count: number;
  /** True until the first page arrives (and while a new page loads without `keepPreviousData`). */
  isLoading: boolean;
  /** True while any request for this list is in flight. */
  isFetching: boolean;
  isError: boolean;
  error: RosterError | null;
  /** 1-based. */
  page: number;
  pageCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  fetchNext: () => void;
  fetchPrevious: () => void;
  fetchPage: (page: number | ((current: number) => number)) => void;
  /** Loads the current page(s) again. */
  revalidate: () => Promise<void>;
}

/**
 * `invitations` list options: pagination plus a status filter (default `pending`).
 *
 * @example
 * ```ts
 * useOrganization({ invitations: { status: ['pending', 'expired'] } });
 * ```
 */
export interface InvitationsListOptions extends PaginationOptions {
  status?: InvitationStatus | readonly InvitationStatus[];
}

/**
 * `memberships` list options: pagination plus a role filter and a search query.
 *
 * @example
 * ```ts
 * useOrganization({ memberships: { role: ['org:admin'] } });
 * ```
 */
export interface MembershipsListOptions extends PaginationOptions {
  role?: RoleInput | readonly RoleInput[];
  /** Only members whose name, email address or user id contains it; a new query starts at the first page. */
  query?: string;
}

/**
 * `domains` list options: pagination plus an enrollment mode filter.
 *
 * @example
 * ```ts
 * useOrganization({ domains: { enrollmentMode: 'automatic_suggestion' } });
 * ```
 */
export interface DomainsListOptions extends PaginationOptions {
  enrollmentMode?: EnrollmentMode;
}

/**
 * `membershipRequests` list options: pagination plus a status filter (default `pending`).
 *
 * @example
 * ```ts
 * useOrganization({ membershipRequests: { status: 'pending', pageSize: 5 } });
 * ```
 */
export interface MembershipRequestsListOptions extends PaginationOptions {
  status?: MembershipRequestStatus;
}

/**
 * `userSuggestions` list options: pagination plus a status filter (default `pending`).
 *
 * @example
 * ```ts
 * useOrganizationList({ userSuggestions: { status: ['pending', 'accepted'] } });
 * ```
 */
export interface SuggestionsListOptions extends PaginationOptions {
  status?: SuggestionStatus | readonly SuggestionStatus[];
}

/**
 * Clerk Core-1 list options (`invitationList`, `membershipList`): `limit` defaults to 100 here;
 * `offset` is rounded down to a multiple of `limit`.
 *
 * @example
 * ```ts
 * useOrganization({ invitationList: {} });
 * ```
 */
export interface LegacyListOptions {
  limit?: number;
  offset?: number;
}

/** Internal: a list's options with defaults applied, or null when the list was not asked for. */
export interface ResolvedListOptions {
  initialPage: number;
  pageSize: number;
  infinite: boolean;
  keepPreviousData: boolean;
}

export function resolveListOptions(value: boolean | PaginationOptions | undefined): ResolvedListOptions | null {
  if (!value) return null;
  const o = value === true ? {} : value;
  return {
    initialPage: Math.max(1, Math.floor(o.initialPage ?? 1)),
    pageSize: Math.max(1, Math.floor(o.pageSize ?? 10)),
    infinite: o.infinite ?? false,
    keepPreviousData: o.keepPreviousData ?? false,
  };
}

export function resolveLegacyOptions(value: LegacyListOptions | undefined): ResolvedListOptions | null {
  if (!value) return null;
  const pageSize = Math.max(1, Math.floor(value.limit ?? 100));
  return {
    initialPage: Math.floor(Math.max(0, value.offset ?? 0) / pageSize) + 1,
    pageSize,
    infinite: false,
    keepPreviousData: true,
  };
}

/**
 * The type a requested list gets: the resource when the option is set, `undefined` when it is
 * not, and either when the compiler cannot tell (a non-literal params object).
 */
export type WhenRequested<T, K extends PropertyKey, R> = K extends keyof T
  ? [T[K]] extends [undefined | false | null]
    ? undefined
    : [T[K]] extends [true | object]
      ? R
      : R | undefined
  : undefined;
