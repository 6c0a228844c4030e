import { __experimental_JWTPayloadToAuthObjectProperties as clerkAuthOf } from '@clerk/shared/jwtPayloadParser';
import { describe, expect, it } from 'vitest';
import { organizationClaims, sessionTokenClaims } from './token-claims.js';

const session = {
  id: 'sess_1',
  userId: 'user_1',
  tokenHash: '',
  activeOrganizationId: 'org_1',
  createdAt: 1_700_000_000_000,
  expiresAt: 1_800_000_000_000,
  lastActiveAt: 1_700_000_000_000,
  clientIp: null,
  userAgent: null,
};

describe("session token claims in Clerk's v2 format", () => {
  it("pack permissions so that Clerk's own parser unpacks them, custom ones included", () => {
    const permissions = [
      'org:sys_memberships:read',
      'org:invoices:create',
      'org:sys_memberships:manage',
      'org:invoices:read',
    ];
    const claims = sessionTokenClaims({
      session,
      issuer: 'http://roster.test',
      now: session.createdAt + 7 * 60_000 + 30_000,
      ttlSeconds: 60,
      azp: 'http://app.test',
      organization: { id: 'org_1', slug: 'acme', role: 'org:billing', permissions },
    });
    expect(claims).toMatchObject({
      sub: 'user_1',
      sid: 'sess_1',
      azp: 'http://app.test',
      fva: [7, -1],
      v: 2,
      fea: 'o:sys_memberships,o:invoices',
      o: { id: 'org_1', slg: 'acme', rol: 'billing', per: 'read,create,manage', fpm: '5,3' },
    });
    expect(claims.exp - claims.iat).toBe(60);
    const parsed = clerkAuthOf({ ...claims, __raw: '' } as never);
    expect(parsed).toMatchObject({
      userId: 'user_1',
      sessionId: 'sess_1',
      orgId: 'org_1',
      orgSlug: 'acme',
      orgRole: 'org:billing',
    });
    expect([...(parsed.orgPermissions ?? [])].sort()).toEqual([...permissions].sort());
  });

  it('leave o and fea out without an organization, and skip keys that are not org:<feature>:<action>', () => {
    const claims = sessionTokenClaims({
      session,
      issuer: 'http://roster.test',
      now: session.createdAt,
      ttlSeconds: 60,
    });
    expect(claims).not.toHaveProperty('o');
    expect(claims).not.toHaveProperty('fea');
    expect(claims).not.toHaveProperty('azp');
    expect(
      organizationClaims({ id: 'org_1', slug: 's', role: 'org:admin', permissions: ['nonsense', 'org:a:b:c'] }),
    ).toEqual({
      o: { id: 'org_1', slg: 's', rol: 'admin', per: '', fpm: '' },
    });
  });
});
