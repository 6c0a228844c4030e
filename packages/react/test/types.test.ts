import { describe, expectTypeOf, it } from 'vitest';
import {
  type Organization,
  type OrganizationInvitation,
  type OrganizationMembership,
  type PaginatedResources,
  type RoleInput,
  type UseOrganizationParams,
  type UserOrganizationInvitation,
  useAuth,
  useOrganization,
  useOrganizationList,
} from '../src/index.js';

/**
 * Compile-time checks of the hooks' types (run by `tsc -p packages/react`). The function is never
 * called: hooks only run inside components.
 */
function useTypeAssertions() {
  const bare = useOrganization();
  expectTypeOf(bare.organization).toEqualTypeOf<Organization | null | undefined>();
  expectTypeOf(bare.membership).toEqualTypeOf<OrganizationMembership | null | undefined>();
  expectTypeOf(bare.invitations).toEqualTypeOf<undefined>();
  expectTypeOf(bare.invitationList).toEqualTypeOf<undefined>();

  const paged = useOrganization({ invitations: { pageSize: 2, status: ['pending'] }, memberships: true });
  expectTypeOf(paged.invitations).toEqualTypeOf<PaginatedResources<OrganizationInvitation>>();
  expectTypeOf(paged.memberships).toEqualTypeOf<PaginatedResources<OrganizationMembership>>();
  expectTypeOf(paged.membershipList).toEqualTypeOf<undefined>();

  // Clerk Core-1, as in the seed component.
  const legacy = useOrganization({ invitationList: {} });
  expectTypeOf(legacy.invitationList).toEqualTypeOf<OrganizationInvitation[] | null | undefined>();

  // A params object the compiler cannot see through gives `| undefined`.
  const params: UseOrganizationParams = {};
  expectTypeOf(useOrganization(params).invitations).toEqualTypeOf<
    PaginatedResources<OrganizationInvitation> | undefined
  >();

  // The seed's `useState<'basic_member' | 'admin'>` role goes straight into inviteMember.
  const seedRole = 'basic_member' as 'basic_member' | 'admin';
  expectTypeOf(seedRole).toExtend<RoleInput>();
  expectTypeOf<Organization['inviteMember']>().parameter(0).toHaveProperty('role').toEqualTypeOf<RoleInput>();
  // Custom roles (`org:billing`) are stored, so any role key type-checks; the server refuses unknown ones.
  void bare.organization?.inviteMember({ emailAddress: 'a@example.com', role: 'org:billing' });

  const lists = useOrganizationList({ userMemberships: true, userInvitations: { status: 'pending' } });
  expectTypeOf(lists.userMemberships).toEqualTypeOf<PaginatedResources<OrganizationMembership>>();
  expectTypeOf(lists.userInvitations).toEqualTypeOf<PaginatedResources<UserOrganizationInvitation>>();
  expectTypeOf(useOrganizationList().userMemberships).toEqualTypeOf<undefined>();

  const auth = useAuth();
  if (auth.isSignedIn) expectTypeOf(auth.userId).toEqualTypeOf<string>();
  else if (auth.isLoaded) expectTypeOf(auth.userId).toEqualTypeOf<null>();
  else expectTypeOf(auth.userId).toEqualTypeOf<undefined>();
}

describe('hook types', () => {
  it('are checked by tsc', () => {
    expectTypeOf(useTypeAssertions).toBeFunction();
  });
});
