import type { ClerkClient } from '@clerk/backend';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clerkError, startClerkRoster } from './support/clerk.js';
import { errorOf, signIn } from './support/flows.js';
import { json, type TestRoster } from './support/harness.js';

/**
 * The instance's organization settings and role sets through `@clerk/backend`
 * (`clerk.instance.*OrganizationSettings`, `clerk.roleSets`), and that they take effect: the
 * creator's role, new organizations' defaults, who may create organizations, which roles an
 * organization may give (decision 040). One server for the file; each test puts back the
 * settings it changed.
 */

let t: TestRoster;
let clerk: ClerkClient;

beforeAll(async () => {
  ({ t, clerk } = await startClerkRoster({ env: { ROSTER_DEFAULT_MAX_MEMBERSHIPS: '0' } }));
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  await clerk.instance.updateOrganizationSettings({
    enabled: true,
    maxAllowedMemberships: 0,
    adminDeleteEnabled: true,
    creatorRoleId: 'org:admin',
  });
  await t.bapi('PATCH', '/v1/instance/organization_settings', { max_organizations_per_user: 100 });
});

let n = 0;
const tag = Date.now().toString(36);
const unique = (prefix: string) => `${prefix}_${tag}_${++n}`;
const PASSWORD = 'a long and unusual passphrase 42';

async function newUser() {
  const email = `${unique('user')}@example.com`;
  const user = await clerk.users.createUser({ emailAddress: [email], password: PASSWORD });
  return { user, email };
}

/** A role that can manage members (so it may be a creator's role). */
async function managerRole() {
  const manage = await clerk.organizationPermissions.getOrganizationPermission('org:sys_memberships:manage');
  return clerk.organizationRoles.createOrganizationRole({
    name: 'Owner',
    key: `org:${unique('owner')}`,
    permissions: [manage.id],
  });
}

async function creatorRoleOf(orgId: string, userId: string) {
  const page = await clerk.organizations.getOrganizationMembershipList({ organizationId: orgId, userId: [userId] });
  return page.data[0]?.role;
}

describe('instance organization settings', () => {
  it('answers the environment’s defaults in Clerk’s shape', async () => {
    const settings = await clerk.instance.getOrganizationSettings();
    expect(settings).toMatchObject({
      enabled: true,
      maxAllowedMemberships: 0,
      creatorRole: 'org:admin',
      adminDeleteEnabled: true,
      domainsEnabled: true,
      slugDisabled: false,
      domainsDefaultRole: 'org:member',
    });
    expect(settings.domainsEnrollmentModes).toEqual([
      'manual_invitation',
      'automatic_invitation',
      'automatic_suggestion',
    ]);
    const raw = await json(await t.bapi('GET', '/v1/instance/organization_settings'));
    expect(raw).toMatchObject({ object: 'organization_settings', max_organizations_per_user: 100 });
  });

  it('a stored seat limit and admin-delete default apply to new organizations; an explicit limit wins', async () => {
    const updated = await clerk.instance.updateOrganizationSettings({
      maxAllowedMemberships: 5,
      adminDeleteEnabled: false,
    });
    expect(updated).toMatchObject({ maxAllowedMemberships: 5, adminDeleteEnabled: false });
    expect(await clerk.instance.getOrganizationSettings()).toMatchObject({ maxAllowedMemberships: 5 });
    const { user } = await newUser();
    const org = await clerk.organizations.createOrganization({ name: 'Seats', createdBy: user.id });
    expect(org).toMatchObject({ maxAllowedMemberships: 5, adminDeleteEnabled: false });
    const own = await clerk.organizations.createOrganization({ name: 'Own', maxAllowedMemberships: 2 });
    expect(own.maxAllowedMemberships).toBe(2);
  });

  it('the creator gets the creator role, named by id or key; such a role is not deleted', async () => {
    const role = await managerRole();
    expect((await clerk.instance.updateOrganizationSettings({ creatorRoleId: role.id })).creatorRole).toBe(role.key);
    const { user } = await newUser();
    const org = await clerk.organizations.createOrganization({ name: 'Owned', createdBy: user.id });
    expect(await creatorRoleOf(org.id, user.id)).toBe(role.key);
    const inUse = await clerkError(clerk.organizationRoles.deleteOrganizationRole(role.id));
    expect(inUse.status).toBe(422);
    expect(inUse.errors[0]?.code).toBe('organization_role_in_use');
    await clerk.instance.updateOrganizationSettings({ creatorRoleId: 'org:admin' });
    const other = await newUser();
    const next = await clerk.organizations.createOrganization({ name: 'Admin again', createdBy: other.user.id });
    expect(await creatorRoleOf(next.id, other.user.id)).toBe('org:admin');
  });

  it('refuses unknown roles, a creator role that cannot manage members and bad values, changing nothing', async () => {
    const unknown = await clerkError(
      clerk.instance.updateOrganizationSettings({ creatorRoleId: 'org:nobody', enabled: false }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.errors[0]).toMatchObject({
      code: 'form_param_value_invalid',
      meta: { paramName: 'creator_role_id' },
    });
    const domains = await clerkError(clerk.instance.updateOrganizationSettings({ domainsDefaultRoleId: 'role_nope' }));
    expect(domains.errors[0]?.meta?.paramName).toBe('domains_default_role_id');
    const member = await clerkError(clerk.instance.updateOrganizationSettings({ creatorRoleId: 'org:member' }));
    expect(member.errors[0]?.code).toBe('form_param_value_invalid');
    for (const body of [
      { max_allowed_memberships: -1 },
      { domains_enrollment_modes: ['by_magic'] },
      { enabled: 'yes' },
      { max_allowed_roles: 20 },
    ]) {
      const res = await t.bapi('PATCH', '/v1/instance/organization_settings', body);
      expect((await errorOf(res)).status, JSON.stringify(body)).toBe(422);
    }
    expect(await clerk.instance.getOrganizationSettings()).toMatchObject({ enabled: true, creatorRole: 'org:admin' });
  });

  it('enabled:false stops users creating organizations (the secret key still can); the per-user cap is stored too', async () => {
    const { user, email } = await newUser();
    const browser = await signIn(t, email, PASSWORD);
    await clerk.instance.updateOrganizationSettings({ enabled: false });
    const refused = await errorOf(await browser.post('/fapi/v1/organizations', { name: 'Mine' }));
    expect(refused).toMatchObject({ status: 403, code: 'organization_creation_disabled' });
    await clerk.organizations.createOrganization({ name: 'By the app', createdBy: user.id });
    await clerk.instance.updateOrganizationSettings({ enabled: true });
    const capped = await json(
      await t.bapi('PATCH', '/v1/instance/organization_settings', { max_organizations_per_user: 2 }),
    );
    expect(capped.max_organizations_per_user).toBe(2);
    expect((await browser.post('/fapi/v1/organizations', { name: 'Mine' })).status).toBe(200);
    const over = await errorOf(await browser.post('/fapi/v1/organizations', { name: 'One too many' }));
    expect(over).toMatchObject({ status: 403, code: 'organization_quota_exceeded' });
  });
});
