import type { ClerkClient } from '@clerk/backend';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrations.js';
import { clerkError, startClerkRoster } from './support/clerk.js';
import { createTestDatabase } from './support/database.js';
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

/** A role made with Clerk's client (`include`: whether it joins the initial role set). */
async function role(name: string, permissions: string[] = [], include?: boolean) {
  return clerk.organizationRoles.createOrganizationRole({
    name,
    key: `org:${unique(name.toLowerCase())}`,
    permissions,
    ...(include !== undefined && { includeInInitialRoleSet: include }),
  });
}

/** An organization made with the secret key (Clerk's client has no `role_set_key` on create). */
async function orgWith(createdBy: string, roleSetKey?: string) {
  const res = await t.bapi('POST', '/v1/organizations', {
    name: unique('Org'),
    created_by: createdBy,
    ...(roleSetKey && { role_set_key: roleSetKey }),
  });
  expect(res.status).toBe(200);
  return json(res);
}

const roleSetKeyOf = async (orgId: string) =>
  (await json(await t.bapi('GET', `/v1/organizations/${orgId}`))).role_set_key;

describe('role sets', () => {
  it('seeds role_set:default (admin and member) as the initial set that new organizations get', async () => {
    const set = await clerk.roleSets.getRoleSet('role_set:default');
    expect(set).toMatchObject({ key: 'role_set:default', type: 'initial', roleSetMigration: null });
    expect(set.roles.map((r) => r.key)).toEqual(expect.arrayContaining(['org:admin', 'org:member']));
    expect(set.defaultRole?.key).toBe('org:member');
    expect(set.creatorRole?.key).toBe('org:admin');
    expect((await clerk.roleSets.getRoleSet(set.id)).key).toBe(set.key);
    const raw = await json(await t.bapi('GET', '/v1/instance/organization_settings'));
    expect(raw.initial_role_set_key).toBe('role_set:default');
    const { user } = await newUser();
    const org = await orgWith(user.id);
    expect(org.role_set_key).toBe('role_set:default');
    const page = await clerk.roleSets.getRoleSetList({ query: 'default' });
    expect(page.totalCount).toBe(1);
    expect(page.data[0]?.key).toBe('role_set:default');
    const missing = await clerkError(clerk.roleSets.getRoleSet('role_set:nothing_here'));
    expect(missing.status).toBe(404);
  });

  it('a custom set decides the creator’s role and which roles the organization may give', async () => {
    const owner = await role('Owner', ['org:sys_memberships:manage', 'org:sys_memberships:read']);
    const key = `role_set:${unique('support')}`;
    const set = await clerk.roleSets.createRoleSet({
      name: 'Support teams',
      key,
      description: 'Owners and members',
      roles: ['org:member', owner.key],
      defaultRoleKey: 'org:member',
      creatorRoleKey: owner.key,
    });
    expect(set).toMatchObject({ key, type: 'custom', description: 'Owners and members' });
    expect(set.roles.map((r) => r.key)).toEqual(['org:member', owner.key]);
    expect(set.creatorRole?.key).toBe(owner.key);
    const { user } = await newUser();
    const org = await orgWith(user.id, key);
    expect(org.role_set_key).toBe(key);
    expect(await creatorRoleOf(org.id, user.id)).toBe(owner.key);

    const other = await newUser();
    const outside = await clerkError(
      clerk.organizations.createOrganizationMembership({
        organizationId: org.id,
        userId: other.user.id,
        role: 'org:admin',
      }),
    );
    expect(outside.status).toBe(422);
    expect(outside.errors[0]).toMatchObject({ code: 'organization_role_not_in_role_set', meta: { paramName: 'role' } });
    const invite = await clerkError(
      clerk.organizations.createOrganizationInvitation({
        organizationId: org.id,
        emailAddress: `${unique('invitee')}@example.com`,
        role: 'org:admin',
      }),
    );
    expect(invite.errors[0]?.code).toBe('organization_role_not_in_role_set');
    await clerk.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: other.user.id,
      role: 'org:member',
    });
    const promote = await clerkError(
      clerk.organizations.updateOrganizationMembership({
        organizationId: org.id,
        userId: other.user.id,
        role: 'org:admin',
      }),
    );
    expect(promote.errors[0]?.code).toBe('organization_role_not_in_role_set');
    // The Frontend API's role selects show the set's roles only.
    const browser = await signIn(t, (await clerk.users.getUser(user.id)).emailAddresses[0]!.emailAddress, PASSWORD);
    const listed = await json(await browser.get(`/fapi/v1/organizations/${org.id}/roles`));
    expect(listed.data.map((r: { key: string }) => r.key).sort()).toEqual(['org:member', owner.key].sort());
    // The set counts who holds each role in its organizations.
    const counted = await clerk.roleSets.getRoleSet(key);
    expect(counted.roles.map((r) => [r.key, r.membersCount, r.hasMembers])).toEqual([
      ['org:member', 1, true],
      [owner.key, 1, true],
    ]);

    // Adding a role lets the organization give it.
    const added = await clerk.roleSets.addRolesToRoleSet({ roleSetKeyOrId: key, roleKeys: ['org:admin'] });
    expect(added.roles.map((r) => r.key)).toContain('org:admin');
    await clerk.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: other.user.id,
      role: 'org:admin',
    });
  });

  it('refuses bad sets with Clerk-style errors', async () => {
    const base = {
      name: 'Bad',
      roles: ['org:member', 'org:admin'],
      defaultRoleKey: 'org:member',
      creatorRoleKey: 'org:admin',
    };
    const notIn = await clerkError(clerk.roleSets.createRoleSet({ ...base, defaultRoleKey: 'org:nobody' }));
    expect(notIn.errors[0]).toMatchObject({
      code: 'organization_role_not_in_role_set',
      meta: { paramName: 'default_role_key' },
    });
    const unknown = await clerkError(clerk.roleSets.createRoleSet({ ...base, roles: ['org:member', 'org:nobody'] }));
    expect(unknown.errors[0]).toMatchObject({ code: 'form_param_value_invalid', meta: { paramName: 'roles.1' } });
    const creator = await clerkError(clerk.roleSets.createRoleSet({ ...base, creatorRoleKey: 'org:member' }));
    expect(creator.errors[0]?.code).toBe('form_param_value_invalid');
    const taken = await clerkError(clerk.roleSets.createRoleSet({ ...base, key: 'role_set:default' }));
    expect(taken.errors[0]?.code).toBe('role_set_key_exists');
    const key = await clerkError(clerk.roleSets.createRoleSet({ ...base, key: 'Bad Key' }));
    expect(key.status).toBe(422);
    const many = await clerkError(clerk.roleSets.createRoleSet({ ...base, roles: Array(11).fill('org:member') }));
    expect(many.status).toBe(422);
    const none = await clerkError(clerk.roleSets.createRoleSet({ ...base, roles: [] }));
    expect(none.status).toBe(422);
    const notMember = await clerkError(
      clerk.roleSets.updateRoleSet({ roleSetKeyOrId: 'role_set:default', defaultRoleKey: 'org:nobody' }),
    );
    expect(notMember.errors[0]?.code).toBe('organization_role_not_in_role_set');
    const gone = await clerkError(
      clerk.roleSets.addRolesToRoleSet({ roleSetKeyOrId: 'rs_nothing', roleKeys: ['org:member'] }),
    );
    expect(gone.status).toBe(404);
  });

  it('renames and re-keys a set (its organizations follow), makes another initial, lists and orders', async () => {
    const key = `role_set:${unique('alpha')}`;
    const set = await clerk.roleSets.createRoleSet({
      name: 'Alpha',
      key,
      roles: ['org:admin', 'org:member'],
      defaultRoleKey: 'org:member',
      creatorRoleKey: 'org:admin',
    });
    const { user } = await newUser();
    const org = await orgWith(user.id, key);
    const rekeyed = `${key}_renamed`;
    const updated = await clerk.roleSets.updateRoleSet({ roleSetKeyOrId: set.id, name: 'Alpha renamed', key: rekeyed });
    expect(updated).toMatchObject({ name: 'Alpha renamed', key: rekeyed });
    expect(await roleSetKeyOf(org.id)).toBe(rekeyed);

    const initial = await clerk.roleSets.updateRoleSet({
      roleSetKeyOrId: rekeyed,
      type: 'initial',
      defaultRoleKey: 'org:admin',
    });
    expect(initial).toMatchObject({ type: 'initial' });
    expect((await clerk.roleSets.getRoleSet('role_set:default')).type).toBe('custom');
    const raw = await json(await t.bapi('GET', '/v1/instance/organization_settings'));
    expect(raw.initial_role_set_key).toBe(rekeyed);
    const fresh = await orgWith((await newUser()).user.id);
    expect(fresh.role_set_key).toBe(rekeyed);
    await clerk.roleSets.updateRoleSet({ roleSetKeyOrId: 'role_set:default', type: 'initial' });
    expect((await clerk.roleSets.getRoleSet(rekeyed)).type).toBe('custom');

    const byName = await clerk.roleSets.getRoleSetList({ orderBy: '+name', limit: 100 });
    const names = byName.data.map((s) => s.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(byName.totalCount).toBe(byName.data.length);
    const paged = await clerk.roleSets.getRoleSetList({ orderBy: '-created_at', limit: 1, offset: 1 });
    expect(paged.data).toHaveLength(1);
    expect(paged.totalCount).toBe(byName.totalCount);
    const order = await t.bapi('GET', '/v1/role_sets?order_by=members');
    expect((await errorOf(order)).status).toBe(422);
  });

  it('replacing a role moves its holders (and pending invitations) to another role of the set; the last manager stays', async () => {
    const owner = await role('Lead', ['org:sys_memberships:manage']);
    const helper = await role('Helper', ['org:sys_memberships:read']);
    const key = `role_set:${unique('team')}`;
    await clerk.roleSets.createRoleSet({
      name: 'Team',
      key,
      roles: ['org:admin', 'org:member', owner.key, helper.key],
      defaultRoleKey: 'org:member',
      creatorRoleKey: 'org:admin',
    });
    const lead = await newUser();
    const org = await orgWith(lead.user.id, key);
    // The only manager holds `owner` (the creator is moved to it).
    await clerk.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: lead.user.id,
      role: owner.key,
    });
    const member = await newUser();
    await clerk.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: member.user.id,
      role: 'org:member',
    });
    const invitation = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id,
      emailAddress: `${unique('pending')}@example.com`,
      role: 'org:member',
    });

    const lastManager = await clerkError(
      clerk.roleSets.replaceRoleInRoleSet({ roleSetKeyOrId: key, roleKey: owner.key, toRoleKey: helper.key }),
    );
    expect(lastManager.errors[0]?.code).toBe('organization_minimum_permissions_needed');
    const same = await clerkError(
      clerk.roleSets.replaceRoleInRoleSet({ roleSetKeyOrId: key, roleKey: helper.key, toRoleKey: helper.key }),
    );
    expect(same.status).toBe(422);

    const replaced = await clerk.roleSets.replaceRoleInRoleSet({
      roleSetKeyOrId: key,
      roleKey: 'org:member',
      toRoleKey: helper.key,
    });
    expect(replaced.roles.map((r) => r.key)).not.toContain('org:member');
    expect(replaced.defaultRole?.key).toBe(helper.key);
    expect(await creatorRoleOf(org.id, member.user.id)).toBe(helper.key);
    const pending = await clerk.organizations.getOrganizationInvitation({
      organizationId: org.id,
      invitationId: invitation.id,
    });
    expect(pending.role).toBe(helper.key);
    // Organizations of other sets keep their members' roles.
    const { user } = await newUser();
    const elsewhere = await orgWith(user.id);
    const kept = await newUser();
    await clerk.organizations.createOrganizationMembership({
      organizationId: elsewhere.id,
      userId: kept.user.id,
      role: 'org:member',
    });
    expect(await creatorRoleOf(elsewhere.id, kept.user.id)).toBe('org:member');
  });

  it('replacing a set moves its organizations, remapping the roles the destination lacks', async () => {
    const auditor = await role('Auditor', ['org:sys_memberships:read'], false);
    expect((await clerk.roleSets.getRoleSet('role_set:default')).roles.map((r) => r.key)).not.toContain(auditor.key);
    const key = `role_set:${unique('audit')}`;
    const set = await clerk.roleSets.createRoleSet({
      name: 'Audit',
      key,
      roles: ['org:admin', auditor.key],
      defaultRoleKey: auditor.key,
      creatorRoleKey: 'org:admin',
    });
    const admin = await newUser();
    const org = await orgWith(admin.user.id, key);
    const member = await newUser();
    await clerk.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: member.user.id,
      role: auditor.key,
    });
    // A default-set organization cannot give the auditor role at all.
    const plain = await orgWith((await newUser()).user.id);
    const refused = await clerkError(
      clerk.organizations.createOrganizationMembership({
        organizationId: plain.id,
        userId: member.user.id,
        role: auditor.key,
      }),
    );
    expect(refused.errors[0]?.code).toBe('organization_role_not_in_role_set');

    const unmapped = await clerkError(
      clerk.roleSets.replaceRoleSet({ roleSetKeyOrId: key, destRoleSetKey: 'role_set:default' }),
    );
    expect(unmapped.status).toBe(422);
    expect(unmapped.errors[0]).toMatchObject({
      code: 'role_set_reassignment_required',
      meta: { paramName: 'reassignment_mappings' },
    });
    const listed = await errorOf(
      await t.bapi('POST', `/v1/role_sets/${key}/replace`, { dest_role_set_key: 'role_set:default' }),
    );
    expect(listed.meta.role_keys).toEqual([auditor.key]);
    const wrongTarget = await clerkError(
      clerk.roleSets.replaceRoleSet({
        roleSetKeyOrId: key,
        destRoleSetKey: 'role_set:default',
        reassignmentMappings: { [auditor.key]: auditor.key },
      }),
    );
    expect(wrongTarget.errors[0]?.code).toBe('organization_role_not_in_role_set');
    const itself = await clerkError(clerk.roleSets.replaceRoleSet({ roleSetKeyOrId: key, destRoleSetKey: key }));
    expect(itself.status).toBe(422);
    const nowhere = await clerkError(
      clerk.roleSets.replaceRoleSet({ roleSetKeyOrId: key, destRoleSetKey: 'role_set:nowhere' }),
    );
    expect(nowhere.status).toBe(404);
    // A role a set names as its default is in use.
    const inUse = await clerkError(clerk.organizationRoles.deleteOrganizationRole(auditor.id));
    expect(inUse.errors[0]?.code).toBe('organization_role_in_use');

    const deleted = await clerk.roleSets.replaceRoleSet({
      roleSetKeyOrId: key,
      destRoleSetKey: 'role_set:default',
      reassignmentMappings: { [auditor.key]: 'org:member' },
    });
    expect(deleted).toMatchObject({ object: 'role_set', id: set.id, deleted: true });
    expect(await roleSetKeyOf(org.id)).toBe('role_set:default');
    expect(await creatorRoleOf(org.id, member.user.id)).toBe('org:member');
    expect(await creatorRoleOf(org.id, admin.user.id)).toBe('org:admin');
    expect((await clerkError(clerk.roleSets.getRoleSet(key))).status).toBe(404);
    // Nobody holds the auditor role now and no set names it: it can go.
    await clerk.organizationRoles.deleteOrganizationRole(auditor.id);
  });
});

