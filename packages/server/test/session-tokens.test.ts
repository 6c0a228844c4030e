import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest } from './support/flows.js';
import { json, PUBLIC_URL, seedOrganization, startTestRoster } from './support/harness.js';

const t = freshRosterForEachTest();

describe('short-lived session tokens', () => {
  it('are signed for the session with the active organization, and verify against the published keys', async () => {
    const { org, user, browser } = await seedOrganization(t);
    const me = await json(await browser.get('/fapi/v1/me'));
    await browser.post('/fapi/v1/me/active_organization', { organization_id: org.id });

    const res = await browser.post(`/fapi/v1/client/sessions/${me.session.id}/tokens`);
    expect(res.status).toBe(200);
    const { jwt, expires_in } = await json(res);
    expect(expires_in).toBe(60);

    const jwks = createLocalJWKSet(await json(await t.browser().get('/.well-known/jwks.json')));
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, {
      issuer: PUBLIC_URL,
      currentDate: new Date(t.clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.stringMatching(/^ins_/) });
    // Clerk's v2 format: the organization in `o`, permissions packed against the features in `fea`.
    expect(payload).toMatchObject({
      sub: user.id,
      sid: me.session.id,
      v: 2,
      // The stored admin role's permissions, by key: domains (manage, read), memberships, profile (+ delete).
      o: { id: org.id, slg: org.slug, rol: 'admin', per: 'manage,read,delete', fpm: '3,3,5' },
      fea: 'o:sys_domains,o:sys_memberships,o:sys_profile',
    });
    expect(payload).not.toHaveProperty('org_id');

    // Expired a minute later.
    await expect(jwtVerify(jwt, jwks, { currentDate: new Date(t.clock.now() + 61_000) })).rejects.toThrow(/exp/);
  });

  it('cannot be minted for another session, nor without one', async () => {
    const { browser } = await seedOrganization(t);
    expect((await browser.post('/fapi/v1/client/sessions/sess_other/tokens')).status).toBe(401);
    const anonymous = await t.browser().post('/fapi/v1/client/sessions/sess_x/tokens');
    expect((await json(anonymous)).errors[0].code).toBe('session_invalid');
  });

  it('mint for the session making the request when the id is `current`, from a server holding the session credential (decision 024)', async () => {
    const { user, browser } = await seedOrganization(t);
    const me = await json(await browser.get('/fapi/v1/me'));
    // What the @roster/nextjs middleware sends: the session's credential as a Bearer token, no cookie, no Origin.
    const res = await t.roster.app.request(`${PUBLIC_URL}/fapi/v1/client/sessions/current/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${browser.cookie}` },
    });
    expect(res.status).toBe(200);
    const { jwt, expires_in } = await json(res);
    expect(expires_in).toBe(60);
    const jwks = createLocalJWKSet(await json(await t.browser().get('/.well-known/jwks.json')));
    const { payload } = await jwtVerify(jwt, jwks, { issuer: PUBLIC_URL, currentDate: new Date(t.clock.now()) });
    expect(payload).toMatchObject({ sub: user.id, sid: me.session.id });
    expect(payload.azp).toBeUndefined();

    // Without a session there is nothing to mint; with the cookie, a write still has to say where it came from.
    const anonymous = await t.roster.app.request(`${PUBLIC_URL}/fapi/v1/client/sessions/current/tokens`, {
      method: 'POST',
    });
    expect((await json(anonymous)).errors[0].code).toBe('session_invalid');
    const forged = await browser.fetch('POST', '/fapi/v1/client/sessions/current/tokens', {
      headers: { origin: 'http://evil.test' },
    });
    expect((await json(forged)).errors[0].code).toBe('origin_invalid');
    const noOrigin = await t.roster.app.request(`${PUBLIC_URL}/fapi/v1/client/sessions/current/tokens`, {
      method: 'POST',
      headers: { cookie: `__roster_session=${browser.cookie}` },
    });
    expect((await json(noOrigin)).errors[0].code).toBe('origin_invalid');
  });

  it('does not verify with the keys of an instance with another secret key', async () => {
    const { browser } = await seedOrganization(t);
    const me = await json(await browser.get('/fapi/v1/me'));
    const { jwt } = await json(await browser.post(`/fapi/v1/client/sessions/${me.session.id}/tokens`));
    const other = await startTestRoster({
      env: { ROSTER_SECRET_KEY: 'sk_test_another_instance_key_000000' },
      overrides: {},
    });
    try {
      const otherJwks = createLocalJWKSet(await json(await other.browser().get('/.well-known/jwks.json')));
      await expect(jwtVerify(jwt, otherJwks, { currentDate: new Date(t.clock.now()) })).rejects.toThrow();
    } finally {
      await other.close();
    }
  });
});
