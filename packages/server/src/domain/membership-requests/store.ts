import type { Page } from '../records.js';

export const SUGGESTION_STATUSES = ['pending', 'accepted'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/**
 * An organization offered to a user because they hold a verified address on one of its verified
 * domains in `automatic_suggestion` mode (Clerk's `OrganizationSuggestion`). Accepting it makes a
 * membership request, not a membership.
 */
export interface OrganizationSuggestion {
  id: string;
  organizationId: string;
  userId: string;
  /** The domain that made it (null once that domain is gone). */
  domainId: string | null;
  status: SuggestionStatus;
  createdAt: number;
  updatedAt: number;
}

export const MEMBERSHIP_REQUEST_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type MembershipRequestStatus = (typeof MEMBERSHIP_REQUEST_STATUSES)[number];

/** A user's request to join an organization, for its managers to accept or reject (Clerk's `OrganizationMembershipRequest`). */
export interface MembershipRequest {
  id: string;
  organizationId: string;
  userId: string;
  /** The suggestion it came from (null once that is gone). */
  suggestionId: string | null;
  /** The domain whose suggestion it came from (null once that domain is gone). */
  domainId: string | null;
  status: MembershipRequestStatus;
  createdAt: number;
  updatedAt: number;
}

/**
 * Suggestions and membership requests in storage (migration 0043). The database keeps at most one
 * pending suggestion and one pending request per (organization, user). Every status change is one
 * conditional update that happens only while the row is still `pending`, so of two concurrent
 * accepts (or an accept and a reject) exactly one wins and the other is told `false`; decision 003's
 * rule, as for invitations.
 */
export interface MembershipRequestStore {
  /**
   * Stores a pending suggestion unless the user already has one for the organization (of any
   * status: an accepted one is not offered again) or is a member. Answers whether it was stored.
   */
  createSuggestion(suggestion: OrganizationSuggestion): Promise<boolean>;
  findSuggestion(userId: string, id: string): Promise<OrganizationSuggestion | null>;
  /** A user's suggestions, newest first; pending ones only while the user is not a member of the organization. */
  listSuggestions(options: {
    userId: string;
    statuses: SuggestionStatus[];
    limit: number;
    offset: number;
  }): Promise<Page<OrganizationSuggestion>>;
  /** Moves a pending suggestion to `accepted`; false when it was not pending any more. */
  acceptSuggestion(id: string, now: number): Promise<boolean>;
  /** Removes the pending suggestions a domain made; answers how many. */
  deletePendingSuggestionsForDomain(domainId: string): Promise<number>;
  /** Pending suggestions per domain (of users not members since), for the domains' `total_pending_suggestions`. */
  countPendingSuggestions(domainIds: string[]): Promise<Map<string, number>>;

  /** Stores a pending request; a second pending one of the user for the organization is a `UniqueViolation`. */
  createMembershipRequest(request: MembershipRequest): Promise<void>;
  findMembershipRequest(orgId: string, id: string): Promise<MembershipRequest | null>;
  /** An organization's requests, newest first. */
  listMembershipRequests(options: {
    orgId: string;
    statuses: MembershipRequestStatus[];
    limit: number;
    offset: number;
  }): Promise<Page<MembershipRequest>>;
  /** Moves a pending request to `to`; false when it was not pending any more. */
  transitionMembershipRequest(id: string, to: 'accepted' | 'rejected', now: number): Promise<boolean>;
}
