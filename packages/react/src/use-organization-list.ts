'use client';
import type {
  Organization,
  OrganizationMembership,
  OrganizationSuggestion,
  RosterClient,
  Session,
  UserOrganizationInvitation,
} from '@roster/client';
import { useMemo, useRef } from 'react';
import {
  type InvitationsListOptions,
  type PaginatedResources,
  type PaginationOptions,
  resolveListOptions,
  type SuggestionsListOptions,
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
  /**
   * Organizations the user may ask to join (their verified domain matches one of the user's
   * verified addresses); pending by default, `['pending', 'accepted']` to keep the ones already asked.
   */
  userSuggestions?: boolean | SuggestionsListOptions;
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
  userSuggestions: WhenRequested<T, 'userSuggestions', PaginatedResources<OrganizationSuggestion>>;
  /** Creates an organization; it becomes the active one. */
  createOrganization: (params: { name: string; slug?: string }) => Promise<Organization>;
  /** Switches the active organization (id, slug, resource, or `null`). */
  setActive: (params: { organization: string | Organization | null }) => Promise<Session>;
}

/**
 * The signed-in user's organizations, invitations and suggestions, plus `createOrganization` and `setActive`
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
  const user = snapshot.status === 'signed_in' ? snapshot.me.user : null;
  const userId = user?.id ?? null;
  const currentUser = useRef(user);
  currentUser.current = user;
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

  const suggestionOptions = params?.userSuggestions;
  const suggestionStatus = (typeof suggestionOptions === 'object' ? suggestionOptions.status : undefined) ?? 'pending';
  const userSuggestions = useList<OrganizationSuggestion>({
    client,
    options: resolveListOptions(suggestionOptions),
    scope: userId && JSON.stringify([userId, suggestionStatus]),
    isLoading: loading,
    fetch: (page) => {
      if (!currentUser.current) throw new Error('Not signed in');
      return currentUser.current.getOrganizationSuggestions({ ...page, status: suggestionStatus });
    },
    relevant: everything,
  });

  return useMemo(
    () =>
      ({
        isLoaded: !loading,
        userMemberships,
        userInvitations,
        userSuggestions,
        createOrganization: (p: Parameters<RosterClient['createOrganization']>[0]) => client.createOrganization(p),
        setActive: (p: Parameters<RosterClient['setActive']>[0]) => client.setActive(p),
      }) as UseOrganizationListReturn<T>,
    [loading, userMemberships, userInvitations, userSuggestions, client],
  );
}
