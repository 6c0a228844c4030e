import type { OrganizationMembershipRequestJSON, OrganizationSuggestionJSON } from '@roster/protocol';
import { AppError } from '../domain/errors.js';
import type { MembershipRequest, OrganizationSuggestion } from '../domain/membership-requests/store.js';
import type { Store } from '../domain/store.js';
import { publicOrganizationData } from './serialize.js';

/** Clerk's `OrganizationSuggestion` JSON, the organization's public data read in one go. */
export async function serializeSuggestions(
  store: Store,
  suggestions: OrganizationSuggestion[],
): Promise<OrganizationSuggestionJSON[]> {
  const ids = [...new Set(suggestions.map((s) => s.organizationId))];
  const orgs = await Promise.all(ids.map((id) => store.findOrganization(id)));
  return suggestions.map((s) => {
    const org = orgs.find((o) => o?.id === s.organizationId);
    // Gone since the suggestion was read (its rows go with it): the clear 404.
    if (!org) throw new AppError('organization_not_found', { meta: { id_or_slug: s.organizationId } });
    return {
      object: 'organization_suggestion',
      id: s.id,
      status: s.status,
      public_organization_data: publicOrganizationData(org),
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    };
  });
}

/** Clerk's `OrganizationMembershipRequest` JSON, the requesters read in one query. */
export async function serializeMembershipRequests(
  store: Store,
  requests: MembershipRequest[],
): Promise<OrganizationMembershipRequestJSON[]> {
  const userIds = [...new Set(requests.map((r) => r.userId))];
  const users = userIds.length ? await store.listUsers({ userIds, limit: userIds.length, offset: 0 }) : [];
  return requests.map((r) => {
    const user = users.find((u) => u.id === r.userId);
    return {
      object: 'organization_membership_request',
      id: r.id,
      organization_id: r.organizationId,
      status: r.status,
      public_user_data: {
        user_id: r.userId,
        identifier: user?.emailAddresses[0]?.email ?? r.userId,
        first_name: user?.firstName ?? null,
        last_name: user?.lastName ?? null,
        image_url: user?.imageUrl ?? '',
        has_image: (user?.imageUrl ?? null) !== null,
      },
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    };
  });
}
