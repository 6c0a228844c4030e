import { z } from 'zod';
import { emailAddress, paginationQuery } from './schemas.js';

/**
 * How users with an address on a verified domain join (Clerk's modes): not at all by themselves,
 * with a pending invitation made for them, or with a suggestion they turn into a request.
 */
export const ENROLLMENT_MODES = ['manual_invitation', 'automatic_invitation', 'automatic_suggestion'] as const;
export const enrollmentMode = z.enum(ENROLLMENT_MODES);
export type EnrollmentMode = z.infer<typeof enrollmentMode>;

/**
 * A domain name as an organization claims it: lowercase labels of letters, digits and hyphens,
 * at least two of them, the last alphabetic (`acme.com`, `mail.acme.co.uk`). Input is trimmed and
 * lowercased first.
 *
 * @example
 * ```ts
 * domainName.parse(' Acme.COM '); // 'acme.com'
 * ```
 */
export const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'is not a domain name');

/**
 * Body of `POST /v1/organizations/{id}/domains` (Backend API). Clerk's Backend API creates the
 * domain verified unless `verified: false`.
 *
 * @example
 * ```ts
 * createOrganizationDomainBody.parse({ name: 'acme.com', enrollment_mode: 'automatic_invitation' });
 * ```
 */
export const createOrganizationDomainBody = z.strictObject({
  name: domainName,
  enrollment_mode: enrollmentMode.default('manual_invitation'),
  verified: z.boolean().default(true),
});

/**
 * Body of `PATCH /v1/organizations/{id}/domains/{domain_id}`. `delete_pending` (Roster's, as the
 * Frontend API's `update_enrollment_mode` has it) removes the invitations and suggestions the
 * domain made that are still pending.
 *
 * @example
 * ```ts
 * updateOrganizationDomainBody.parse({ enrollment_mode: 'manual_invitation', delete_pending: true });
 * ```
 */
export const updateOrganizationDomainBody = z.strictObject({
  enrollment_mode: enrollmentMode.optional(),
  verified: z.boolean().optional(),
  delete_pending: z.boolean().optional(),
});

/**
 * Query of the domain lists (`/v1/organizations/{id}/domains`, `/v1/organization_domains`).
 *
 * @example
 * ```ts
 * organizationDomainListQuery.parse({ verified: 'true', limit: '20' });
 * ```
 */
export const organizationDomainListQuery = paginationQuery.extend({
  verified: z.enum(['true', 'false']).optional(),
  enrollment_mode: enrollmentMode.optional(),
  organization_id: z.string().max(64).optional(),
});

/** How far the proof of affiliation got (Clerk's `OrganizationDomainVerification`). */
export const organizationDomainVerificationJSON = z.object({
  status: z.enum(['unverified', 'verified']),
  strategy: z.literal('email_code'),
  attempts: z.number().int(),
  expire_at: z.number().int().nullable(),
});

/**
 * Clerk's `OrganizationDomain`, on both APIs.
 *
 * @example
 * ```ts
 * const domain: OrganizationDomainJSON = await (await fetch(`/v1/organizations/${orgId}/domains`)).json();
 * ```
 */
export const organizationDomainJSON = z.object({
  object: z.literal('organization_domain'),
  id: z.string(),
  organization_id: z.string(),
  name: z.string(),
  enrollment_mode: enrollmentMode,
  affiliation_email_address: z.string().nullable(),
  verification: organizationDomainVerificationJSON.nullable(),
  total_pending_invitations: z.number().int(),
  total_pending_suggestions: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type OrganizationDomainJSON = z.infer<typeof organizationDomainJSON>;

/**
 * Body of the Frontend API's `POST /organizations/{id}/domains` (clerk-js `organization.createDomain(name)`):
 * the domain starts unverified (`manual_invitation`) unless the caller already holds a verified address on it.
 *
 * @example
 * ```ts
 * fapiCreateOrganizationDomainBody.parse({ name: 'acme.com' });
 * ```
 */
export const fapiCreateOrganizationDomainBody = z.strictObject({ name: domainName });

/**
 * Body of `…/domains/{domain_id}/prepare_affiliation_verification`: the address on the domain that
 * gets the six-digit code.
 *
 * @example
 * ```ts
 * prepareAffiliationVerificationBody.parse({ affiliation_email_address: 'ada@acme.com' });
 * ```
 */
export const prepareAffiliationVerificationBody = z.strictObject({ affiliation_email_address: emailAddress });

/**
 * Body of `…/domains/{domain_id}/attempt_affiliation_verification`: the code that came in the mail.
 *
 * @example
 * ```ts
 * attemptAffiliationVerificationBody.parse({ code: '042137' });
 * ```
 */
export const attemptAffiliationVerificationBody = z.strictObject({ code: z.string().trim().min(4).max(12) });

/**
 * Body of `…/domains/{domain_id}/update_enrollment_mode` (clerk-js `domain.updateEnrollmentMode`):
 * `delete_pending` also removes the pending invitations and suggestions the domain made.
 *
 * @example
 * ```ts
 * updateEnrollmentModeBody.parse({ enrollment_mode: 'manual_invitation', delete_pending: true });
 * ```
 */
export const updateEnrollmentModeBody = z.strictObject({
  enrollment_mode: enrollmentMode,
  delete_pending: z.boolean().optional(),
});
