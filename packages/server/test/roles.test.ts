import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from './support/flows.js';
import { json, PUBLIC_URL, SECRET_KEY, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * Custom roles and permissions through `@clerk/backend` against a Roster on a real port: a
 * permission and a role made with Clerk's client, given on invite, carried into the membership and
 * its session token, honoured by Clerk's `authenticateRequest(...).toAuth().has()` and by the
 * server's own checks; a role in use cannot be deleted; whoever holds `org:sys_memberships:manage`
 * counts as an admin for the last-admin rule.
 */

let t: TestRoster;
let clerk: ClerkClient;
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  const url = await t.roster.listen();
  clerk = createClerkClient({
    secretKey: SECRET_KEY,
    apiUrl: url,
    publishableKey: `pk_test_${Buffer.from('roster.test$').toString('base64')}`,
    telemetry: { disabled: true },
  });
});
afterAll(async () => {
  await t?.close();
});

async function apiError(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (isClerkAPIResponseError(error)) return { status: error.status, code: error.errors[0]?.code };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A custom permission and a role granting it, made with Clerk's client. */
async function billingRole(extra: string[] = []) {
  const feature = unique('invoices').replace(/-/g, '_');
  const permission = await clerk.organizationPermissions.createOrganizationPermission({
    name: 'Create invoices',
    key: `org:${feature}:create`,
    description: 'Bill customers',
  });
  const role = await clerk.organizationRoles.createOrganizationRole({
    name: 'Billing',
    key: `org:${unique('billing').replace(/-/g, '_')}`,
    permissions: [permission.id, ...extra],
  });
  return { permission, role };
}

/** A new user invited with `role`, accepting while signed in; their browser and membership. */
async function joinAs(orgId: string, role: string) {
  const email = `${unique('member')}@example.com`;
  await createUser(t, email);
  const invitation = await clerk.organizations.createOrganizationInvitation({
    organizationId: orgId,
    emailAddress: email,
    role,
  });
  expect(invitation.role).toBe(role);
  const browser = await signIn(t, email);
  const accepted = await browser.post(`/fapi/v1/me/organization_invitations/${invitation.id}/accept`);
  expect(accepted.status).toBe(200);
  return { browser, membership: await json(accepted) };
}

async function tokenOf(browser: ReturnType<TestRoster['browser']>, orgId: string) {
  const me = await json(await browser.get('/fapi/v1/me'));
  await browser.post('/fapi/v1/me/active_organization', { organization_id: orgId });
  return (await json(await browser.post(`/fapi/v1/client/sessions/${me.session.id}/tokens`))).jwt as string;
}

describe('organization permissions and roles', () => {
  it('lists the system permissions and the built-in roles with what they grant', async () => {
    const permissions = await clerk.organizationPermissions.getOrganizationPermissionList({ limit: 100 });
    const system = permissions.data.filter((p) => p.key.startsWith('org:sys_')).map((p) => p.key);
    expect(system.sort()).toEqual([
      'org:sys_domains:manage',
      'org:sys_domains:read',
      'org:sys_memberships:manage',
      'org:sys_memberships:read',
      'org:sys_profile:delete',
      'org:sys_profile:manage',
    ]);
    const roles = await clerk.organizationRoles.getOrganizationRoleList({ query: 'org:member' });
    expect(roles.data.map((r) => [r.key, r.name, r.permissions.map((p) => p.key)])).toEqual([
      ['org:member', 'Member', ['org:sys_memberships:read']],
    ]);
    const admin = await clerk.organizationRoles.getOrganizationRole('role_admin');
    expect(admin.permissions).toHaveLength(6);
  });

  it('gives a custom role on invite; the membership, the token and has() carry its permission', async () => {
    const { permission, role } = await billingRole();
    const { org } = await seedOrganization(t);
    const { browser, membership } = await joinAs(org.id, role.key);
    expect(membership).toMatchObject({ role: role.key, role_name: 'Billing', permissions: [permission.key] });
    const listed = await clerk.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      role: [role.key],
    });
    expect(listed.data.map((m) => m.permissions)).toEqual([[permission.key]]);

    const token = await tokenOf(browser, org.id);
    const [, feature] = permission.key.split(':');
    expect(decodeJwt(token)).toMatchObject({
      o: { rol: role.key.slice(4), per: 'create', fpm: '1' },
      fea: `o:${feature}`,
    });
    const state = await clerk.authenticateRequest(
      new Request('http://app.test/api/invoices', { headers: { authorization: `Bearer ${token}` } }),
      { authorizedParties: [PUBLIC_URL] },
    );
    const auth = state.toAuth() as unknown as { has: (check: { permission?: string; role?: string }) => boolean };
    expect(auth.has({ permission: permission.key })).toBe(true);
    expect(auth.has({ role: role.key })).toBe(true);
    expect(auth.has({ permission: 'org:sys_memberships:read' })).toBe(false);

    // The server's checks read the stored role: without org:sys_memberships:read, no member list.
    expect((await browser.get(`/fapi/v1/organizations/${org.id}/memberships`)).status).toBe(403);
    const read = await clerk.organizationPermissions.getOrganizationPermission('perm_sys_memberships_read');
    await clerk.organizationRoles.assignPermissionToOrganizationRole({
      organizationRoleId: role.id,
      permissionId: read.id,
    });
    expect((await browser.get(`/fapi/v1/organizations/${org.id}/memberships`)).status).toBe(200);

    // Taking a permission away shows in the member's next token.
    await clerk.organizationRoles.removePermissionFromOrganizationRole({
      organizationRoleId: role.id,
      permissionId: permission.id,
    });
    expect(decodeJwt(await tokenOf(browser, org.id))).toMatchObject({ o: { per: 'read' }, fea: 'o:sys_memberships' });
  });

  it('refuses to delete a role in use, and deletes it once nobody holds it', async () => {
    const { role } = await billingRole();
    const { org } = await seedOrganization(t);
    const { membership } = await joinAs(org.id, role.key);
    expect(await apiError(clerk.organizationRoles.deleteOrganizationRole(role.id))).toEqual({
      status: 422,
      code: 'organization_role_in_use',
    });
    // A pending invitation holds it too.
    const pending = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: `${unique('later')}@example.com`,
      role: role.key,
    });
    await clerk.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: membership.public_user_data.user_id,
      role: 'org:member',
    });
    expect((await apiError(clerk.organizationRoles.deleteOrganizationRole(role.id))).code).toBe(
      'organization_role_in_use',
    );
    await clerk.organizations.revokeOrganizationInvitation({ organizationId: org.id, invitationId: pending.id });
    expect(await clerk.organizationRoles.deleteOrganizationRole(role.id)).toMatchObject({ id: role.id, deleted: true });
    expect((await apiError(clerk.organizationRoles.getOrganizationRole(role.id))).status).toBe(404);
    // The built-in roles are the creator's and new members': never deleted.
    expect((await apiError(clerk.organizationRoles.deleteOrganizationRole('role_member'))).code).toBe(
      'organization_role_in_use',
    );
  });

  it('refuses unknown roles, reserved and duplicate keys, and changes to system permissions', async () => {
    const { org } = await seedOrganization(t);
    const unknown = clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: `${unique('x')}@example.com`,
      role: 'org:no_such_role',
    });
    expect(await apiError(unknown)).toEqual({ status: 422, code: 'form_param_value_invalid' });
    const reserved = clerk.organizationPermissions.createOrganizationPermission({ name: 'x', key: 'org:sys_x:do' });
    expect((await apiError(reserved)).status).toBe(422);
    const { permission, role } = await billingRole();
    const again = clerk.organizationPermissions.createOrganizationPermission({ name: 'x', key: permission.key });
    expect(await apiError(again)).toEqual({ status: 422, code: 'permission_key_exists' });
    const twice = clerk.organizationRoles.createOrganizationRole({ name: 'x', key: role.key });
    expect(await apiError(twice)).toEqual({ status: 422, code: 'organization_role_key_exists' });
    const system = clerk.organizationPermissions.deleteOrganizationPermission('perm_sys_profile_manage');
    expect(await apiError(system)).toEqual({ status: 403, code: 'system_permission_immutable' });
    const missing = clerk.organizationRoles.createOrganizationRole({
      name: 'x',
      key: 'org:x_y',
      permissions: ['perm_nope'],
    });
    expect((await apiError(missing)).status).toBe(404);
  });

  it('counts any holder of org:sys_memberships:manage as an admin for the last-admin rule', async () => {
    const manage = await clerk.organizationPermissions.getOrganizationPermission('perm_sys_memberships_manage');
    const { role: manager } = await billingRole([manage.id]);
    const { org, user: admin } = await seedOrganization(t);
    const demote = (userId: string) =>
      clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId, role: 'org:member' });
    expect((await apiError(demote(admin.id))).code).toBe('organization_minimum_permissions_needed');
    const { membership } = await joinAs(org.id, manager.key);
    await demote(admin.id);
    // Now the custom role's holder is the last one who can manage members.
    expect((await apiError(demote(membership.public_user_data.user_id))).code).toBe(
      'organization_minimum_permissions_needed',
    );
  });

  it('renaming a role key carries it to its members', async () => {
    const { role } = await billingRole();
    const { org } = await seedOrganization(t);
    const { membership } = await joinAs(org.id, role.key);
    const key = `org:${unique('renamed').replace(/-/g, '_')}`;
    const updated = await clerk.organizationRoles.updateOrganizationRole({
      organizationRoleId: role.id,
      key,
      name: 'Finance',
    });
    expect(updated).toMatchObject({ key, name: 'Finance' });
    const listed = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, role: [key] });
    expect(listed.data.map((m) => [m.id, m.role])).toEqual([[membership.id, key]]);
  });
});
