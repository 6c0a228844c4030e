import type { OrganizationDomainJSON } from '@roster/protocol';
import type { OrganizationDomain } from '../domain/org-domains/store.js';

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
