'use client';
import type {
  Organization,
  OrganizationDomain,
  OrganizationInvitation,
  OrganizationMembership,
  OrganizationMembershipRequest,
  RosterChangeEvent,
} from '@roster/client';
import { useMemo, useRef } from 'react';
import {
  type DomainsListOptions,
  type InvitationsListOptions,
  type LegacyListOptions,
  type MembershipRequestsListOptions,
  type MembershipsListOptions,
  type PaginatedResources,
  resolveLegacyOptions,
  resolveListOptions,
  type WhenRequested,
} from './types.js';
import { useAuthSnapshot } from './use-auth.js';
import { useList } from './use-list.js';

/**
 * Which lists `useOrganization` should load; each is opt-in.
 *
 * @example
 * ```ts
 * const params: UseOrganizationParams = { invitations: { pageSize: 5 }, memberships: true };
 * ```
 */
export interface UseOrganizationParams {
  /**
   * Paginated invitations of the active organization (pending by default). Needs
   * `org:sys_memberships:manage`: without it the list is empty and nothing is requested.
   */
  invitations?: boolean | InvitationsListOptions;
  /** Paginated members of the active organization. */
  memberships?: boolean | MembershipsListOptions;
  /**
   * Paginated verified and unverified domains of the active organization. Needs
   * `org:sys_domains:read` or `org:sys_domains:manage`: without either the list is empty and
   * nothing is requested.
   */
  domains?: boolean | DomainsListOptions;
  /**
   * Paginated requests to join the active organization (pending by default). Needs
   * `org:sys_memberships:manage`: without it the list is empty and nothing is requested.
   */
  membershipRequests?: boolean | MembershipRequestsListOptions;
  /**
   * Clerk Core-1: the pending invitations as a plain array (`undefined` while loading, `null` on
   * error, and `null` without `org:sys_memberships:manage`, never requested then).
   */
  invitationList?: LegacyListOptions & Pick<InvitationsListOptions, 'status'>;
  /** Clerk Core-1: the members as a plain array. */
  membershipList?: LegacyListOptions;
}

/**
 * What `useOrganization(params)` returns; the lists are typed by what `params` asked for.
 *
 * @example
 * ```ts
 * type R = UseOrganizationReturn<{ invitations: true }>; // R['invitations'] is PaginatedResources<OrganizationInvitation>
 * ```
 */
export interface UseOrganizationReturn<T> {
  isLoaded: boolean;
  /** The active organization: `undefined` while loading, `null` when signed out or in none. */
  organization: Organization | null | undefined;
  /** The signed-in user's membership in it. */
  membership: OrganizationMembership | null | undefined;
  invitations: WhenRequested<T, 'invitations', PaginatedResources<OrganizationInvitation>>;
  memberships: WhenRequested<T, 'memberships', PaginatedResources<OrganizationMembership>>;
  domains: WhenRequested<T, 'domains', PaginatedResources<OrganizationDomain>>;
  membershipRequests: WhenRequested<T, 'membershipRequests', PaginatedResources<OrganizationMembershipRequest>>;
  invitationList: WhenRequested<T, 'invitationList', OrganizationInvitation[] | null | undefined>;
  membershipList: WhenRequested<T, 'membershipList', OrganizationMembership[] | null | undefined>;
}

function plainList<T>(list: PaginatedResources<T> | undefined, hasOrganization: boolean): T[] | null | undefined {
  if (!list) return undefined;
  if (list.isLoading) return hasOrganization ? undefined : null;
  if (list.error && list.data.length === 0) return null;
  return list.data;
}

/**
 * The active organization (the session's, if the user still belongs to it; `null` is the personal account), the
 * user's membership in it, and, on request, its invitations, members, domains and membership
 * requests. Every list reloads by itself after a change made through the client (invite, revoke,
 * role change, removal, a domain added or changed, a request decided, switch).
 *
 * @example
 * ```tsx
 * const { organization, invitations } = useOrganization({ invitations: { pageSize: 10 } });
 * if (!organization) return null;
 * return (
 *   <ul>
 *     {invitations.data.map((i) => (
 *       <li key={i.id}>{i.emailAddress} <button onClick={() => i.revoke()}>Revoke</button></li>
 *     ))}
 *   </ul>
 * );
 * ```
 */
