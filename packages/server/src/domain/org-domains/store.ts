import type { EnrollmentMode } from '@roster/protocol';
import type { Invitation, Page } from '../records.js';

/** An organization's claim on an email domain (Clerk's `OrganizationDomain`). */
export interface OrganizationDomain {
  id: string;
  organizationId: string;
  /** Lowercase (`acme.com`). */
  name: string;
  enrollmentMode: EnrollmentMode;
  verified: boolean;
  /** The address whose mailbox proved affiliation (null: verified by the Backend API, or not yet). */
  affiliationEmailAddress: string | null;
  /** Tries spent on the current affiliation code. */
  verificationAttempts: number;
  /** When the current affiliation code expires (null: none was sent). */
  verificationExpiresAt: number | null;
  /** The current affiliation code's hash (null: none outstanding). */
  verificationCodeHash: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * What the domain functions need from storage for organization domains. The database keeps the
 * two rules that must hold under concurrency: one domain of a name per organization, and one
 * verified domain of a name per instance (both surface as `UniqueViolation`).
 */
export interface OrgDomainStore {
  createOrganizationDomain(domain: OrganizationDomain): Promise<void>;
  findOrganizationDomain(orgId: string, id: string): Promise<OrganizationDomain | null>;
  /** The verified domain of this name, in whichever organization holds it. */
  findVerifiedDomainByName(name: string): Promise<OrganizationDomain | null>;
  listOrganizationDomains(options: {
    orgId?: string;
    verified?: boolean;
    enrollmentMode?: EnrollmentMode;
    limit: number;
    offset: number;
  }): Promise<Page<OrganizationDomain>>;
  countOrganizationDomains(orgId: string): Promise<number>;
  updateOrganizationDomain(
    id: string,
    patch: Partial<Omit<OrganizationDomain, 'id' | 'organizationId' | 'name' | 'createdAt'>>,
  ): Promise<void>;
  deleteOrganizationDomain(id: string): Promise<boolean>;
  /**
   * Spends one try of the domain's outstanding affiliation code, in one conditional update: only
   * while a code is outstanding, unexpired and has tries left, so parallel guesses share the tries.
   * Returns the domain as the update left it, or null when no try was left to take.
   */
  takeAffiliationAttempt(id: string, options: { now: number; maxAttempts: number }): Promise<OrganizationDomain | null>;
  /** How many pending (unexpired at `now`) invitations each domain made, by domain id (absent: none). */
  countPendingInvitationsMadeBy(domainIds: string[], now: number): Promise<Map<string, number>>;
  /** The pending invitations the domain made (expired ones included: revoking them withdraws their mail too). */
  listPendingInvitationsMadeBy(domainId: string): Promise<Invitation[]>;
  /** Every verified address on the domain `name` (`…@acme.com`), with its user: who a newly enrolling domain reaches. */
  listVerifiedAddressesOn(name: string): Promise<{ userId: string; email: string }[]>;
}
