import { describe, expect, it, vi } from 'vitest';
import { smtpTransport } from '../src/email/transports.js';
import {
  createUser,
  DAY_MS,
  errorOf,
  freshRosterForEachTest,
  invitationNow,
  invitationsOf,
  invite,
  invited,
  mailedUrl,
  membersOf,
  organizationNow,
  pathOf,
  signedInUser,
  signIn,
  ticketOf,
} from './support/flows.js';
import { json, PUBLIC_URL, seedOrganization, startTestRoster } from './support/harness.js';
import { codeIn, linkIn, recipients, startSmtp } from './support/smtp.js';

/**
 * The invitation lifecycle through the public HTTP APIs: who may be invited, how many, for how
 * long, what a link answers in each state, and what accepting, declining and removing do.
 */

const t = freshRosterForEachTest();

describe('creating invitations', () => {
  it('trims the address and keeps it unique per organization, case-insensitively, while pending', async () => {
    const { org } = await seedOrganization(t);
    const first = await invite(t, org.id, '  Dup.Person@Example.com ');
    expect(first.status).toBe(200);
    expect((await json(first)).email_address).toBe('Dup.Person@Example.com');

    for (const variant of ['dup.person@example.com', 'DUP.PERSON@EXAMPLE.COM ', ' Dup.Person@Example.com']) {
      const again = await errorOf(await invite(t, org.id, variant));
      expect(again).toMatchObject({
        status: 422,
        code: 'duplicate_record',
        meta: { param_name: 'email_address', email_addresses: [variant.trim()] },
      });
    }
    expect((await invitationsOf(t, org.id)).total_count).toBe(1);

    // Another organization may invite the same address.
    const other = await seedOrganization(t, { name: 'Other' });
    expect((await invite(t, other.org.id, 'dup.person@example.com')).status).toBe(200);
  });

  it('allows inviting the address again once the earlier invitation was revoked, expired, or accepted and the member removed', async () => {
    const { org } = await seedOrganization(t);

    const revoked = await invited(t, org.id, 'again@example.com');
    expect((await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`)).status).toBe(200);
    const afterRevoke = await invited(t, org.id, 'again@example.com');
    expect(afterRevoke.id).not.toBe(revoked.id);
    expect(afterRevoke.url).not.toBe(revoked.url);

    await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${afterRevoke.id}/revoke`);
    const short = await invited(t, org.id, 'again@example.com', { expires_in_days: 1 });
    t.clock.advance(DAY_MS + 1000);
    const afterExpiry = await invited(t, org.id, 'again@example.com');
    expect((await invitationNow(t, org.id, short.id)).status).toBe('expired');
    expect(afterExpiry.status).toBe('pending');

    // Accept it, get removed, be invited again.
    const invitee = t.browser();
    const joined = await invitee.fetch('POST', '/accept-invitation', {
      form: {
        ticket: ticketOf(await mailedUrl(t, afterExpiry)),
        action: 'sign_up',
        password: 'a long enough password',
      },
    });
    expect(joined.status).toBe(303);
    const me = await json(await invitee.get('/fapi/v1/me'));
    const userId = me.user.id;
    expect(await errorOf(await invite(t, org.id, 'again@example.com'))).toMatchObject({
      code: 'already_a_member_in_organization',
    });
    expect((await t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${userId}`)).status).toBe(200);
    const afterRemoval = await invited(t, org.id, 'again@example.com');
    expect(afterRemoval.status).toBe('pending');

    const statuses = (await invitationsOf(t, org.id)).data.map((i: any) => i.status).sort();
    expect(statuses).toEqual(['accepted', 'expired', 'pending', 'revoked', 'revoked']);
  });

  it('refuses to invite an address that belongs to a member, whatever its case', async () => {
    const { org, email, browser: admin } = await seedOrganization(t);
    const res = await invite(t, org.id, ` ${email.toUpperCase()} `);
    expect(await errorOf(res)).toMatchObject({ status: 422, code: 'already_a_member_in_organization' });
    // Through the Frontend API as well.
    const viaFapi = await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
      email_address: email,
      role: 'basic_member',
    });
    expect(await errorOf(viaFapi)).toMatchObject({ code: 'already_a_member_in_organization' });
    expect((await invitationsOf(t, org.id)).total_count).toBe(0);
  });

  it('counts members plus pending invitations against max_allowed_memberships; revoking or expiry frees a seat', async () => {
    const { org, browser: admin } = await seedOrganization(t, { max: 3 });
    const a = await invited(t, org.id, 'a@example.com');
    await invited(t, org.id, 'b@example.com', { expires_in_days: 1 });
    expect(await organizationNow(t, org.id)).toMatchObject({ members_count: 1, pending_invitations_count: 2 });

    const full = await errorOf(await invite(t, org.id, 'c@example.com'));
    expect(full).toMatchObject({
      status: 403,
      code: 'organization_membership_quota_exceeded',
      meta: { max_allowed_memberships: 3, members_count: 1, pending_invitations_count: 2 },
    });
    // The Frontend API applies the same quota.
    expect(
      await errorOf(
        await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
          email_address: 'c@example.com',
          role: 'basic_member',
        }),
      ),
    ).toMatchObject({ code: 'organization_membership_quota_exceeded' });

    // Revoking frees a seat.
    expect((await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${a.id}/revoke`)).status).toBe(200);
    const c = await invited(t, org.id, 'c@example.com');
    expect(await errorOf(await invite(t, org.id, 'd@example.com'))).toMatchObject({
      code: 'organization_membership_quota_exceeded',
    });

    // Accepting keeps the seat taken (pending -> member).
    const joined = await t.browser().fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(await mailedUrl(t, c)), action: 'sign_up', password: 'a long enough password' },
    });
    expect(joined.status).toBe(303);
    expect(await organizationNow(t, org.id)).toMatchObject({ members_count: 2, pending_invitations_count: 1 });
    expect(await errorOf(await invite(t, org.id, 'd@example.com'))).toMatchObject({
      code: 'organization_membership_quota_exceeded',
    });

    // An expired invitation holds no seat.
    t.clock.advance(DAY_MS + 1000);
    expect(await organizationNow(t, org.id)).toMatchObject({ members_count: 2, pending_invitations_count: 0 });
    expect((await invite(t, org.id, 'd@example.com')).status).toBe(200);
    expect(await organizationNow(t, org.id)).toMatchObject({ members_count: 2, pending_invitations_count: 1 });
  });

  it('checks every address of a Frontend bulk invite: a malformed one (or a header injection) creates and mails nothing', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    for (const bad of ['not an email', 'x@example.com\r\nBcc: evil@example.com']) {
      const res = await admin.post(`/fapi/v1/organizations/${org.id}/invitations/bulk`, {
        email_address: ['ok@example.com', bad],
        role: 'basic_member',
      });
      expect(await errorOf(res)).toMatchObject({ status: 422, code: 'form_param_format_invalid' });
    }
    expect((await invitationsOf(t, org.id)).total_count).toBe(0);

    const res = await admin.post(`/fapi/v1/organizations/${org.id}/invitations/bulk`, {
      email_address: ['ok@example.com', '  Trim@Example.com '],
      role: 'basic_member',
    });
    expect(res.status).toBe(200);
    expect((await json(res)).data.map((i: any) => i.email_address)).toEqual(['ok@example.com', 'Trim@Example.com']);
    await t.smtp.waitFor('ok@example.com');
    await t.smtp.waitFor('trim@example.com');
    expect(t.smtp.messages.flatMap(recipients).sort()).toEqual(['ok@example.com', 'trim@example.com']);
  });

  it('expires after 30 days by default, or after expires_in_days', async () => {
    const { org } = await seedOrganization(t);
    const byDefault = await invited(t, org.id, 'default@example.com');
    expect(byDefault.expires_at - byDefault.created_at).toBe(30 * DAY_MS);
    const custom = await invited(t, org.id, 'custom@example.com', { expires_in_days: 3 });
    expect(custom.expires_at - custom.created_at).toBe(3 * DAY_MS);
    expect((await invitationNow(t, org.id, custom.id)).expires_at).toBe(custom.expires_at);
    expect(await errorOf(await invite(t, org.id, 'zero@example.com', { expires_in_days: 0 }))).toMatchObject({
      status: 422,
      meta: { param_name: 'expires_in_days' },
    });
  });

  it('with notify:false sends no invitation mail and reports not_sent; the shown link works, confirming a new account by code', async () => {
    const { org } = await seedOrganization(t);
    const quiet = await invited(t, org.id, 'quiet@example.com', { notify: false });
    expect(quiet.email_delivery.status).toBe('not_sent');
    // A mailed invitation, created after, arrives; the quiet one never does.
    await invited(t, org.id, 'loud@example.com');
    await t.smtp.waitFor('loud@example.com');
    expect(t.smtp.messages.flatMap(recipients)).not.toContain('quiet@example.com');
    expect((await invitationNow(t, org.id, quiet.id)).email_delivery.status).toBe('not_sent');

    const invitee = t.browser();
    const page = await invitee.get(pathOf(quiet.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create account and join');
    const asked = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(quiet.url), action: 'sign_up', password: 'a long enough password' },
    });
    expect(await asked.text()).toContain('Check your email');
    // The one mail the address gets is the code that proves it (decision 021), not the invitation.
    const code = codeIn(await t.smtp.waitFor('quiet@example.com'));
    const joined = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(quiet.url), action: 'verify', code },
    });
    expect(joined.status).toBe(303);
    expect((await invitationNow(t, org.id, quiet.id)).status).toBe('accepted');
    expect(t.smtp.messages.filter((m) => recipients(m).includes('quiet@example.com')).map((m) => m.subject)).toEqual([
      'Your verification code',
    ]);
  });

  it('accepts redirect_url only on the public origin or a configured origin', async () => {
    const { org } = await seedOrganization(t);
    expect(
      await errorOf(await invite(t, org.id, 'r1@example.com', { redirect_url: 'https://evil.test/welcome' })),
    ).toMatchObject({ status: 422, code: 'form_param_value_invalid', meta: { param_name: 'redirect_url' } });
    expect(
      await errorOf(await invite(t, org.id, 'r1@example.com', { redirect_url: 'http://app.test.evil.test/x' })),
    ).toMatchObject({ code: 'form_param_value_invalid' });
    for (const tricky of ['http://app.test@evil.test/x', 'javascript:alert(1)', 'http://app.test:8080/x']) {
      const res = await invite(t, org.id, 'r1@example.com', { redirect_url: tricky });
      expect(res.status, tricky).toBe(422);
      expect(['form_param_value_invalid', 'form_param_format_invalid']).toContain((await errorOf(res)).code);
    }
    expect((await invitationsOf(t, org.id)).total_count).toBe(0);

    expect((await invite(t, org.id, 'r1@example.com', { redirect_url: 'http://app.test/welcome' })).status).toBe(200);
    expect((await invite(t, org.id, 'r2@example.com', { redirect_url: `${PUBLIC_URL}/account?x=1` })).status).toBe(200);
  });

  it('shows the raw token only in the create response url: never in lists, gets, previews, logs or the database', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const created = await invited(t, org.id, 'secret@example.com', { private_metadata: { note: 'x' } });
    const ticket = ticketOf(created.url);
    expect(created.url).toBe(`${PUBLIC_URL}/accept-invitation?ticket=${encodeURIComponent(ticket)}`);
    const viaFapi = await json(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'secret2@example.com',
        role: 'basic_member',
      }),
    );
    // A browser's create shows no link; the mailed tickets are secrets too.
    expect(viaFapi.url).toBeNull();
    const ticket2 = ticketOf(await mailedUrl(t, viaFapi));
    const mailedTicket = ticketOf(await mailedUrl(t, created));

    const { user, browser: invitee } = await signedInUser(t, 'secret@example.com');
    const responses = [
      await t.bapi('GET', `/v1/organizations/${org.id}/invitations`),
      await t.bapi('GET', `/v1/organizations/${org.id}/invitations?status=pending`),
      await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${created.id}`),
      await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${viaFapi.id}`),
      await t.bapi('GET', `/v1/users/${user.id}/organization_invitations`),
      await admin.get(`/fapi/v1/organizations/${org.id}/invitations`),
      await invitee.get('/fapi/v1/me/organization_invitations'),
      await invitee.get(`/fapi/v1/tickets/preview?ticket=${encodeURIComponent(ticket)}`),
      await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${viaFapi.id}/revoke`),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(ticket);
      expect(text).not.toContain(ticket2);
      expect(text).not.toContain(mailedTicket);
      expect(text).not.toContain(encodeURIComponent(ticket));
    }
    const list = await invitationsOf(t, org.id);
    expect(list.data.every((i: any) => i.url === null)).toBe(true);

    await invitee.get(pathOf(created.url));
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(ticket);
    expect(logs).not.toContain(ticket2);
    expect(logs).not.toContain(mailedTicket);

    const rows = await t.roster.database.db.selectFrom('invitations').selectAll().execute();
    const outbox = await t.roster.database.db.selectFrom('outbox').selectAll().execute();
    for (const secret of [ticket, ticket2, mailedTicket]) expect(JSON.stringify([rows, outbox])).not.toContain(secret);
  });
});

describe('bulk creates naming inviters', () => {
  it('all or none: an inviter refused refuses the whole bulk with its own error, nothing created', async () => {
    const { org, user: admin } = await seedOrganization(t);
    const res = await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk`, [
      { email_address: 'whole-1@example.com', role: 'org:member', inviter_user_id: admin.id },
      { email_address: 'whole-2@example.com', role: 'org:member', inviter_user_id: 'user_doesnotexist' },
    ]);
    expect(await errorOf(res)).toMatchObject({ status: 404, code: 'user_not_found' });
    expect((await invitationsOf(t, org.id)).total_count).toBe(0);
  });

  it('with partial=true, authorizes each named inviter once and answers each address on its own', async () => {
    const { org, user: admin } = await seedOrganization(t);
    const outsider = await createUser(t, 'outsider@example.com');
    const res = await t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk?partial=true`, [
      { email_address: 'by-admin-1@example.com', role: 'org:member', inviter_user_id: admin.id },
      { email_address: 'by-nobody@example.com', role: 'org:member', inviter_user_id: 'user_doesnotexist' },
      { email_address: 'by-key@example.com', role: 'org:member' },
      { email_address: 'by-outsider@example.com', role: 'org:member', inviter_user_id: outsider.id },
      { email_address: 'by-admin-2@example.com', role: 'org:member', inviter_user_id: admin.id },
    ]);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(
      body.data.map((i: { email_address: string; inviter_id: string | null }) => [i.email_address, i.inviter_id]),
    ).toEqual([
      ['by-admin-1@example.com', admin.id],
      ['by-key@example.com', null],
      ['by-admin-2@example.com', admin.id],
    ]);
    expect(body.data[0].public_inviter_data.user_id).toBe(admin.id);
    expect(body.errors.map((e: { code: string; meta: { index: number } }) => [e.code, e.meta.index])).toEqual([
      ['user_not_found', 1],
      ['not_a_member_in_organization', 3],
    ]);
    expect((await invitationsOf(t, org.id)).total_count).toBe(3);
  });
});

describe('what a link answers', () => {
  it('an expired invitation reads as expired in lists and GET; its link answers invitation_expired and the page 410', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'late@example.com', { expires_in_days: 2 });
    const { browser: invitee } = await signedInUser(t, 'late@example.com');
    t.clock.set(inv.expires_at + 1000);

    expect((await invitationNow(t, org.id, inv.id)).status).toBe('expired');
    const all = await invitationsOf(t, org.id);
    expect(all.data.map((i: any) => i.status)).toEqual(['expired']);
    expect((await invitationsOf(t, org.id, '&status=pending')).total_count).toBe(0);
    expect((await invitationsOf(t, org.id, '&status=expired')).data.map((i: any) => i.id)).toEqual([inv.id]);
    expect((await json(await invitee.get('/fapi/v1/me/organization_invitations'))).total_count).toBe(0);

    const accept = await errorOf(await invitee.post('/fapi/v1/tickets/accept', { ticket: ticketOf(inv.url) }));
    expect(accept).toMatchObject({ status: 410, code: 'invitation_expired' });

    for (const browser of [invitee, t.browser()]) {
      const page = await browser.get(pathOf(inv.url));
      expect(page.status).toBe(410);
      const html = await page.text();
      expect(html).toContain('This invitation has expired');
      expect(html).not.toContain('<form');
    }
    const posted = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(inv.url), action: 'accept' },
    });
    expect(posted.status).toBe(410);
    expect(await posted.text()).toContain('This invitation has expired');
    expect((await membersOf(t, org.id)).total_count).toBe(1);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('expired');
  });

  it('a revoked link answers invitation_revoked, a used one invitation_already_accepted, an unknown one invitation_not_found', async () => {
    const { org } = await seedOrganization(t);
    const revoked = await invited(t, org.id, 'rev@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`);
    const { browser: revokedUser } = await signedInUser(t, 'rev@example.com');
    expect(
      await errorOf(await revokedUser.post('/fapi/v1/tickets/accept', { ticket: ticketOf(revoked.url) })),
    ).toMatchObject({ status: 410, code: 'invitation_revoked' });
    const revokedPage = await revokedUser.get(pathOf(revoked.url));
    expect(revokedPage.status).toBe(410);
    expect(await revokedPage.text()).toContain('This invitation was revoked');
    expect(
      await errorOf(
        await t
          .browser()
          .post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(revoked.url), password: 'a long enough password' }),
      ),
    ).toMatchObject({ code: 'invitation_revoked' });

    const used = await invited(t, org.id, 'used@example.com');
    const { browser: usedUser } = await signedInUser(t, 'used@example.com');
    expect((await usedUser.post('/fapi/v1/tickets/accept', { ticket: ticketOf(used.url) })).status).toBe(200);
    expect(await errorOf(await usedUser.post('/fapi/v1/tickets/accept', { ticket: ticketOf(used.url) }))).toMatchObject(
      { status: 410, code: 'invitation_already_accepted' },
    );
    const usedPage = await t.browser().get(pathOf(used.url));
    expect(usedPage.status).toBe(410);
    expect(await usedPage.text()).toContain('already used');

    const unknown = 'A'.repeat(43);
    expect(await errorOf(await usedUser.post('/fapi/v1/tickets/accept', { ticket: unknown }))).toMatchObject({
      status: 404,
      code: 'invitation_not_found',
    });
    expect(await errorOf(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${unknown}`))).toMatchObject({
      status: 404,
      code: 'invitation_not_found',
    });
    const unknownPage = await t.browser().get(`/accept-invitation?ticket=${unknown}`);
    expect(unknownPage.status).toBeGreaterThanOrEqual(400);
    expect(await unknownPage.text()).toContain('This invitation link is not valid');
    expect((await membersOf(t, org.id)).total_count).toBe(2);
  });

  it('opening a link (page or preview), even signed in as the invitee, changes nothing', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'look@example.com');
    await t.smtp.waitFor('look@example.com');
    const before = await vi.waitFor(async () => {
      const now = await invitationNow(t, org.id, inv.id);
      expect(now.email_delivery.status).toBe('sent');
      return now;
    });
    const { browser: invitee } = await signedInUser(t, 'look@example.com');

    const anonymous = t.browser();
    for (const browser of [anonymous, invitee]) {
      for (let i = 0; i < 3; i++) {
        expect((await browser.get(pathOf(inv.url))).status).toBe(200);
        expect(
          (await browser.get(`/fapi/v1/tickets/preview?ticket=${encodeURIComponent(ticketOf(inv.url))}`)).status,
        ).toBe(200);
      }
    }
    expect(anonymous.cookie).toBeNull();
    const preview = await json(
      await invitee.get(`/fapi/v1/tickets/preview?ticket=${encodeURIComponent(ticketOf(inv.url))}`),
    );
    expect(preview).toMatchObject({ status: 'pending', next_step: 'accept', email_address: 'look@example.com' });
    expect(await invitationNow(t, org.id, inv.id)).toEqual(before);
    expect((await membersOf(t, org.id)).total_count).toBe(1);
    expect((await json(await invitee.get('/fapi/v1/me'))).organization_memberships).toEqual([]);
  });

  it('a cross-site POST to the page or the link API joins no one', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'csrf@example.com');
    const ticket = ticketOf(inv.url);
    const { browser: invitee } = await signedInUser(t, 'csrf@example.com');
    const evil = { origin: 'https://evil.test' };
    const page = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'accept' },
      headers: evil,
    });
    expect(page.status).toBe(403);
    const api = await invitee.fetch('POST', '/fapi/v1/tickets/accept', { json: { ticket }, headers: evil });
    expect(await errorOf(api)).toMatchObject({ status: 403, code: 'origin_invalid' });
    const inApp = await invitee.fetch('POST', `/fapi/v1/me/organization_invitations/${inv.id}/accept`, {
      json: {},
      headers: { 'sec-fetch-site': 'cross-site', origin: '' },
    });
    expect(inApp.status).toBe(403);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('pending');
    expect((await membersOf(t, org.id)).total_count).toBe(1);
  });

  it('a revoked or declined invitation whose mail is still waiting for a retry is never mailed', async () => {
    await t.close();
    const smtp = await startSmtp();
    const real = smtpTransport(smtp.url);
    let down = true;
    Object.assign(
      t,
      await startTestRoster({
        smtp,
        overrides: {
          transport: {
            send: (mail) => (down ? Promise.reject(new Error('421 service not available')) : real.send(mail)),
          },
          dispatcherOptions: { pollMs: 50, backoffMs: () => 60_000 },
        },
      }),
    );
    try {
      const { org } = await seedOrganization(t);
      const revoked = await invited(t, org.id, 'withdrawn@example.com');
      const declined = await invited(t, org.id, 'declines@example.com');
      const kept = await invited(t, org.id, 'kept@example.com');
      for (const inv of [revoked, declined, kept]) {
        await vi.waitFor(async () => expect((await invitationNow(t, org.id, inv.id)).email_delivery.attempts).toBe(1));
      }
      expect((await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`)).status).toBe(200);
      const { browser: decliner } = await signedInUser(t, 'declines@example.com');
      expect((await decliner.post(`/fapi/v1/me/organization_invitations/${declined.id}/decline`)).status).toBe(200);

      down = false;
      t.clock.advance(61_000);
      await smtp.waitFor('kept@example.com');
      await vi.waitFor(async () =>
        expect((await invitationNow(t, org.id, kept.id)).email_delivery.status).toBe('sent'),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.messages.flatMap(recipients)).toEqual(['kept@example.com']);
      for (const inv of [revoked, declined]) {
        expect((await invitationNow(t, org.id, inv.id)).email_delivery).toMatchObject({
          status: 'not_sent',
          attempts: 1,
        });
      }
    } finally {
      await t.close();
      await smtp.close();
      Object.assign(t, await startTestRoster());
    }
  });

  it('revokes only pending invitations: revoking twice, or an accepted one, is invitation_not_pending', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'once@example.com');
    const revoked = await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${inv.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).status).toBe('revoked');
    expect(
      await errorOf(await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${inv.id}/revoke`)),
    ).toMatchObject({
      status: 409,
      code: 'invitation_not_pending',
      meta: { status: 'revoked' },
    });
    expect(
      await errorOf(await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${inv.id}/revoke`)),
    ).toMatchObject({
      code: 'invitation_not_pending',
    });

    const accepted = await invited(t, org.id, 'taken@example.com');
    const { browser: invitee } = await signedInUser(t, 'taken@example.com');
    expect((await invitee.post('/fapi/v1/tickets/accept', { ticket: ticketOf(accepted.url) })).status).toBe(200);
    expect(
      await errorOf(await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${accepted.id}/revoke`)),
    ).toMatchObject({ code: 'invitation_not_pending', meta: { status: 'accepted' } });
    expect((await invitationNow(t, org.id, accepted.id)).status).toBe('accepted');

    const expiring = await invited(t, org.id, 'gone@example.com', { expires_in_days: 1 });
    t.clock.advance(DAY_MS + 1000);
    expect(
      await errorOf(await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${expiring.id}/revoke`)),
    ).toMatchObject({ code: 'invitation_not_pending', meta: { status: 'expired' } });

    // A member without the manage permission may not revoke.
    const another = await invited(t, org.id, 'another@example.com');
    expect(
      await errorOf(await invitee.post(`/fapi/v1/organizations/${org.id}/invitations/${another.id}/revoke`)),
    ).toMatchObject({
      status: 403,
      code: 'authorization_invalid',
    });
    expect((await invitationNow(t, org.id, another.id)).status).toBe('pending');
  });
});