export function useOrganization<const T extends UseOrganizationParams = Record<never, never>>(
  params?: T,
): UseOrganizationReturn<T> {
  const { client, snapshot } = useAuthSnapshot('useOrganization');
  const loading = snapshot.status === 'loading';
  const membership = loading ? undefined : snapshot.status === 'signed_in' ? snapshot.active : null;
  const organization = membership === undefined ? undefined : (membership?.organization ?? null);
  const orgId = organization?.id ?? null;
  const current = useRef(organization);
  current.current = organization;
  const relevant = (event: RosterChangeEvent) => event.organizationId === null || event.organizationId === orgId;
  const org = () => {
    if (!current.current) throw new Error('No active organization');
    return current.current;
  };

  // Reading invitations needs `org:sys_memberships:manage` (as in Clerk): without it the lists stay
  // empty and are never requested, so a member's page meets no 403.
  const permissions = membership?.permissions ?? [];
  const invitationScope = orgId && permissions.includes('org:sys_memberships:manage') ? orgId : null;
  const domainScope =
    orgId && (permissions.includes('org:sys_domains:read') || permissions.includes('org:sys_domains:manage'))
      ? orgId
      : null;
  const requestScope = orgId && permissions.includes('org:sys_memberships:manage') ? orgId : null;

  const invitationOptions = params?.invitations;
  const invitationStatus = typeof invitationOptions === 'object' ? invitationOptions.status : undefined;
  const invitations = useList<OrganizationInvitation>({
    client,
    options: resolveListOptions(invitationOptions),
    scope: invitationScope && JSON.stringify([invitationScope, invitationStatus ?? null]),
    isLoading: loading,
    fetch: (page) => org().getInvitations({ ...page, ...(invitationStatus && { status: invitationStatus }) }),
    relevant,
  });

  const membershipOptions = params?.memberships;
  const role = typeof membershipOptions === 'object' ? membershipOptions.role : undefined;
  const query = (typeof membershipOptions === 'object' ? membershipOptions.query?.trim() : undefined) || undefined;
  const memberships = useList<OrganizationMembership>({
    client,
    options: resolveListOptions(membershipOptions),
    scope: orgId && JSON.stringify([orgId, role ?? null, query ?? null]),
    isLoading: loading,
    fetch: (page) => org().getMemberships({ ...page, ...(role && { role }), ...(query && { query }) }),
    relevant,
  });

  const domainOptions = params?.domains;
  const enrollmentMode = typeof domainOptions === 'object' ? domainOptions.enrollmentMode : undefined;
  const domains = useList<OrganizationDomain>({
    client,
    options: resolveListOptions(domainOptions),
    scope: domainScope && JSON.stringify([domainScope, enrollmentMode ?? null]),
    isLoading: loading,
    fetch: (page) => org().getDomains({ ...page, ...(enrollmentMode && { enrollmentMode }) }),
    relevant,
  });

  const requestOptions = params?.membershipRequests;
  const requestStatus = (typeof requestOptions === 'object' ? requestOptions.status : undefined) ?? 'pending';
  const membershipRequests = useList<OrganizationMembershipRequest>({
    client,
    options: resolveListOptions(requestOptions),
    scope: requestScope && JSON.stringify([requestScope, requestStatus]),
    isLoading: loading,
    fetch: (page) => org().getMembershipRequests({ ...page, status: requestStatus }),
    relevant,
  });

  const legacyStatus = params?.invitationList?.status ?? 'pending';
  const invitationList = useList<OrganizationInvitation>({
    client,
    options: resolveLegacyOptions(params?.invitationList),
    scope: invitationScope && JSON.stringify([invitationScope, legacyStatus]),
    isLoading: loading,
    fetch: (page) => org().getInvitations({ ...page, status: legacyStatus }),
    relevant,
  });

  const membershipList = useList<OrganizationMembership>({
    client,
    options: resolveLegacyOptions(params?.membershipList),
    scope: orgId,
    isLoading: loading,
    fetch: (page) => org().getMemberships(page),
    relevant,
  });

  const hasOrganization = organization !== null;
  return useMemo(
    () =>
      ({
        isLoaded: !loading,
        organization,
        membership,
        invitations,
        memberships,
        domains,
        membershipRequests,
        // Not permitted reads as the refused request did before (null), without making it.
        invitationList: orgId && !invitationScope ? null : plainList(invitationList, hasOrganization),
        membershipList: plainList(membershipList, hasOrganization),
      }) as UseOrganizationReturn<T>,
    [
      loading,
      organization,
      membership,
      invitations,
      memberships,
      domains,
      membershipRequests,
      invitationList,
      membershipList,
      hasOrganization,
      orgId,
      invitationScope,
    ],
  );
}
