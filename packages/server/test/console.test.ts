import { describe, expect, it } from 'vitest';
import { freshRosterForEachTest, invited } from './support/flows.js';
import { PUBLIC_URL, seedOrganization, type TestRoster } from './support/harness.js';

/**
 * The operator console (decision 030) through the real app: signing in with the secret key (an
 * HMAC-sealed cookie, never the key), invitations across the instance by keyset pages and filters,
 * one invitation with its mail's delivery state, revoke and resend.
 */

const t = freshRosterForEachTest();

/** Signs in to the console; returns the Cookie header value to send. */
async function consoleCookie(roster: TestRoster): Promise<string> {
  const res = await roster.roster.app.request(`${PUBLIC_URL}/console/sign-in`, {
    method: 'POST',
    headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ secret_key: roster.roster.secretKey }).toString(),
  });
  expect(res.status).toBe(303);
  const set = res.headers.getSetCookie().find((c) => c.startsWith('__roster_console='));
  expect(set).toMatch(/HttpOnly/i);
  expect(set).toMatch(/SameSite=Strict/i);
  expect(set).not.toContain(roster.roster.secretKey);
  return (set ?? '').split(';')[0] ?? '';
}

function get(cookie: string, path: string) {
  return t.roster.app.request(`${PUBLIC_URL}${path}`, { headers: { cookie } });
}

function post(cookie: string, path: string, origin = PUBLIC_URL) {
  return t.roster.app.request(`${PUBLIC_URL}${path}`, { method: 'POST', headers: { cookie, origin } });
}

