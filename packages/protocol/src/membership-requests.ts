import { z } from 'zod';
import { paginationQuery } from './schemas.js';
import { publicOrganizationDataJSON } from './wire.js';

export const suggestionStatus = z.enum(['pending', 'accepted']);
export const membershipRequestStatus = z.enum(['pending', 'accepted', 'rejected']);

/**
 * Clerk's `OrganizationSuggestion` (Frontend API): an organization a verified domain suggests to
 * the signed-in user. Accepting it makes a membership request.
 *
 * @example
 * ```ts
 * const page = await (await fetch('/fapi/v1/me/organization_suggestions')).json();
 * const s: OrganizationSuggestionJSON = page.data[0];
 * ```
 */
export const organizationSuggestionJSON = z.object({
  object: z.literal('organization_suggestion'),
  id: z.string(),
  status: suggestionStatus,
  public_organization_data: publicOrganizationDataJSON,
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type OrganizationSuggestionJSON = z.infer<typeof organizationSuggestionJSON>;

/** The requester as a membership request shows them (Clerk's `public_user_data`). */
export const requesterPublicDataJSON = z.object({
  user_id: z.string(),
  identifier: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  image_url: z.string(),
  has_image: z.boolean(),
});

/**
 * Clerk's `OrganizationMembershipRequest`, on the Frontend API and Roster's Backend API mirror.
 *
 * @example
 * ```ts
 * const r: OrganizationMembershipRequestJSON = await (await fetch(`/fapi/v1/organizations/${id}/membership_requests/${rid}/accept`, { method: 'POST' })).json();
 * ```
 */
export const organizationMembershipRequestJSON = z.object({
  object: z.literal('organization_membership_request'),
  id: z.string(),
  organization_id: z.string(),
  status: membershipRequestStatus,
  public_user_data: requesterPublicDataJSON,
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type OrganizationMembershipRequestJSON = z.infer<typeof organizationMembershipRequestJSON>;

/**
 * Query of `GET /fapi/v1/me/organization_suggestions`: `status` repeated for several (default pending).
 *
 * @example
 * ```ts
 * organizationSuggestionListQuery.parse({ status: ['pending', 'accepted'] });
 * ```
 */
export const organizationSuggestionListQuery = paginationQuery.extend({
  status: z.array(suggestionStatus).max(2).optional(),
});

/**
 * Query of the membership request lists (`status` default pending).
 *
 * @example
 * ```ts
 * membershipRequestListQuery.parse({ status: 'rejected', limit: '20' });
 * ```
 */
export const membershipRequestListQuery = paginationQuery.extend({
  status: z.array(membershipRequestStatus).max(3).optional(),
});
