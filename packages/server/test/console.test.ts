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

    const resent = await post(cookie, `/console/invitations/${inv.id}/resend`);
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain('Invitation mailed again.');

    const revoked = await post(cookie, `/console/invitations/${inv.id}/revoke`);
    expect(revoked.status).toBe(200);
    const body = await revoked.text();
    expect(body).toContain('Invitation revoked.');
    expect(body).toContain('<dd>revoked</dd>');

    const again = await post(cookie, `/console/invitations/${inv.id}/revoke`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('class="error"');

    const missing = await get(cookie, '/console/invitations/orginv_nope');
    expect(missing.status).toBe(404);

    const log = await (await t.bapi('GET', '/v1/audit_log?limit=50')).json();
    const types = (log.data as { type: string }[]).map((e) => e.type);
    expect(types).toContain('organizationInvitation.revoked');
  });
});