describe('operator console', () => {
  it('no cookie shows the sign-in page; a wrong key is refused; the right key signs in', async () => {
    const none = await get('', '/console/invitations');
    expect(none.status).toBe(401);
    const page = await none.text();
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('name="secret_key"');

    const forged = await get(
      '__roster_console=9999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/console/invitations',
    );
    expect(forged.status).toBe(401);

    const wrong = await t.roster.app.request(`${PUBLIC_URL}/console/sign-in`, {
      method: 'POST',
      headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'secret_key=sk_test_wrong',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Invalid secret key');
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const cookie = await consoleCookie(t);
    const list = await get(cookie, '/console/invitations');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('<h1>Invitations</h1>');

    const signedOut = await post(cookie, '/console/sign-out');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.getSetCookie().join()).toMatch(/__roster_console=;/);
  });

  it('refuses a cross-site write even with the cookie', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const inv = await invited(t, org.id, 'cross@example.com');
    const cookie = await consoleCookie(t);
    const res = await post(cookie, `/console/invitations/${inv.id}/revoke`, 'https://evil.test');
    expect(res.status).toBe(403);
    expect(
      (await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${inv.id}`).then((r) => r.json())).status,
    ).toBe('pending');
  });

  it('lists invitations across organizations newest first, by keyset pages, filtered by address, status and organization', async () => {
    const a = await seedOrganization(t, { name: 'Alpha' });
    const b = await seedOrganization(t, { name: 'Beta' });
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) {
      t.clock.advance(1000);
      const inv = await invited(t, (i % 2 ? b : a).org.id, `person${i}@example.com`);
      ids.push(String(inv.id));
    }
    const cookie = await consoleCookie(t);
    const first = await (await get(cookie, '/console/invitations')).text();
    expect(first).toContain('person54@example.com');
    expect(first).not.toContain('person4@example.com<');
    const next = /href="(\/console\/invitations\?after=[^"]+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await get(cookie, next!.replaceAll('&amp;', '&'))).text();
    expect(second).toContain('person0@example.com');
    expect(second).toContain('person4@example.com');
    expect(second).not.toContain('person5@example.com');
    expect(second).not.toContain('rel="next"');

    const byAddress = await (await get(cookie, '/console/invitations?email=PERSON7@example.com')).text();
    expect(byAddress).toContain(`/console/invitations/${ids[7]}`);
    expect(byAddress.match(/<tr>/g)?.length).toBe(2); // header and one row

    const byOrg = await (await get(cookie, `/console/invitations?organization=${b.org.id}&status=pending`)).text();
    expect(byOrg.match(/<tr>/g)?.length).toBe(28); // 27 of Beta's plus the header
    const revoked = await (await get(cookie, '/console/invitations?status=revoked')).text();
    expect(revoked).toContain('No invitations match.');
  });

  it('shows an invitation with its mail, revokes and resends it, and the revoke is in the audit log', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const inv = await invited(t, org.id, 'New.Person@example.com');
    await t.smtp.waitFor('new.person@example.com');
    const cookie = await consoleCookie(t);
    const detail = await (await get(cookie, `/console/invitations/${inv.id}`)).text();
    expect(detail).toContain('Invitation to New.Person@example.com');
    expect(detail).toMatch(/<dt>Delivery<\/dt><dd>(sent|queued)<\/dd>/);

    // Each action redirects (303) to the invitation, so a reload repeats nothing.
    const resent = await post(cookie, `/console/invitations/${inv.id}/resend`);
    expect(resent.status).toBe(303);
    expect(resent.headers.get('location')).toBe(`/console/invitations/${inv.id}?done=resent`);
    expect(await (await get(cookie, resent.headers.get('location')!)).text()).toContain('Invitation mailed again.');

    const revoked = await post(cookie, `/console/invitations/${inv.id}/revoke`);
    expect(revoked.status).toBe(303);
    const body = await (await get(cookie, revoked.headers.get('location')!)).text();
    expect(body).toContain('Invitation revoked.');
    expect(body).toContain('<dd>revoked</dd>');

    const again = await post(cookie, `/console/invitations/${inv.id}/revoke`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('class="error"');

    const missing = await get(cookie, '/console/invitations/orginv_nope');
    expect(missing.status).toBe(404);
    expect((await post(cookie, '/console/invitations/orginv_nope/resend')).status).toBe(404);

    const log = await (await t.bapi('GET', '/v1/audit_log?limit=50')).json();
    const types = (log.data as { type: string }[]).map((e) => e.type);
    expect(types).toContain('organizationInvitation.revoked');
  });
});

describe('operator console: users and the audit log', () => {
  it('lists users newest first by keyset pages and finds one by address or name', async () => {
    for (let i = 0; i < 53; i++) {
      t.clock.advance(1000);
      await t.bapi('POST', '/v1/users', { email_address: [`user${i}@example.com`], first_name: `Person${i}` });
    }
    const cookie = await consoleCookie(t);
    const first = await (await get(cookie, '/console/users')).text();
    expect(first).toContain('user52@example.com');
    expect(first).not.toContain('user2@example.com<');
    const next = /href="(\/console\/users\?after=[^"]+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await get(cookie, next!.replaceAll('&amp;', '&'))).text();
    expect(second).toContain('user0@example.com');
    expect(second).not.toContain('user3@example.com');
    expect(second).not.toContain('rel="next"');

    const byAddress = await (await get(cookie, '/console/users?q=USER7@example.com')).text();
    expect(byAddress.match(/<tr>/g)?.length).toBe(2);
    const byName = await (await get(cookie, '/console/users?q=person4')).text();
    expect(byName.match(/<tr>/g)?.length).toBe(1 + 1 + 10); // header, Person4, Person40-49
    expect(await (await get(cookie, '/console/users?q=%25')).text()).toContain('No users match.');
  });

  it("shows a user's addresses, memberships, sessions and trail; bans, unbans, locks, unlocks and revokes through the domain", async () => {
    const { user, org, browser } = await seedOrganization(t, { name: 'Acme' });
    const cookie = await consoleCookie(t);
    const detail = await get(cookie, `/console/users/${user.id}`);
    expect(detail.status).toBe(200);
    const page = await detail.text();
    expect(page).toContain('<h1>Ada Admin</h1>');
    expect(page).toContain(org.id);
    expect(page).toContain('org:admin');
    expect(page).toContain('user.created');
    const sessionId = /\/sessions\/(sess_[A-Za-z0-9]+)\/revoke/.exec(page)?.[1];
    expect(sessionId).toBeDefined();

    const revoked = await post(cookie, `/console/users/${user.id}/sessions/${sessionId}/revoke`);
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe(`/console/users/${user.id}?done=session`);
    const after = await (await get(cookie, revoked.headers.get('location')!)).text();
    expect(after).toContain('Session revoked.');
    expect(after).toContain('No active sessions.');
    expect((await browser.get('/fapi/v1/me')).status).not.toBe(200);

    const notMine = await post(cookie, `/console/users/${user.id}/sessions/sess_nope/revoke`);
    expect(notMine.status).toBe(404);
    expect(await notMine.text()).toContain('class="error"');

    for (const [verb, state] of [
      ['ban', 'banned'],
      ['unban', 'active'],
      ['lock', 'locked'],
      ['unlock', 'active'],
    ] as const) {
      const res = await post(cookie, `/console/users/${user.id}/${verb}`);
      expect(res.status).toBe(303);
      const shown = await (await get(cookie, res.headers.get('location')!)).text();
      expect(shown).toContain('role="status"');
      expect(shown).toContain(`<dt>State</dt><dd>${state}</dd>`);
    }
    const json = await (await t.bapi('GET', `/v1/users/${user.id}`)).json();
    expect(json.banned).toBe(false);
    expect(json.locked).toBe(false);

    const log = await (await t.bapi('GET', `/v1/audit_log?type=user.updated&actor=secret_key&limit=50`)).json();
    expect(log.total_count).toBe(4);

    const trail = await (await get(cookie, `/console/audit-log?user=${user.id}`)).text();
    expect(trail).toContain('session.ended');
    expect(trail).toContain('session.created');
    expect(trail).toContain('user.updated');

    expect((await get(cookie, '/console/users/user_nope')).status).toBe(404);
    expect((await post(cookie, '/console/users/user_nope/ban')).status).toBe(404);
  });

  it('refuses cross-site user actions and anyone without the console cookie', async () => {
    const { user } = await seedOrganization(t);
    const cookie = await consoleCookie(t);
    expect((await post(cookie, `/console/users/${user.id}/ban`, 'https://evil.test')).status).toBe(403);
    expect((await post('', `/console/users/${user.id}/ban`)).status).toBe(401);
    expect((await get('', `/console/users/${user.id}`)).status).toBe(401);
    expect((await get('', '/console/audit-log')).status).toBe(401);
    expect((await (await t.bapi('GET', `/v1/users/${user.id}`)).json()).banned).toBe(false);
  });

  it('pages the audit log by seq, filters it by action, actor, organization and dates, and links subjects', async () => {
    const a = await seedOrganization(t, { name: 'Alpha' });
    const b = await seedOrganization(t, { name: 'Beta' });
    for (let i = 0; i < 50; i++) await invited(t, a.org.id, `log${i}@example.com`);
    await invited(t, b.org.id, 'beta@example.com');
    const cookie = await consoleCookie(t);
    const first = await (await get(cookie, '/console/audit-log')).text();
    expect(first).toContain('<h1>Audit log</h1>');
    expect(first).toContain('href="/console/invitations/');
    const next = /href="(\/console\/audit-log\?before=\d+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await get(cookie, next!)).text();
    expect(second).toContain('organization.created');

    const byType = await (
      await get(cookie, `/console/audit-log?type=organizationInvitation.created&organization=${b.org.id}`)
    ).text();
    expect(byType.match(/<tr>/g)?.length).toBe(2);
    expect(byType).toContain('invitation to beta@example.com');
    const byActor = await (await get(cookie, `/console/audit-log?actor=${a.user.id}`)).text();
    expect(byActor.match(/<tr>/g)?.length).toBe(2); // their own sign-in's session.created
    expect(byActor).toContain('session.created');
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);
    const inRange = await (
      await get(cookie, `/console/audit-log?from=${today}&to=${today}&type=organization.created`)
    ).text();
    expect(inRange.match(/<tr>/g)?.length).toBe(3);
    const tomorrow = new Date(t.clock.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await (await get(cookie, `/console/audit-log?from=${tomorrow}`)).text()).toContain('No events match.');
    // Bad filters are ignored, never a 500.
    expect((await get(cookie, '/console/audit-log?from=2026-99-99&type=nope&before=x')).status).toBe(200);
  });
});

describe('operator console: organizations', () => {
  it('lists organizations by keyset pages and search; shows members and pending invitations; deletes through the domain', async () => {
    for (let i = 0; i < 51; i++) {
      t.clock.advance(1000);
      await t.bapi('POST', '/v1/organizations', { name: `Org ${i}` });
    }
    const { user, org } = await seedOrganization(t, { name: 'Zeta Corp' });
    const inv = await invited(t, org.id, 'pending@example.com');
    const cookie = await consoleCookie(t);
    const first = await (await get(cookie, '/console/organizations')).text();
    expect(first).toContain('Zeta Corp');
    const next = /href="(\/console\/organizations\?after=[^"]+)"/.exec(first)?.[1];
    const second = await (await get(cookie, next!.replaceAll('&amp;', '&'))).text();
    expect(second).toContain('Org 0<');
    expect(second).not.toContain('Zeta Corp');
    const found = await (await get(cookie, '/console/organizations?q=zeta')).text();
    expect(found.match(/<tr>/g)?.length).toBe(2);

    const detail = await (await get(cookie, `/console/organizations/${org.id}`)).text();
    expect(detail).toContain('<h1>Zeta Corp</h1>');
    expect(detail).toContain(`href="/console/users/${user.id}"`);
    expect(detail).toContain('org:admin');
    expect(detail).toContain(`href="/console/invitations/${inv.id}"`);

    expect((await post(cookie, `/console/organizations/${org.id}/delete`, 'https://evil.test')).status).toBe(403);
    expect((await post('', `/console/organizations/${org.id}/delete`)).status).toBe(401);
    const deleted = await post(cookie, `/console/organizations/${org.id}/delete`);
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/console/organizations?done=deleted');
    expect(await (await get(cookie, deleted.headers.get('location')!)).text()).toContain('Organization deleted');
    expect((await t.bapi('GET', `/v1/organizations/${org.id}`)).status).toBe(404);
    expect((await get(cookie, `/console/organizations/${org.id}`)).status).toBe(404);
    const again = await post(cookie, `/console/organizations/${org.id}/delete`);
    expect(again.status).toBe(404);
    const log = await (await t.bapi('GET', '/v1/audit_log?type=organization.deleted&actor=secret_key')).json();
    expect(log.total_count).toBe(1);
  });
});
