import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../../server/test/support/harness.js';
import { isRosterAPIError, PermissionResource, Role } from '../src/index.js';
import { type LiveRoster, startLiveRoster, uniqueEmail } from './support.js';

let live: LiveRoster;
beforeAll(async () => {
  live = await startLiveRoster();
});
afterAll(async () => {
  await live?.close();
});

describe('organization.getRoles', () => {
  it('lists the stored roles as Role resources, pages them, and their keys invite', async () => {
    const res = await live.t.bapi('POST', '/v1/organization_roles', {
      name: 'Billing',
      key: 'org:billing',
      permissions: ['org:sys_memberships:read'],
    });
    expect(res.status).toBe(200);
    const created = await json(res);
    const admin = await live.admin('Role Readers');

    const { data, totalCount } = await admin.organization.getRoles();
    expect(totalCount).toBe(3);
    expect(data.map((r) => [r.key, r.name, r.isCreatorEligible])).toEqual([
      ['org:admin', 'Admin', true],
      ['org:member', 'Member', false],
      ['org:billing', 'Billing', false],
    ]);
    const billing = data[2]!;
    expect(billing).toBeInstanceOf(Role);
    expect(billing).toMatchObject({ id: created.id, description: '' });
    expect(billing.createdAt).toEqual(new Date(created.created_at));
    expect(billing.permissions).toHaveLength(1);
    expect(billing.permissions[0]).toBeInstanceOf(PermissionResource);
    expect(billing.permissions[0]).toMatchObject({ key: 'org:sys_memberships:read', type: 'system' });

    const second = await admin.organization.getRoles({ initialPage: 2, pageSize: 2 });
    expect(second.totalCount).toBe(3);
    expect(second.data.map((r) => r.key)).toEqual(['org:billing']);

    const invitation = await admin.organization.inviteMember({ emailAddress: uniqueEmail(), role: billing.key });
    expect(invitation.role).toBe('org:billing');

    // Someone no longer in the organization may not read its roles.
    const former = await live.signedIn();
    const orgPath = `/v1/organizations/${admin.organization.id}/memberships`;
    expect((await live.t.bapi('POST', orgPath, { user_id: former.userId, role: 'org:member' })).status).toBe(200);
    const theirs = await former.client.getOrganization(admin.organization.id);
    expect((await theirs.getRoles({ pageSize: 1 })).data.map((r) => r.key)).toEqual(['org:admin']);
    expect((await live.t.bapi('DELETE', `${orgPath}/${former.userId}`)).status).toBe(200);
    const refused = await theirs.getRoles().catch((e: unknown) => e);
    expect(isRosterAPIError(refused, 'not_a_member_in_organization')).toBe(true);
  });
});
