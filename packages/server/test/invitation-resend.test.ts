import type { ParsedMail } from 'mailparser';
import { describe, expect, it, vi } from 'vitest';
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
  signIn,
  ticketOf,
} from './support/flows.js';
import { json, seedOrganization, startTestRoster } from './support/harness.js';
import { codeIn, linkIn, startSmtp } from './support/smtp.js';

/**
 * Resend, renewal and copy-link (decision 029), through both APIs and a real SMTP server: a resend
 * mails the same invitation with a new mailed ticket (the old mailed link stops working), keeps role
 * and metadata, renews an expired one with the counts kept right, and is rate-limited; copy-link
 * hands an admin a link that lets its holder join but never proves the address.
 */

const t = freshRosterForEachTest();

const PASSWORD = 'a long enough password';
const isResendOf = (id: string) => (m: ParsedMail) => String(m.messageId).startsWith(`<${id}.msg_`);
const isCodeMail = (m: ParsedMail) => m.subject === 'Your verification code';

/** The link of the newest resend mail of an invitation (waits for the mail after the `seen` ones). */
async function resentUrl(invitation: { readonly [key: string]: unknown }, seen = 0): Promise<string> {
  const match = isResendOf(String(invitation.id));
  await vi.waitFor(() => expect(t.smtp.messages.filter(match).length).toBeGreaterThan(seen), { timeout: 10_000 });
  return linkIn(t.smtp.messages.filter(match)[seen]!);
}

const resendPath = (orgId: string, invId: string) => `/v1/organizations/${orgId}/invitations/${invId}/resend`;

async function totals(orgId: string) {
  const result: Record<string, number> = {};
  for (const status of ['pending', 'accepted', 'revoked', 'expired']) {
    result[status] = (await invitationsOf(t, orgId, `&status=${status}`)).total_count;
  }
  return result;
}