describe('accepting', () => {
  it('copies the invitation public and private metadata onto the membership', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'meta@example.com', {
      role: 'admin',
      public_metadata: { team: 'blue', level: 2 },
      private_metadata: { cost_center: 'cc-7' },
    });
    const { browser: invitee, user } = await signedInUser(t, 'meta@example.com');
    const joined = await invitee.post('/fapi/v1/tickets/accept', { ticket: ticketOf(inv.url) });
    expect(joined.status).toBe(200);
    const membership = await json(joined);
    expect(membership).toMatchObject({ role: 'org:admin', public_metadata: { team: 'blue', level: 2 } });
    expect(membership).not.toHaveProperty('private_metadata');

    const members = await membersOf(t, org.id);
    const row = members.data.find((m: any) => m.public_user_data.user_id === user.id);
    expect(row).toMatchObject({
      role: 'org:admin',
      public_metadata: { team: 'blue', level: 2 },
      private_metadata: { cost_center: 'cc-7' },
    });
  });

  it('sends the invitee to redirect_url after joining from the page (303)', async () => {
    const { org } = await seedOrganization(t);
    const withRedirect = await invited(t, org.id, 'go@example.com', {
      redirect_url: 'http://app.test/welcome?from=invite',
    });
    const joined = await t.browser().fetch('POST', '/accept-invitation', {
      form: {
        ticket: ticketOf(await mailedUrl(t, withRedirect)),
        action: 'sign_up',
        password: 'a long enough password',
      },
    });
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe('http://app.test/welcome?from=invite');

    // Signed in already, accepting with the button also follows redirect_url.
    const second = await invited(t, org.id, 'go2@example.com', { redirect_url: 'http://app.test/second' });
    const { browser } = await signedInUser(t, 'go2@example.com');
    const page = await browser.get(pathOf(second.url));
    expect(await page.text()).toContain(`Join ${org.name}`);
    const accepted = await browser.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(second.url), action: 'accept' },
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('http://app.test/second');

    // Without one, the account page.
    const plain = await invited(t, org.id, 'go3@example.com');
    const res = await t.browser().fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(await mailedUrl(t, plain)), action: 'sign_up', password: 'a long enough password' },
    });
    expect(res.headers.get('location')).toBe(`${PUBLIC_URL}/account`);
  });

  it('refuses a signed-in account without the invited verified address; the invitation stays pending and the page offers to switch', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'right@example.com', { role: 'admin' });
    const ticket = ticketOf(await mailedUrl(t, inv));
    const { browser: wrong } = await signedInUser(t, 'wrong@example.com');

    expect(await errorOf(await wrong.post('/fapi/v1/tickets/accept', { ticket }))).toMatchObject({
      status: 403,
      code: 'invitation_email_mismatch',
      meta: { invited_email_address: 'right@example.com' },
    });
    const preview = await json(await wrong.get(`/fapi/v1/tickets/preview?ticket=${encodeURIComponent(ticket)}`));
    expect(preview).toMatchObject({ next_step: 'wrong_account', signed_in_as: 'wrong@example.com' });

    const page = await wrong.get(pathOf(inv.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="wrong-account"');
    expect(html).toContain('Sign out and continue');
    expect(html).toContain('value="switch"');
    expect(html).not.toContain('value="accept"');

    // Forcing the accept button anyway joins no one.
    const forced = await wrong.fetch('POST', '/accept-invitation', { form: { ticket, action: 'accept' } });
    expect(forced.status).toBe(403);
    expect(await forced.text()).toContain('Sign out and continue');
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('pending');
    expect((await membersOf(t, org.id)).total_count).toBe(1);
    expect((await json(await wrong.get('/fapi/v1/me'))).organization_memberships).toEqual([]);

    // Switching signs the wrong account out and offers sign-up (no account holds the address yet).
    const oldCookie = wrong.cookie!;
    const switched = await wrong.fetch('POST', '/accept-invitation', { form: { ticket, action: 'switch' } });
    expect(switched.status).toBe(200);
    const switchedHtml = await switched.text();
    expect(switchedHtml).toContain('Create account and join');
    expect(switchedHtml).not.toContain('Sign out and continue');
    expect(wrong.cookie).toBeNull();
    const stale = await t.browser().fetch('GET', '/fapi/v1/me', { headers: { authorization: `Bearer ${oldCookie}` } });
    expect(await errorOf(stale)).toMatchObject({ status: 401, code: 'session_invalid' });

    // When an account holds the invited address, switching offers sign-in instead.
    const other = await invited(t, org.id, 'exists@example.com');
    await createUser(t, 'exists@example.com');
    const { browser: wrong2 } = await signedInUser(t, 'wrong2@example.com');
    const switched2 = await wrong2.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(other.url), action: 'switch' },
    });
    expect(await switched2.text()).toContain('Sign in and join');

    // And the right person can still join.
    const joined = await wrong.fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_up', password: 'a long enough password' },
    });
    expect(joined.status).toBe(303);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('accepted');
  });

  it('lists my pending invitations for my verified addresses; accepting joins, declining revokes', async () => {
    const acme = await seedOrganization(t, { name: 'Acme' });
    const beta = await seedOrganization(t, { name: 'Beta' });
    const gamma = await seedOrganization(t, { name: 'Gamma' });
    const toAcme = await invited(t, acme.org.id, 'Me@Example.com', {
      public_metadata: { hi: 1 },
      private_metadata: { secret: 1 },
    });
    const toBeta = await invited(t, beta.org.id, 'me@example.com', { role: 'admin' });
    const revoked = await invited(t, gamma.org.id, 'me@example.com');
    await t.bapi('POST', `/v1/organizations/${gamma.org.id}/invitations/${revoked.id}/revoke`);
    await invited(t, gamma.org.id, 'someone-else@example.com');

    const { browser: me } = await signedInUser(t, 'me@example.com');
    const list = await json(await me.get('/fapi/v1/me/organization_invitations'));
    expect(list.total_count).toBe(2);
    expect(list.data.map((i: any) => i.id).sort()).toEqual([toAcme.id, toBeta.id].sort());
    const acmeItem = list.data.find((i: any) => i.id === toAcme.id);
    expect(acmeItem).toMatchObject({
      status: 'pending',
      public_metadata: { hi: 1 },
      public_organization_data: { id: acme.org.id, name: 'Acme' },
    });
    expect(acmeItem).not.toHaveProperty('private_metadata');
    expect(acmeItem).not.toHaveProperty('url');

    // Someone else cannot act on my invitation.
    const { browser: stranger } = await signedInUser(t, 'stranger@example.com');
    expect((await json(await stranger.get('/fapi/v1/me/organization_invitations'))).total_count).toBe(0);
    expect(
      await errorOf(await stranger.post(`/fapi/v1/me/organization_invitations/${toAcme.id}/accept`)),
    ).toMatchObject({
      status: 404,
      code: 'invitation_not_found',
    });
    expect(
      await errorOf(await stranger.post(`/fapi/v1/me/organization_invitations/${toAcme.id}/decline`)),
    ).toMatchObject({
      code: 'invitation_not_found',
    });

    const accepted = await me.post(`/fapi/v1/me/organization_invitations/${toAcme.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(await json(accepted)).toMatchObject({ role: 'org:member', organization: { id: acme.org.id } });
    const declined = await me.post(`/fapi/v1/me/organization_invitations/${toBeta.id}/decline`);
    expect(declined.status).toBe(200);
    expect((await json(declined)).status).toBe('revoked');

    expect((await invitationNow(t, acme.org.id, toAcme.id)).status).toBe('accepted');
    expect((await invitationNow(t, beta.org.id, toBeta.id)).status).toBe('revoked');
    const mine = await json(await me.get('/fapi/v1/me'));
    expect(mine.organization_memberships.map((m: any) => m.organization.id)).toEqual([acme.org.id]);
    expect((await json(await me.get('/fapi/v1/me/organization_invitations'))).total_count).toBe(0);
    const history = await json(await me.get('/fapi/v1/me/organization_invitations?status=accepted&status=revoked'));
    expect(history.total_count).toBe(3);

    // The declined link is dead; declining or accepting again says why.
    expect(await errorOf(await me.post('/fapi/v1/tickets/accept', { ticket: ticketOf(toBeta.url) }))).toMatchObject({
      code: 'invitation_revoked',
    });
    expect(await errorOf(await me.post(`/fapi/v1/me/organization_invitations/${toBeta.id}/decline`))).toMatchObject({
      code: 'invitation_revoked',
    });
    expect(await errorOf(await me.post(`/fapi/v1/me/organization_invitations/${toAcme.id}/accept`))).toMatchObject({
      code: 'invitation_already_accepted',
    });
  });

  it('the mailed link joins through the page as the signed-in invitee', async () => {
    const { org } = await seedOrganization(t);
    await invited(t, org.id, 'mailed@example.com');
    const link = linkIn(await t.smtp.waitFor('mailed@example.com'));
    const { browser } = await signedInUser(t, 'mailed@example.com');
    const page = await browser.get(pathOf(link));
    expect(await page.text()).toContain('value="accept"');
    const res = await browser.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(link), action: 'accept' },
    });
    expect(res.status).toBe(303);
    const me = await json(await browser.get('/fapi/v1/me'));
    expect(me.organization_memberships.map((m: any) => m.organization.id)).toEqual([org.id]);
    expect(me.session.last_active_organization_id).toBe(org.id);
  });
});

describe('members', () => {
  it('keeps at least one admin: the last admin can be neither demoted nor removed until another admin exists', async () => {
    const { org, user: admin, browser } = await seedOrganization(t);
    const { user: bob, browser: bobBrowser } = await signedInUser(t, 'bob@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: bob.id, role: 'basic_member' });

    const lastAdmin = { status: 403, code: 'organization_minimum_permissions_needed' };
    expect(
      await errorOf(
        await browser.patch(`/fapi/v1/organizations/${org.id}/memberships/${admin.id}`, { role: 'basic_member' }),
      ),
    ).toMatchObject(lastAdmin);
    expect(
      await errorOf(await browser.delete(`/fapi/v1/organizations/${org.id}/memberships/${admin.id}`)),
    ).toMatchObject(lastAdmin);
    expect(await errorOf(await browser.delete(`/fapi/v1/me/organization_memberships/${org.id}`))).toMatchObject(
      lastAdmin,
    );
    expect(
      await errorOf(
        await t.bapi('PATCH', `/v1/organizations/${org.id}/memberships/${admin.id}`, { role: 'basic_member' }),
      ),
    ).toMatchObject(lastAdmin);
    expect(await errorOf(await t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${admin.id}`))).toMatchObject(
      lastAdmin,
    );
    expect((await membersOf(t, org.id)).data.find((m: any) => m.public_user_data.user_id === admin.id).role).toBe(
      'org:admin',
    );

    // Promote Bob; now the first admin may step down, and Bob may remove them.
    const promoted = await browser.patch(`/fapi/v1/organizations/${org.id}/memberships/${bob.id}`, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect((await json(promoted)).role).toBe('org:admin');
    const demoted = await browser.patch(`/fapi/v1/organizations/${org.id}/memberships/${admin.id}`, {
      role: 'basic_member',
    });
    expect(demoted.status).toBe(200);
    expect((await json(demoted)).role).toBe('org:member');
    expect(
      await errorOf(
        await bobBrowser.patch(`/fapi/v1/organizations/${org.id}/memberships/${bob.id}`, { role: 'basic_member' }),
      ),
    ).toMatchObject(lastAdmin);
    const removed = await bobBrowser.delete(`/fapi/v1/organizations/${org.id}/memberships/${admin.id}`);
    expect(removed.status).toBe(200);
    const members = await membersOf(t, org.id);
    expect(members.data.map((m: any) => [m.public_user_data.user_id, m.role])).toEqual([[bob.id, 'org:admin']]);
    expect(await organizationNow(t, org.id)).toMatchObject({
      members_count: 1,
      missing_member_with_elevated_permissions: false,
    });
  });

  it('lists, changes roles and removes members through the Frontend API, checked by permission', async () => {
    const { org, user: admin, browser } = await seedOrganization(t);
    const { user: carol, browser: carolBrowser } = await signedInUser(t, 'carol@example.com');
    const { user: dave } = await signedInUser(t, 'dave@example.com');
    for (const u of [carol, dave]) {
      await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: u.id, role: 'basic_member' });
    }

    const list = await json(await browser.get(`/fapi/v1/organizations/${org.id}/memberships`));
    expect(list.total_count).toBe(3);
    expect(list.data.map((m: any) => m.public_user_data.user_id).sort()).toEqual([admin.id, carol.id, dave.id].sort());
    expect(list.data[0]).not.toHaveProperty('private_metadata');
    const admins = await json(await browser.get(`/fapi/v1/organizations/${org.id}/memberships?role=admin`));
    expect(admins.data.map((m: any) => m.public_user_data.user_id)).toEqual([admin.id]);

    // A member may read the list but not change roles or remove others.
    expect((await json(await carolBrowser.get(`/fapi/v1/organizations/${org.id}/memberships`))).total_count).toBe(3);
    expect(
      await errorOf(
        await carolBrowser.patch(`/fapi/v1/organizations/${org.id}/memberships/${carol.id}`, { role: 'admin' }),
      ),
    ).toMatchObject({
      status: 403,
      code: 'authorization_invalid',
    });
    expect(
      await errorOf(await carolBrowser.delete(`/fapi/v1/organizations/${org.id}/memberships/${dave.id}`)),
    ).toMatchObject({
      status: 403,
      code: 'authorization_invalid',
    });
    expect(
      await errorOf(
        await carolBrowser.post(`/fapi/v1/organizations/${org.id}/invitations`, {
          email_address: 'x@example.com',
          role: 'basic_member',
        }),
      ),
    ).toMatchObject({
      status: 403,
      code: 'authorization_invalid',
    });

    // An outsider may not even read it.
    const { browser: outsider } = await signedInUser(t, 'outsider@example.com');
    expect(await errorOf(await outsider.get(`/fapi/v1/organizations/${org.id}/memberships`))).toMatchObject({
      status: 403,
      code: 'not_a_member_in_organization',
    });

    const changed = await browser.patch(`/fapi/v1/organizations/${org.id}/memberships/${dave.id}`, {
      role: 'org:admin',
    });
    expect((await json(changed)).role).toBe('org:admin');
    expect(
      await errorOf(await browser.patch(`/fapi/v1/organizations/${org.id}/memberships/${dave.id}`, { role: 'owner' })),
    ).toMatchObject({
      status: 422,
      code: 'form_param_value_invalid',
    });
    const removed = await browser.delete(`/fapi/v1/organizations/${org.id}/memberships/${carol.id}`);
    expect(removed.status).toBe(200);
    expect(
      await errorOf(await browser.delete(`/fapi/v1/organizations/${org.id}/memberships/${carol.id}`)),
    ).toMatchObject({
      status: 404,
      code: 'membership_not_found',
    });
    // Carol lost access at once.
    expect(await errorOf(await carolBrowser.get(`/fapi/v1/organizations/${org.id}/memberships`))).toMatchObject({
      code: 'not_a_member_in_organization',
    });
    expect(await organizationNow(t, org.id)).toMatchObject({ members_count: 2 });

    // Dave (a member again after a demotion) can leave on his own.
    await browser.patch(`/fapi/v1/organizations/${org.id}/memberships/${dave.id}`, { role: 'basic_member' });
    const daveBrowser = await signIn(t, 'dave@example.com');
    expect((await daveBrowser.delete(`/fapi/v1/me/organization_memberships/${org.id}`)).status).toBe(200);
    expect((await membersOf(t, org.id)).total_count).toBe(1);
  });
});
