import { organizationRoleJSON, pageJSON } from '@roster/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/errors.js';
import { createUser, signIn } from './support/flows.js';
import { json, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * The Frontend API's `GET /fapi/v1/organizations/{id}/roles` (clerk-js's `organization.getRoles()`):
 * the stored roles, built-in first, in Clerk's paginated Role JSON, to anyone who reads or manages
 * the members; refused to outsiders, signed-out callers and roles without either permission.
 */

let t: TestRoster;
beforeAll(async () => {
  t = await startTestRoster();
});
afterAll(async () => {
  await t?.close();
});

const page = pageJSON(organizationRoleJSON);

async function created(res: Promise<Response>) {
  const r = await res;
  if (r.status !== 200) throw new Error(`setup call failed: ${r.status} ${await r.text()}`);
  return json(r);
}

/** A signed-in user who holds `role` in `orgId`. */
async function memberWith(orgId: string, role: string) {
  const email = `${role.replace(/\W/g, '-')}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await createUser(t, email);
  await created(t.bapi('POST', `/v1/organizations/${orgId}/memberships`, { user_id: user.id, role }));
  return signIn(t, email);
}

describe('GET /fapi/v1/organizations/{id}/roles', () => {
  it('lists the built-in roles, then custom ones, as Clerk’s paginated Role JSON, to a plain member', async () => {
    const invoices = await created(
      t.bapi('POST', '/v1/organization_permissions', { name: 'Invoices', key: 'org:invoices:manage' }),
    );
    const billing = await created(
      t.bapi('POST', '/v1/organization_roles', {
        name: 'Billing',
        key: 'org:billing',
        description: 'Sends the invoices',
        permissions: [invoices.id, 'org:sys_memberships:read'],
      }),
    );
    const { org } = await seedOrganization(t, { name: 'Roles Listed' });
    const member = await memberWith(org.id, 'org:member');

    const res = await member.get(`/fapi/v1/organizations/${org.id}/roles`);
    expect(res.status).toBe(200);
    const body = page.parse(await json(res));
    expect(body.total_count).toBe(3);
    expect(body.data.map((r) => [r.key, r.name, r.is_creator_eligible])).toEqual([
      ['org:admin', 'Admin', true],
      ['org:member', 'Member', false],
      ['org:billing', 'Billing', false],
    ]);
    const listed = body.data[2]!;
    expect(listed).toMatchObject({ object: 'role', id: billing.id, description: 'Sends the invoices' });
    expect(listed.permissions.map((p) => [p.key, p.type])).toEqual([
      ['org:invoices:manage', 'user'],
      ['org:sys_memberships:read', 'system'],
    ]);
    expect(listed.created_at).toBe(billing.created_at);
    expect(listed.updated_at).toBe(billing.updated_at);

    // Clerk's pages: limit/offset from initialPage/pageSize; the total counts every role.
    const second = page.parse(await json(await member.get(`/fapi/v1/organizations/${org.id}/roles?limit=2&offset=2`)));
    expect(second).toMatchObject({ total_count: 3, data: [{ key: 'org:billing' }] });
    // By slug too, as the other organization routes.
    const bySlug = await member.get(`/fapi/v1/organizations/${org.slug}/roles?limit=1`);
    expect(page.parse(await json(bySlug)).data.map((r) => r.key)).toEqual(['org:admin']);
  });

  it('needs a membership whose role reads or manages the members', async () => {
    const { org, browser: admin } = await seedOrganization(t, { name: 'Roles Guarded' });
    const other = await seedOrganization(t, { name: 'Elsewhere' });
    const nothing = await created(t.bapi('POST', '/v1/organization_roles', { name: 'Guest', key: 'org:guest' }));
    const manage = await created(
      t.bapi('POST', '/v1/organization_roles', {
        name: 'Manager only',
        key: 'org:manager_only',
        permissions: ['org:sys_memberships:manage'],
      }),
    );
    const path = `/fapi/v1/organizations/${org.id}/roles`;

    expect((await admin.get(path)).status).toBe(200);
    expect((await (await memberWith(org.id, manage.key)).get(path)).status).toBe(200);
    await expectError(await (await memberWith(org.id, nothing.key)).get(path), 403, 'authorization_invalid');
    await expectError(await other.browser.get(path), 403, 'not_a_member_in_organization');
    await expectError(await t.browser().get(path), 401, 'session_invalid');
    await expectError(await admin.get('/fapi/v1/organizations/org_missing/roles'), 404, 'organization_not_found');
    await expectError(await admin.get(`${path}?limit=0`), 422, 'form_param_format_invalid', 'limit');
  });
});