describe('resending an invitation', () => {
  it('Backend API: a new mailed ticket and a new shown one; the old links are refused; role and metadata kept; the new mailed link signs up in one step', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const created = await invited(t, org.id, 'New.Person@example.com', {
      role: 'org:admin',
      public_metadata: { team: 'red' },
      private_metadata: { source: 'crm' },
    });
    const oldMailed = await mailedUrl(t, created);

    t.clock.advance(1000);
    const res = await t.bapi('POST', resendPath(org.id, created.id), { expires_in_days: 3 });
    expect(res.status).toBe(200);
    const resent = await json(res);
    expect(resent).toMatchObject({
      id: created.id,
      status: 'pending',
      role: 'org:admin',
      public_metadata: { team: 'red' },
      private_metadata: { source: 'crm' },
      inviter_id: created.inviter_id,
      expires_at: t.clock.now() + 3 * DAY_MS,
      email_delivery: { status: 'queued', attempts: 0 },
    });
    expect(resent.url).toMatch(/ticket=/);
    expect(ticketOf(resent.url)).not.toBe(ticketOf(created.url));

    const newMailed = await resentUrl(resent);
    expect(ticketOf(newMailed)).not.toBe(ticketOf(oldMailed));
    expect(ticketOf(newMailed)).not.toBe(ticketOf(resent.url));
    // The delivery state is the new mail's.
    await vi.waitFor(async () =>
      expect((await invitationNow(t, org.id, created.id)).email_delivery.status).toBe('sent'),
    );

    // Both old links (mailed and shown) open nothing any more.
    const visitor = t.browser();
    for (const old of [oldMailed, created.url]) {
      expect(await errorOf(await visitor.get(`/fapi/v1/tickets/preview?ticket=${ticketOf(old)}`))).toMatchObject({
        status: 404,
        code: 'invitation_not_found',
      });
      expect(
        await errorOf(await visitor.post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(old), password: PASSWORD })),
      ).toMatchObject({ status: 404, code: 'invitation_not_found' });
    }

    // The new mailed link signs up in one step and joins with the invitation's role and metadata.
    const invitee = t.browser();
    const joined = await invitee.post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(newMailed), password: PASSWORD });
    expect(joined.status).toBe(200);
    expect(await json(joined)).toMatchObject({
      status: 'complete',
      organization_membership: { role: 'org:admin', public_metadata: { team: 'red' }, organization: { id: org.id } },
    });
    const member = (await membersOf(t, org.id)).data.find(
      (m: { public_user_data: { identifier: string } }) => m.public_user_data.identifier === 'New.Person@example.com',
    );
    expect(member).toMatchObject({ role: 'org:admin', private_metadata: { source: 'crm' } });

    // An accepted invitation is not resent.
    expect(await errorOf(await t.bapi('POST', resendPath(org.id, created.id), {}))).toMatchObject({
      status: 410,
      code: 'invitation_already_accepted',
    });
  });

  it('Frontend API: an admin resends; the answer has no link; the default expiry runs from now; a revoked one is refused', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const created = await invited(t, org.id, 'someone@example.com', { expires_in_days: 2 });
    await mailedUrl(t, created);
    t.clock.advance(DAY_MS);

    const res = await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/resend`);
    expect(res.status).toBe(200);
    const resent = await json(res);
    expect(resent.url).toBeNull();
    expect(resent.private_metadata).toBeUndefined();
    expect(resent.expires_at).toBe(t.clock.now() + 30 * DAY_MS);
    const link = await resentUrl(resent);
    // The Backend API's shown link from the create is gone too: only the mailbox holds a ticket.
    expect(
      await errorOf(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${ticketOf(created.url)}`)),
    ).toMatchObject({ code: 'invitation_not_found' });
    expect(await json(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${ticketOf(link)}`))).toMatchObject({
      sign_up_needs_email_code: false,
    });

    // A member without the invitations permission may not resend.
    const plainUser = await createUser(t, 'plain@example.com');
    const added = await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, {
      user_id: plainUser.id,
      role: 'org:member',
    });
    expect(added.status).toBe(200);
    const plain = await signIn(t, 'plain@example.com');
    expect(
      (await errorOf(await plain.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/resend`))).status,
    ).toBe(403);

    // Strict body.
    expect(
      await errorOf(
        await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/resend`, { role: 'org:admin' }),
      ),
    ).toMatchObject({ status: 422, code: 'form_param_unknown' });

    expect((await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/revoke`)).status).toBe(200);
    expect(
      await errorOf(await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/resend`)),
    ).toMatchObject({ status: 410, code: 'invitation_revoked' });
  });

  it('renews an expired invitation, before and after the sweeper, and the counts follow', async () => {
    const { org } = await seedOrganization(t);
    const unswept = await invited(t, org.id, 'unswept@example.com', { expires_in_days: 1 });
    const swept = await invited(t, org.id, 'swept@example.com', { expires_in_days: 1 });
    t.clock.advance(DAY_MS + 1000);
    expect(await totals(org.id)).toEqual({ pending: 0, accepted: 0, revoked: 0, expired: 2 });
    // One of them swept: stored as `expired`.
    await t.bapi('POST', resendPath(org.id, unswept.id), {}).then(async (r) => expect(r.status).toBe(200));
    expect(await t.roster.sweeper.sweep()).toBe(1);
    expect((await invitationNow(t, org.id, swept.id)).status).toBe('expired');
    expect(await totals(org.id)).toEqual({ pending: 1, accepted: 0, revoked: 0, expired: 1 });

    const renewed = await json(await t.bapi('POST', resendPath(org.id, swept.id), { expires_in_days: 5 }));
    expect(renewed).toMatchObject({ status: 'pending', expires_at: t.clock.now() + 5 * DAY_MS });
    expect(await totals(org.id)).toEqual({ pending: 2, accepted: 0, revoked: 0, expired: 0 });
    expect((await organizationNow(t, org.id)).pending_invitations_count).toBe(2);

    // The renewed one's mailed link joins.
    const link = await resentUrl(renewed);
    const joined = await t.browser().post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(link), password: PASSWORD });
    expect((await json(joined)).status).toBe('complete');
    expect(await totals(org.id)).toEqual({ pending: 1, accepted: 1, revoked: 0, expired: 0 });
  });

  it('renewing an expired invitation while a newer one for the address is pending is duplicate_record', async () => {
    const { org } = await seedOrganization(t);
    const old = await invited(t, org.id, 'twice@example.com', { expires_in_days: 1 });
    t.clock.advance(DAY_MS + 1000);
    const newer = await invited(t, org.id, 'twice@example.com');
    expect(await errorOf(await t.bapi('POST', resendPath(org.id, old.id), {}))).toMatchObject({
      status: 422,
      code: 'duplicate_record',
      meta: { invitation_id: newer.id, resend_path: `/organizations/${org.id}/invitations/${newer.id}/resend` },
    });
    expect((await invitationNow(t, org.id, old.id)).status).toBe('expired');
    expect((await invitationNow(t, org.id, newer.id)).status).toBe('pending');
    expect(await totals(org.id)).toEqual({ pending: 1, accepted: 0, revoked: 0, expired: 1 });
  });

  it('an address that became a member meanwhile is not mailed again', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'joined@example.com');
    const user = await createUser(t, 'joined@example.com');
    expect(
      (await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: user.id, role: 'org:member' }))
        .status,
    ).toBe(200);
    expect(await errorOf(await t.bapi('POST', resendPath(org.id, inv.id), {}))).toMatchObject({
      status: 422,
      code: 'already_a_member_in_organization',
    });
  });

  it('a renewal in an organization at its seat limit is refused', async () => {
    const { org } = await seedOrganization(t, { max: 2 });
    const old = await invited(t, org.id, 'late@example.com', { expires_in_days: 1 });
    t.clock.advance(DAY_MS + 1000);
    await invited(t, org.id, 'other@example.com');
    expect(await errorOf(await t.bapi('POST', resendPath(org.id, old.id), {}))).toMatchObject({
      code: 'organization_membership_quota_exceeded',
    });
    expect((await invitationNow(t, org.id, old.id)).status).toBe('expired');
  });

  it('is limited to 3 per invitation per hour (too_many_requests with Retry-After), on both APIs together', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'often@example.com');
    const other = await invited(t, org.id, 'other@example.com');
    expect((await t.bapi('POST', resendPath(org.id, inv.id), {})).status).toBe(200);
    expect((await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${inv.id}/resend`)).status).toBe(200);
    expect((await t.bapi('POST', resendPath(org.id, inv.id), {})).status).toBe(200);
    const refused = await t.bapi('POST', resendPath(org.id, inv.id), {});
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'too_many_requests' });
    // Another invitation has its own budget.
    expect((await t.bapi('POST', resendPath(org.id, other.id), {})).status).toBe(200);
  });

  it('spends the address’s mail budget', async () => {
    await t.close();
    Object.assign(t, await startTestRoster({ env: { ROSTER_MAILS_PER_ADDRESS_PER_HOUR: '2' } }));
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'budget@example.com');
    expect((await t.bapi('POST', resendPath(org.id, inv.id), {})).status).toBe(200);
    expect(await errorOf(await t.bapi('POST', resendPath(org.id, inv.id), {}))).toMatchObject({
      status: 429,
      code: 'too_many_requests',
    });
  });

  it('a Frontend API resend spends the user’s invitation budget', async () => {
    await t.close();
    Object.assign(t, await startTestRoster({ env: { ROSTER_USER_INVITATIONS_PER_HOUR: '2' } }));
    const { org, browser: admin } = await seedOrganization(t);
    const created = await json(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'u@example.com',
        role: 'org:member',
      }),
    );
    expect((await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/resend`)).status).toBe(200);
    expect(
      await errorOf(await admin.post(`/fapi/v1/organizations/${org.id}/invitations/${created.id}/resend`)),
    ).toMatchObject({ status: 429, code: 'too_many_requests' });
  });

  it('withdraws the old ticket’s mail still queued for a retry; only the new one is delivered', async () => {
    let refusing = true;
    const smtp = await startSmtp(0, {
      refuseRecipient: () => (refusing ? { code: 450, message: 'mailbox busy, try later' } : null),
    });
    try {
      await t.close();
      Object.assign(t, await startTestRoster({ smtp }));
      const { org } = await seedOrganization(t);
      const inv = await invited(t, org.id, 'busy@example.com');
      await vi.waitFor(
        async () =>
          expect((await invitationNow(t, org.id, inv.id)).email_delivery).toMatchObject({
            status: 'queued',
            attempts: 1,
          }),
        { timeout: 10_000 },
      );
      refusing = false;
      const resent = await json(await t.bapi('POST', resendPath(org.id, inv.id), {}));
      expect(resent.email_delivery).toMatchObject({ status: 'queued', attempts: 0 });
      await resentUrl(resent);
      await vi.waitFor(async () => expect((await invitationNow(t, org.id, inv.id)).email_delivery.status).toBe('sent'));
      // Past any retry of the first mail: nothing else goes out.
      t.clock.advance(2 * 3_600_000);
      await t.roster.dispatcher.drain();
      expect(smtp.messages.filter((m) => m.messageId === `<${inv.id}@roster>`)).toHaveLength(0);
      expect(smtp.messages.filter(isResendOf(inv.id))).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('an unknown invitation, or one of another organization, is invitation_not_found', async () => {
    const { org } = await seedOrganization(t);
    const { org: elsewhere } = await seedOrganization(t, { name: 'Elsewhere' });
    const theirs = await invited(t, elsewhere.id, 'x@example.com');
    for (const id of ['orginv_nope', theirs.id]) {
      expect(await errorOf(await t.bapi('POST', resendPath(org.id, id), {}))).toMatchObject({
        status: 404,
        code: 'invitation_not_found',
      });
    }
  });

  it('re-inviting while one is pending: duplicate_record names the invitation and where to resend it', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'pending@example.com');
    const hint = {
      status: 422,
      code: 'duplicate_record',
      meta: { invitation_id: inv.id, resend_path: `/organizations/${org.id}/invitations/${inv.id}/resend` },
    };
    expect(await errorOf(await invite(t, org.id, 'Pending@example.com'))).toMatchObject(hint);
    expect(
      await errorOf(
        await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
          email_address: 'pending@example.com',
          role: 'org:member',
        }),
      ),
    ).toMatchObject(hint);
    // The path works on the Backend API's base.
    expect((await t.bapi('POST', `/v1${hint.meta.resend_path}`, {})).status).toBe(200);
  });
});

describe('copy-link', () => {
  const linkPath = (orgId: string, invId: string) => `/fapi/v1/organizations/${orgId}/invitations/${invId}/link`;

  it('an admin gets a new shown link; a new account from it must prove the address by code; the previous shown link stops working', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'copied@corp.test', { role: 'org:admin' });
    const mailed = await mailedUrl(t, inv);

    const res = await admin.post(linkPath(org.id, inv.id));
    expect(res.status).toBe(200);
    const made = await json(res);
    expect(made).toMatchObject({ id: inv.id, status: 'pending', role: 'org:admin' });
    expect(made.url).toMatch(/^http:\/\/roster\.test\/accept-invitation\?ticket=/);
    const copied = ticketOf(made.url);
    expect(copied).not.toBe(ticketOf(inv.url));
    expect(copied).not.toBe(ticketOf(mailed));
    // The create's shown link is replaced; the mailed one still works.
    expect(await errorOf(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${ticketOf(inv.url)}`))).toMatchObject({
      code: 'invitation_not_found',
    });
    expect(await json(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${copied}`))).toMatchObject({
      next_step: 'sign_up',
      sign_up_needs_email_code: true,
    });

    // Whoever holds the copied link: no account until the code mailed to the address comes back.
    const holder = t.browser();
    const started = await json(await holder.post('/fapi/v1/tickets/sign_up', { ticket: copied, password: PASSWORD }));
    expect(started).toMatchObject({ status: 'needs_email_verification', user: null, session: null });
    expect(holder.cookie).toBeNull();
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('pending');
    const code = codeIn(await t.smtp.waitFor('copied@corp.test', { match: isCodeMail }));
    const done = await holder.post('/fapi/v1/tickets/sign_up/verify', { sign_up_id: started.sign_up_id, code });
    expect(done.status).toBe(200);
    expect((await json(done)).organization_membership).toMatchObject({ role: 'org:admin' });
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('accepted');
    // Accepted: no more links.
    expect(await errorOf(await admin.post(linkPath(org.id, inv.id)))).toMatchObject({
      status: 410,
      code: 'invitation_already_accepted',
    });
  });

  it('an existing account joins from it only by holding the address verified', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'owner@corp.test');
    const copied = ticketOf((await json(await admin.post(linkPath(org.id, inv.id)))).url);
    const { browser: stranger } = await (async () => {
      await createUser(t, 'stranger@corp.test');
      return { browser: await signIn(t, 'stranger@corp.test') };
    })();
    expect(await errorOf(await stranger.post('/fapi/v1/tickets/accept', { ticket: copied }))).toMatchObject({
      code: 'invitation_email_mismatch',
    });
    // The Backend API may make one too; it replaces the browser's.
    const byKey = await json(await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${inv.id}/link`));
    expect(byKey.url).toMatch(/ticket=/);
    expect(await errorOf(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${copied}`))).toMatchObject({
      code: 'invitation_not_found',
    });
    await createUser(t, 'owner@corp.test');
    const owner = await signIn(t, 'owner@corp.test');
    expect((await owner.post('/fapi/v1/tickets/accept', { ticket: ticketOf(byKey.url) })).status).toBe(200);
  });

  it('is refused for members without the permission, for expired and revoked invitations, and rate-limited', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const { browser: outsider } = await seedOrganization(t, { name: 'Other' });
    const inv = await invited(t, org.id, 'a@corp.test');
    // An outsider gets what a create would answer them.
    const asCreate = await errorOf(
      await outsider.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'z@corp.test',
        role: 'org:member',
      }),
    );
    expect(asCreate.status).toBe(403);
    expect(await errorOf(await outsider.post(linkPath(org.id, inv.id)))).toMatchObject({
      status: 403,
      code: asCreate.code,
    });
    for (let i = 0; i < 10; i++) expect((await admin.post(linkPath(org.id, inv.id))).status).toBe(200);
    expect(await errorOf(await admin.post(linkPath(org.id, inv.id)))).toMatchObject({
      status: 429,
      code: 'too_many_requests',
    });

    const brief = await invited(t, org.id, 'b@corp.test', { expires_in_days: 1 });
    const revoked = await invited(t, org.id, 'c@corp.test');
    expect((await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`, {})).status).toBe(200);
    t.clock.advance(DAY_MS + 1000);
    expect(await errorOf(await admin.post(linkPath(org.id, brief.id)))).toMatchObject({
      status: 410,
      code: 'invitation_expired',
    });
    expect(await errorOf(await admin.post(linkPath(org.id, revoked.id)))).toMatchObject({
      status: 410,
      code: 'invitation_revoked',
    });
  });
});
