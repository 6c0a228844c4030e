import { createPublicKey } from 'node:crypto';
import { createClerkClient, verifyToken } from '@clerk/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, PUBLIC_URL, SECRET_KEY, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';

/**
 * Roster's session tokens through Clerk's own verifier: `@clerk/backend`'s `verifyToken` (with the
 * PEM public key, and with the secret key reading `/v1/jwks`) and `authenticateRequest` accept
 * them and read the organization, role and permissions as Roster means them; forged, expired,
 * other-issuer and other-Roster tokens are refused. Clerk checks expiry against the real clock,
 * so the tests that need an expired token move Roster's clock back to mint one.
 */

let t: TestRoster;
let url: string;

beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  url = await t.roster.listen();
});
afterAll(async () => {
  await t?.close();
});

type Jwk = { kid: string; alg: string; use: string; kty: string; n?: string; e?: string };

async function publishedKeys(roster: TestRoster = t) {
  return (await json<{ keys: Jwk[] }>(await roster.browser().get('/.well-known/jwks.json'))).keys;
}

/** The RS256 public key as the PEM Clerk's dashboard shows (what `jwtKey` takes). */
async function pemKey(roster: TestRoster = t) {
  const rsa = (await publishedKeys(roster)).find((k) => k.alg === 'RS256')!;
  return createPublicKey({ key: rsa as never, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/** A signed-in admin with their organization active, and a token minted for that session. */
async function adminToken(roster: TestRoster = t) {
  const seeded = await seedOrganization(roster);
  const me = await json(await seeded.browser.get('/fapi/v1/me'));
  await seeded.browser.post('/fapi/v1/me/active_organization', { organization_id: seeded.org.id });
  const mint = async () =>
    (await json(await seeded.browser.post(`/fapi/v1/client/sessions/${me.session.id}/tokens`))).jwt as string;
  return { ...seeded, sessionId: me.session.id as string, token: await mint(), mint };
}

const reasonOf = async (work: Promise<unknown>) =>
  work.then(
    () => 'accepted',
    (error: { reason?: string }) => error.reason ?? String(error),
  );

describe("@clerk/backend's verifyToken", () => {
  it('accepts a Roster token with the PEM public key (jwtKey), in the v2 claim format', async () => {
    const { token, user, org, sessionId } = await adminToken();
    const claims = await verifyToken(token, { jwtKey: await pemKey(), authorizedParties: [PUBLIC_URL] });
    expect(claims).toMatchObject({
      sub: user.id,
      sid: sessionId,
      iss: PUBLIC_URL,
      azp: PUBLIC_URL,
      v: 2,
      sts: 'active',
      fva: [0, -1],
      o: { id: org.id, slg: org.slug, rol: 'admin' },
    });
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims.nbf).toBeLessThanOrEqual(claims.iat);
  });

  it('accepts it with the secret key, reading the keys from GET /v1/jwks', async () => {
    const { token, user } = await adminToken();
    const claims = await verifyToken(token, { secretKey: SECRET_KEY, apiUrl: url, issuer: PUBLIC_URL });
    expect(claims.sub).toBe(user.id);
  });

  it('refuses a tampered, a forged, an expired and an other-issuer token, and another party', async () => {
    const { token } = await adminToken();
    const jwtKey = await pemKey();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user_someone_else' })).toString('base64url')}.${signature}`;
    expect(await reasonOf(verifyToken(tampered, { jwtKey }))).toBe('token-invalid-signature');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: claims.kid })).toString('base64url')}.${payload}.`;
    expect(await reasonOf(verifyToken(unsigned, { jwtKey }))).toBe('token-invalid-algorithm');

    t.clock.advance(-120_000);
    const { token: stale } = await adminToken();
    t.clock.advance(120_000);
    expect(await reasonOf(verifyToken(stale, { jwtKey }))).toBe('token-expired');

    expect(await reasonOf(verifyToken(token, { jwtKey, issuer: 'https://another.example' }))).toBe(
      'token-invalid-issuer',
    );
    expect(await reasonOf(verifyToken(token, { jwtKey, authorizedParties: ['https://app.example'] }))).toBe(
      'token-invalid-authorized-parties',
    );
  });

  it("refuses another Roster's token (another secret key, so another key pair)", async () => {
    const other = await startTestRoster({ env: { ROSTER_SECRET_KEY: 'sk_test_another_instance_key_000000' } });
    try {
      const { token } = await adminToken(other);
      expect(await reasonOf(verifyToken(token, { jwtKey: await pemKey() }))).toBe('token-invalid-signature');
      expect(await reasonOf(verifyToken(token, { secretKey: SECRET_KEY, apiUrl: url }))).toBe('jwk-kid-mismatch');
    } finally {
      await other.close();
    }
  });

  it('GET /v1/jwks needs the secret key and lists RS256 keys with kid, alg and use', async () => {
    expect((await t.browser().get('/v1/jwks')).status).toBe(401);
    const res = await t.bapi('GET', '/v1/jwks');
    expect(res.status).toBe(200);
    const { keys } = await json<{ keys: Jwk[] }>(res);
    expect(keys).toEqual(await publishedKeys());
    const rsa = keys.filter((k) => k.alg === 'RS256');
    expect(rsa).toHaveLength(1);
    expect(rsa[0]).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB', kid: expect.stringMatching(/^ins_/) });
    // 2048-bit modulus: what Clerk's PEM parsing (jwtKey) assumes.
    expect(Buffer.from(rsa[0]!.n!, 'base64url')).toHaveLength(256);
  });
});

describe("@clerk/backend's authenticateRequest", () => {
  it('signs a request in with a Roster token and answers has() as Roster would', async () => {
    const clerk = createClerkClient({
      secretKey: SECRET_KEY,
      apiUrl: url,
      publishableKey: `pk_test_${Buffer.from('roster.test$').toString('base64')}`,
      telemetry: { disabled: true },
    });
    const { token, user, org } = await adminToken();
    const state = await clerk.authenticateRequest(
      new Request('http://app.test/api/things', { headers: { authorization: `Bearer ${token}` } }),
      { authorizedParties: [PUBLIC_URL] },
    );
    expect(state.isSignedIn).toBe(true);
    const auth = state.toAuth() as unknown as {
      userId: string;
      orgId: string;
      orgRole: string;
      orgSlug: string;
      orgPermissions: string[];
      has: (check: { permission?: string; role?: string }) => boolean;
    };
    expect(auth).toMatchObject({ userId: user.id, orgId: org.id, orgRole: 'org:admin', orgSlug: org.slug });
    expect([...auth.orgPermissions].sort()).toEqual(
      [
        'org:sys_domains:manage',
        'org:sys_domains:read',
        'org:sys_memberships:manage',
        'org:sys_memberships:read',
        'org:sys_profile:delete',
        'org:sys_profile:manage',
      ].sort(),
    );
    expect(auth.has({ permission: 'org:sys_memberships:manage' })).toBe(true);
    expect(auth.has({ role: 'org:admin' })).toBe(true);
    expect(auth.has({ permission: 'org:invoices:create' })).toBe(false);

    // A member: only what the member role grants.
    const member = await seedOrganization(t);
    const invited = await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, {
      user_id: member.user.id,
      role: 'org:member',
    });
    expect(invited.status).toBe(200);
    const me = await json(await member.browser.get('/fapi/v1/me'));
    await member.browser.post('/fapi/v1/me/active_organization', { organization_id: org.id });
    const memberToken = (await json(await member.browser.post(`/fapi/v1/client/sessions/${me.session.id}/tokens`)))
      .jwt as string;
    const memberState = await clerk.authenticateRequest(
      new Request('http://app.test/api/things', { headers: { authorization: `Bearer ${memberToken}` } }),
    );
    const memberAuth = memberState.toAuth() as unknown as typeof auth;
    expect(memberAuth).toMatchObject({
      orgId: org.id,
      orgRole: 'org:member',
      orgPermissions: ['org:sys_memberships:read'],
    });
    expect(memberAuth.has({ permission: 'org:sys_memberships:read' })).toBe(true);
    expect(memberAuth.has({ permission: 'org:sys_memberships:manage' })).toBe(false);

    const forged = await clerk.authenticateRequest(
      new Request('http://app.test/api/things', { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } }),
    );
    expect(forged.isSignedIn).toBe(false);
  });
});
