import { describe, expect, it } from 'vitest';
import { organizationOf, signedInAuth } from '../src/claims.js';

const base = { sub: 'user_1', sid: 'sess_1', iss: 'http://roster.test', iat: 1, exp: 61 };

describe('organizationOf reads the active organization of a token', () => {
  it("unpacks Clerk's v2 claims: role without org:, permissions against the features' bitmasks", () => {
    const claims = {
      ...base,
      v: 2,
      fea: 'o:sys_profile,u:billing,o:sys_memberships,o:invoices',
      o: { id: 'org_1', slg: 'acme', rol: 'billing', per: 'manage,read,create', fpm: '1,3,4' },
    };
    expect(organizationOf(claims)).toEqual({
      orgId: 'org_1',
      orgSlug: 'acme',
      orgRole: 'org:billing',
      orgPermissions: [
        'org:sys_profile:manage',
        'org:sys_memberships:manage',
        'org:sys_memberships:read',
        'org:invoices:create',
      ],
    });
    const auth = signedInAuth(claims, 'token');
    expect(auth.has({ permission: 'org:invoices:create' as never })).toBe(true);
    expect(auth.has({ permission: 'org:sys_profile:delete' })).toBe(false);
  });

  it('still reads tokens from before v2 (org_id, org_role, org_permissions), and none when there is no organization', () => {
    const legacy = {
      ...base,
      org_id: 'org_1',
      org_slug: 'acme',
      org_role: 'org:member' as const,
      org_permissions: ['org:sys_memberships:read' as const],
    };
    expect(organizationOf(legacy)).toEqual({
      orgId: 'org_1',
      orgSlug: 'acme',
      orgRole: 'org:member',
      orgPermissions: ['org:sys_memberships:read'],
    });
    expect(organizationOf({ ...base, v: 2 })).toBeNull();
    expect(organizationOf(base)).toBeNull();
    expect(signedInAuth({ ...base, v: 2 }, 't')).toMatchObject({ orgId: null, orgRole: null, orgPermissions: null });
  });

  it('ignores malformed masks and features instead of throwing', () => {
    const claims = { ...base, v: 2, fea: 'nonsense,o:a', o: { id: 'org_1', rol: 'admin', per: 'read', fpm: '1,x' } };
    expect(organizationOf(claims)?.orgPermissions).toEqual(['org:a:read']);
  });
});
