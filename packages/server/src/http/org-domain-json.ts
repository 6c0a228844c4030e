import type { OrganizationDomainJSON } from '@roster/protocol';
import type { MembershipRequestStore } from '../domain/membership-requests/store.js';
import type { OrganizationDomain, OrgDomainStore } from '../domain/org-domains/store.js';
import type { Store } from '../domain/store.js';

/** Pending invitations and suggestions a domain made (its `total_pending_*`). */
export interface DomainPendingCounts {
  invitations: number;
  suggestions: number;
}

/** Clerk's `OrganizationDomain` JSON (the same on both APIs); never the code's hash. */
export function organizationDomainJSON(
  d: OrganizationDomain,
  pending: DomainPendingCounts = { invitations: 0, suggestions: 0 },
): OrganizationDomainJSON {
  const proving = d.verificationExpiresAt !== null;
  return {
    object: 'organization_domain',
    id: d.id,
    organization_id: d.organizationId,
    name: d.name,
    enrollment_mode: d.enrollmentMode,
    affiliation_email_address: d.affiliationEmailAddress,
    verification:
      d.verified || proving
        ? {
            status: d.verified ? 'verified' : 'unverified',
            strategy: 'email_code',
            attempts: d.verificationAttempts,
            expire_at: d.verificationExpiresAt,
          }
        : null,
    total_pending_invitations: pending.invitations,
    total_pending_suggestions: pending.suggestions,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/**
 * Domains as JSON with their real pending counts (the invitations each made that are still
 * pending, and its pending suggestions), one query per kind for the page.
 */
export async function organizationDomainsJSON(
  store: Pick<OrgDomainStore, 'countPendingInvitationsMadeBy'> &
    Pick<MembershipRequestStore, 'countPendingSuggestions'>,
  domains: OrganizationDomain[],
  now: number,
): Promise<OrganizationDomainJSON[]> {
  const ids = domains.map((d) => d.id);
  const [invitations, suggestions] = await Promise.all([
    store.countPendingInvitationsMadeBy(ids, now),
    store.countPendingSuggestions(ids),
  ]);
  return domains.map((d) =>
    organizationDomainJSON(d, { invitations: invitations.get(d.id) ?? 0, suggestions: suggestions.get(d.id) ?? 0 }),
  );
}

/** The counting stores `organizationDomainsJSON` reads, from the instance's store. */
export const domainCounters = (store: Store) => {
  const domains = store.orgDomains();
  const requests = store.membershipRequests();
  return {
    countPendingInvitationsMadeBy: domains.countPendingInvitationsMadeBy.bind(domains),
    countPendingSuggestions: requests.countPendingSuggestions.bind(requests),
  };
};
