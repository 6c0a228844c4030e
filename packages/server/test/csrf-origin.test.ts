import { describe, expect, it } from 'vitest';
import { expectError } from './support/errors.js';
import { freshRosterForEachTest, invitationsOf, invited, membersOf, ticketOf } from './support/flows.js';
import { type Browser, json, PUBLIC_URL, SECRET_KEY, seedOrganization } from './support/harness.js';

/**
 * Decision 004: a cookie-authenticated write must say where it came from. With neither `Origin`
 * nor `Sec-Fetch-Site`, nothing shows it was not forged: `origin_invalid`. Requests that carry no
 * Roster cookie (a Bearer token, the secret key) are not CSRF-able and need neither header.
 */
const t = freshRosterForEachTest();

/** A request as `browser` would send it with its cookies, but exactly the headers given (no Origin added). */
async function raw(
  browser: Browser | null,
  method: string,
  path: string,
  init: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  const jar = browser ? [...browser.otherCookies].map(([k, v]) => `${k}=${v}`) : [];
  if (browser?.cookie) jar.push(`__roster_session=${browser.cookie}`);
  if (jar.length) headers.cookie = jar.join('; ');
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  return t.roster.app.request(`${PUBLIC_URL}${path}`, { method, headers, ...(body !== undefined && { body }) });
}

async function world() {
  const admin = await seedOrganization(t);
  const inviteeEmail = `invitee-${Math.random().toString(36).slice(2, 8)}@example.com`;
  await t.bapi('POST', '/v1/users', { email_address: [inviteeEmail], password: 'a long enough password' });
  const invitee = t.browser();
  const signIn = await invitee.post('/fapi/v1/client/sign_ins', {
    identifier: inviteeEmail,
    password: 'a long enough password',
  });
  expect(signIn.status).toBe(200);
  const token = signIn.headers.get('x-roster-session-token')!;
  const inv = await invited(t, admin.org.id, inviteeEmail);
  return { admin, invitee, token, inv, ticket: ticketOf(inv.url) };
}