describe('migration 0041 (role sets)', () => {
  it('puts every existing role and organization in role_set:default, taking over a stored creator role', async () => {
    const database = await createTestDatabase();
    const handle = openDatabase(database.url);
    try {
      const db = handle.db;
      await migrate(db as never, handle.dialect, { to: '0036_bapi_lists' });
      const now = Date.now();
      await sql`insert into organizations (id, name, slug, max_allowed_memberships, admin_delete_enabled, created_by, public_metadata, private_metadata, created_at, updated_at)
        values ('org_old', 'Old', 'old', 0, 1, null, '{}', '{}', ${now}, ${now})`.execute(db);
      await sql`insert into roles (id, key, name, description, created_at, updated_at)
        values ('role_custom', 'org:custom', 'Custom', null, ${now}, ${now})`.execute(db);
      await sql`insert into instance_settings (key, value) values ('organizations.creator_role_id', '"role_custom"')`.execute(
        db,
      );

      await migrate(db as never, handle.dialect);
      const sets = await sql<{ key: string; type: string; default_role_id: string; creator_role_id: string }>`
        select key, type, default_role_id, creator_role_id from role_sets`.execute(db);
      expect(sets.rows).toEqual([
        { key: 'role_set:default', type: 'initial', default_role_id: 'role_member', creator_role_id: 'role_custom' },
      ]);
      const roles = await sql<{ role_id: string }>`select role_id from role_set_roles order by role_id`.execute(db);
      expect(roles.rows.map((r) => r.role_id)).toEqual(['role_admin', 'role_custom', 'role_member']);
      const org = await sql<{
        role_set_key: string;
      }>`select role_set_key from organizations where id = 'org_old'`.execute(db);
      expect(org.rows[0]?.role_set_key).toBe('role_set:default');
      const left = await sql<{ key: string }>`select key from instance_settings`.execute(db);
      expect(left.rows).toEqual([]);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
