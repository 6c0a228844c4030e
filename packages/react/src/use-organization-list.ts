'use client';
import type {
  Organization,
  OrganizationMembership,
  RosterClient,
  Session,
  UserOrganizationInvitation,
} from '@roster/client';
import { useMemo } from 'react';
import {
  type InvitationsListOptions,
  type PaginatedResources,
  type PaginationOptions,
  resolveListOptions,
  type WhenRequested,
} from './types.js';
import { useAuthSnapshot } from './use-auth.js';
import { useList } from './use-list.js';

/**
 * Which of the signed-in user's lists `useOrganizationList` should load; each is opt-in.
 *
 * @example
 * ```ts
 * const params: UseOrganizationListParams = { userMemberships: true, userInvitations: { status: 'pending' } };
 * ```
 */
export interface UseOrganizationListParams {
  /** Every organization the user belongs to. */
  userMemberships?: boolean | PaginationOptions;
  /** Invitations to the user's verified addresses (pending by default). */
  userInvitations?: boolean | InvitationsListOptions;
}

/**
 * What `useOrganizationList(params)` returns; the lists are typed by what `params` asked for.
 *
 * @example
 * ```ts
 * type R = UseOrganizationListReturn<{ userMemberships: true }>;
 * ```
 */
export interface UseOrganizationListReturn<T> {
  isLoaded: boolean;
  userMemberships: WhenRequested<T, 'userMemberships', PaginatedResources<OrganizationMembership>>;
  userInvitations: WhenRequested<T, 'userInvitations', PaginatedResources<UserOrganizationInvitation>>;
  /** Creates an organization; it becomes the active one. */
  createOrganization: (params: { name: string; slug?: string }) => Promise<Organization>;
  /** Switches the active organization (id, slug, resource, or `null`). */
  setActive: (params: { organization: string | Organization | null }) => Promise<Session>;
}

/**
 * The signed-in user's organizations and invitations, plus `createOrganization` and `setActive`
 * (Clerk's `useOrganizationList`). The lists reload after any change made through the client.
 *
 * @example
 * ```tsx
 * const { userMemberships, userInvitations, setActive } = useOrganizationList({ userMemberships: true, userInvitations: true });
 * return (
 *   <>
 *     {userMemberships.data.map((m) => (
 *       <button key={m.id} onClick={() => setActive({ organization: m.organization.id })}>{m.organization.name}</button>
 *     ))}
 *     {userInvitations.data.map((i) => (
 *       <button key={i.id} onClick={() => i.accept()}>Join {i.publicOrganizationData.name}</button>
 *     ))}
 *   </>
 * );
 * ```
 */
export function useOrganizationList<const T extends UseOrganizationListParams = Record<never, never>>(
  params?: T,
): UseOrganizationListReturn<T> {
  const { client, snapshot } = useAuthSnapshot('useOrganizationList');
  const loading = snapshot.status === 'loading';
  const userId = snapshot.status === 'signed_in' ? snapshot.me.user.id : null;
  const everything = () => true;

  const userMemberships = useList<OrganizationMembership>({
    client,
    options: resolveListOptions(params?.userMemberships),
    scope: userId,
    isLoading: loading,
    fetch: (page) => client.getOrganizationMemberships(page),
    relevant: everything,
  });

  const invitationOptions = params?.userInvitations;
  const status = (typeof invitationOptions === 'object' ? invitationOptions.status : undefined) ?? 'pending';
  const userInvitations = useList<UserOrganizationInvitation>({
    client,
    options: resolveListOptions(invitationOptions),
    scope: userId && JSON.stringify([userId, status]),
    isLoading: loading,
    fetch: (page) => client.getUserInvitations({ ...page, status }),
    relevant: everything,
  });

  return useMemo(
    () =>
      ({
        isLoaded: !loading,
        userMemberships,
        userInvitations,
        createOrganization: (p: Parameters<RosterClient['createOrganization']>[0]) => client.createOrganization(p),
        setActive: (p: Parameters<RosterClient['setActive']>[0]) => client.setActive(p),
      }) as UseOrganizationListReturn<T>,
    [loading, userMemberships, userInvitations, client],
  );
}