describe('cookie-authenticated writes without Origin or Sec-Fetch-Site', () => {
  it('are refused with origin_invalid on the Frontend API and the hosted pages, and change nothing', async () => {
    const { admin, invitee, inv, ticket } = await world();
    const orgId = admin.org.id;
    const writes: [string, Promise<Response>][] = [
      ['create organization', raw(admin.browser, 'POST', '/fapi/v1/organizations', { json: { name: 'Forged' } })],
      ['rename', raw(admin.browser, 'PATCH', `/fapi/v1/organizations/${orgId}`, { json: { name: 'Forged' } })],
      [
        'invite',
        raw(admin.browser, 'POST', `/fapi/v1/organizations/${orgId}/invitations`, {
          json: { email_address: 'x@example.com', role: 'org:member' },
        }),
      ],
      [
        'revoke',
        raw(admin.browser, 'POST', `/fapi/v1/organizations/${orgId}/invitations/${inv.id}/revoke`, { json: {} }),
      ],
      ['accept (API)', raw(invitee, 'POST', `/fapi/v1/me/organization_invitations/${inv.id}/accept`, { json: {} })],
      ['accept link (API)', raw(invitee, 'POST', '/fapi/v1/tickets/accept', { json: { ticket } })],
      ['sign out (API)', raw(invitee, 'POST', '/fapi/v1/client/sign_out', { json: {} })],
      ['accept page', raw(invitee, 'POST', '/accept-invitation', { form: { ticket, action: 'accept' } })],
      ['account decline', raw(invitee, 'POST', `/account/invitations/${inv.id}/decline`, { form: {} })],
      ['account sign-out', raw(invitee, 'POST', '/account/sign-out', { form: {} })],
      [
        'same-site, no Origin',
        raw(invitee, 'POST', '/fapi/v1/tickets/accept', {
          json: { ticket },
          headers: { 'sec-fetch-site': 'same-site' },
        }),
      ],
    ];
    for (const [what, res] of writes) {
      const r = await res;
      expect(r.status, what).toBe(403);
      await expectError(r, 403, 'origin_invalid');
    }
    // Nothing any of them would have written: no organization created or renamed, no invitation
    // created, revoked, declined or accepted (and no mail queued), no one joined, no one signed out.
    const orgs = await json(await t.bapi('GET', '/v1/organizations?limit=100'));
    expect(orgs.data.map((o: { name: string }) => o.name)).toEqual(['Acme']);
    const invitations = await invitationsOf(t, orgId);
    expect(invitations.data.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [inv.id, 'pending'],
    ]);
    const queued = await t.roster.database.db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', 'x@example.com')
      .execute();
    expect(queued).toEqual([]);
    const members = await membersOf(t, orgId);
    expect(members.data.map((m: { public_user_data: { user_id: string } }) => m.public_user_data.user_id)).toEqual([
      admin.user.id,
    ]);
    expect((await invitee.get('/fapi/v1/me')).status).toBe(200);
    expect((await admin.browser.get('/fapi/v1/me')).status).toBe(200);
  });

  it('the sign-up cookie counts too: /sign-up/verify without Origin is refused', async () => {
    const browser = t.browser();
    const started = await browser.fetch('POST', '/sign-up', {
      form: { email_address: 'csrf-verify@example.com', password: 'a long password' },
    });
    expect(started.status).toBe(200);
    expect(browser.otherCookies.size).toBe(1);
    await expectError(
      await raw(browser, 'POST', '/sign-up/verify', { form: { code: '123456' } }),
      403,
      'origin_invalid',
    );
    // It took none of the attempt's tries and made no account.
    const attempts = await t.roster.database.db
      .selectFrom('sign_up_attempts')
      .select('attempts')
      .where('email_normalized', '=', 'csrf-verify@example.com')
      .execute();
    expect(attempts.map((a) => Number(a.attempts))).toEqual([0]);
    const users = await json(await t.bapi('GET', '/v1/users/count?email_address=csrf-verify@example.com'));
    expect(users.total_count).toBe(0);
  });

  it('the password reset cookie counts too: its steps without Origin are refused', async () => {
    const browser = t.browser();
    const started = await browser.fetch('POST', '/account/forgot-password', {
      form: { identifier: 'csrf-reset@example.com' },
    });
    expect(started.status).toBe(200);
    expect([...browser.otherCookies.keys()]).toEqual(['__roster_sign_in']);
    for (const [path, form] of [
      ['/account/forgot-password/code', { code: '123456' }],
      ['/account/forgot-password/reset', { password: 'a forged new password' }],
    ] as const) {
      await expectError(await raw(browser, 'POST', path, { form }), 403, 'origin_invalid');
    }
    // The attempt is where it was: no try taken, still waiting for its code.
    const attempts = await t.roster.database.db
      .selectFrom('sign_in_attempts')
      .select(['attempts', 'status'])
      .where('email_normalized', '=', 'csrf-reset@example.com')
      .execute();
    expect(attempts.map((a) => [Number(a.attempts), a.status])).toEqual([[0, 'needs_first_factor']]);
  });

  it('the browser saying Sec-Fetch-Site: same-origin (or none) is enough without Origin', async () => {
    const { invitee, inv } = await world();
    const accept = await raw(invitee, 'POST', `/fapi/v1/me/organization_invitations/${inv.id}/accept`, {
      json: {},
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(accept.status, await accept.clone().text()).toBe(200);
    const out = await raw(invitee, 'POST', '/account/sign-out', { form: {}, headers: { 'sec-fetch-site': 'none' } });
    expect(out.status).toBe(303);
  });

  it('Bearer-authenticated and secret-key requests without Origin are unaffected', async () => {
    const { token, inv, admin } = await world();
    const accept = await raw(null, 'POST', `/fapi/v1/me/organization_invitations/${inv.id}/accept`, {
      json: {},
      headers: { authorization: `Bearer ${token}` },
    });
    expect(accept.status, await accept.clone().text()).toBe(200);
    const rename = await raw(null, 'PATCH', `/v1/organizations/${admin.org.id}`, {
      json: { name: 'Renamed' },
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(rename.status, await rename.clone().text()).toBe(200);
    // A first sign-in carries no cookie yet: scripts may sign in without Origin.
    const signIn = await raw(null, 'POST', '/fapi/v1/client/sign_ins', {
      json: { identifier: admin.email, password: admin.password },
    });
    expect(signIn.status).toBe(200);
  });
});
