import { describe, expect, it, vi } from 'vitest';
import {
  all,
  createUser,
  errorOf,
  freshRosterForEachTest,
  invitationNow,
  invitationsOf,
  invite,
  invited,
  mailedUrl,
  membersOf,
  organizationNow,
  signedInUser,
  signIn,
  ticketOf,
} from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';
import { codeIn, recipients } from './support/smtp.js';

/**
 * Races: many requests for one invitation, one address or the last seats at once. Each must end
 * with exactly one winner, rows that agree with the counts, and clear 4xx answers for the rest
 * (never a 5xx). Rate limits are off here: they would answer 429 before the race is run.
 */

const t = freshRosterForEachTest({ env: { ROSTER_RATE_LIMITS: 'false' } });

async function outcomes(responses: Response[]) {
  const wins: Response[] = [];
  const losses: { status: number; code: string }[] = [];
  for (const res of responses) {
    if (res.status === 200) wins.push(res);
    else losses.push(await errorOf(res));
  }
  return { wins, losses };
}

function expectClientErrors(losses: { status: number; code: string }[], codes: string[]) {
  for (const loss of losses) {
    expect(loss.status, JSON.stringify(loss)).toBeGreaterThanOrEqual(400);
    expect(loss.status, JSON.stringify(loss)).toBeLessThan(500);
    expect(codes, JSON.stringify(loss)).toContain(loss.code);
  }
}

async function membershipRows(orgId: string, userId?: string) {
  let q = t.roster.database.db.selectFrom('memberships').select('id').where('organization_id', '=', orgId);
  if (userId) q = q.where('user_id', '=', userId);
  return (await q.execute()).length;
}

/** The organization's counts agree with its rows. */
async function expectCountsMatchRows(orgId: string) {
  const org = await organizationNow(t, orgId);
  expect(org.members_count).toBe((await membersOf(t, orgId)).total_count);
  expect(org.members_count).toBe(await membershipRows(orgId));
  expect(org.pending_invitations_count).toBe((await invitationsOf(t, orgId, '&status=pending')).total_count);
  return org;
}

describe('one invitation, many accepts', () => {
  it('25 concurrent accepts by the invitee (link, in-app and page) make exactly one membership', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'racer@example.com');
    const { user, browser } = await signedInUser(t, 'racer@example.com');
    const ticket = ticketOf(inv.url);

    const responses = await all(25, (i) => {
      if (i % 3 === 0) return browser.post('/fapi/v1/tickets/accept', { ticket });
      if (i % 3 === 1) return browser.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`);
      return browser.fetch('POST', '/accept-invitation', { form: { ticket, action: 'accept' } });
    });
    // The page answers a redirect when it joins, and re-renders with an error otherwise.
    const joinedByPage = responses.filter((r) => r.status === 303);
    const pageLosses = responses.filter((r, i) => i % 3 === 2 && r.status !== 303);
    for (const r of pageLosses) {
      expect([410, 422]).toContain(r.status); // invitation_already_accepted, already_a_member_in_organization
      await r.text();
    }
    const api = responses.filter((_, i) => i % 3 !== 2);
    const { wins, losses } = await outcomes(api);
    expect(wins.length + joinedByPage.length).toBe(1);
    expectClientErrors(losses, ['already_a_member_in_organization', 'invitation_already_accepted']);

    expect(await membershipRows(org.id, user.id)).toBe(1);
    const now = await invitationNow(t, org.id, inv.id);
    expect(now.status).toBe('accepted');
    expect((await invitationsOf(t, org.id, '&status=accepted')).total_count).toBe(1);
    expect(await expectCountsMatchRows(org.id)).toMatchObject({ members_count: 2, pending_invitations_count: 0 });
  });

  it('20 concurrent sign-ups from the link with different passwords create one account, and only the winner’s password works', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'newbie@example.com');
    const ticket = ticketOf(await mailedUrl(t, inv));
    const passwords = Array.from({ length: 20 }, (_, i) => `password number ${i}`);
    const browsers = passwords.map(() => t.browser());

    const responses = await all(20, (i) =>
      i % 2 === 0
        ? browsers[i]!.post('/fapi/v1/tickets/sign_up', { ticket, password: passwords[i] })
        : browsers[i]!.fetch('POST', '/accept-invitation', {
            form: { ticket, action: 'sign_up', password: passwords[i]! },
          }),
    );
    const winners = responses.flatMap((r, i) => (r.status === 200 || r.status === 303 ? [i] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    const { losses } = await outcomes(responses.filter((_, i) => i % 2 === 0 && i !== winner));
    expectClientErrors(losses, ['form_identifier_exists', 'invitation_already_accepted']);
    for (const r of responses.filter((_, i) => i % 2 === 1 && i !== winner)) expect([410, 422]).toContain(r.status);

    const users = await json(await t.bapi('GET', '/v1/users?email_address=newbie@example.com'));
    expect(users).toHaveLength(1);
    expect(await membershipRows(org.id, users[0].id)).toBe(1);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('accepted');
    expect(await expectCountsMatchRows(org.id)).toMatchObject({ members_count: 2 });

    // Only the winner is signed in, and only the winner's password opens the account.
    const signedIn = browsers.filter((b) => b.cookie !== null);
    expect(signedIn).toEqual([browsers[winner]]);
    expect((await json(await browsers[winner]!.get('/fapi/v1/me'))).user.id).toBe(users[0].id);
    for (const [i, password] of passwords.entries()) {
      const res = await t.browser().post('/fapi/v1/client/sign_ins', { identifier: 'newbie@example.com', password });
      expect(res.status, `password ${i}`).toBe(i === winner ? 200 : 422);
    }
  });
});

describe('accept racing revoke', () => {
  it('in every round exactly one of them wins, and a revoked invitation never leaves a membership', async () => {
    const { org } = await seedOrganization(t);
    const { user, browser } = await signedInUser(t, 'contested@example.com');
    const tally = { accepted: 0, revoked: 0 };

    for (let round = 0; round < 20; round++) {
      const inv = await invited(t, org.id, 'contested@example.com');
      const accept = () => browser.post('/fapi/v1/tickets/accept', { ticket: ticketOf(inv.url) });
      const revoke = () => t.bapi('POST', `/v1/organizations/${org.id}/invitations/${inv.id}/revoke`);
      // Alternate who starts first so both orders are exercised.
      const [acceptRes, revokeRes] =
        round % 2 === 0 ? await Promise.all([accept(), revoke()]) : (await Promise.all([revoke(), accept()])).reverse();
      const status = (await invitationNow(t, org.id, inv.id)).status;
      const rows = await membershipRows(org.id, user.id);

      if (acceptRes!.status === 200) {
        expect(await errorOf(revokeRes!)).toMatchObject({ status: 409, code: 'invitation_not_pending' });
        expect(status).toBe('accepted');
        expect(rows).toBe(1);
        tally.accepted++;
        expect((await t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${user.id}`)).status).toBe(200);
      } else {
        expect(revokeRes!.status, `round ${round}`).toBe(200);
        expect(await errorOf(acceptRes!)).toMatchObject({ status: 410, code: 'invitation_revoked' });
        expect(status).toBe('revoked');
        expect(rows).toBe(0);
        tally.revoked++;
      }
    }
    expect(tally.accepted + tally.revoked).toBe(20);
    expect((await invitationsOf(t, org.id)).total_count).toBe(20);
    expect((await invitationsOf(t, org.id, '&status=accepted')).total_count).toBe(tally.accepted);
    expect((await invitationsOf(t, org.id, '&status=revoked')).total_count).toBe(tally.revoked);
    expect(await expectCountsMatchRows(org.id)).toMatchObject({ members_count: 1, pending_invitations_count: 0 });
  });

  it('decline racing accept: one wins', async () => {
    const { org } = await seedOrganization(t);
    const { user, browser } = await signedInUser(t, 'torn@example.com');
    for (let round = 0; round < 10; round++) {
      const inv = await invited(t, org.id, 'torn@example.com');
      const [acceptRes, declineRes] = await Promise.all([
        browser.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`),
        browser.post(`/fapi/v1/me/organization_invitations/${inv.id}/decline`),
      ]);
      expect([acceptRes.status, declineRes.status].filter((s) => s === 200)).toHaveLength(1);
      const loser = acceptRes.status === 200 ? declineRes : acceptRes;
      expect(loser.status).toBeGreaterThanOrEqual(400);
      expect(loser.status).toBeLessThan(500);
      const rows = await membershipRows(org.id, user.id);
      expect(rows).toBe(acceptRes.status === 200 ? 1 : 0);
      if (rows) await t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${user.id}`);
    }
  });
});

describe('concurrent creates', () => {
  it('20 concurrent invitations of one address (both APIs, any case) make one invitation and one mail', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    const responses = await all(20, (i) => {
      const email = i % 2 ? 'Same.Person@Example.com' : ' same.person@example.com';
      return i % 4 < 2
        ? invite(t, org.id, email)
        : admin.post(`/fapi/v1/organizations/${org.id}/invitations`, { email_address: email, role: 'basic_member' });
    });
    const { wins, losses } = await outcomes(responses);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(19);
    expectClientErrors(losses, ['duplicate_record']);
    const created = await json(wins[0]!);

    const list = await invitationsOf(t, org.id);
    expect(list.total_count).toBe(1);
    expect(list.data[0].id).toBe(created.id);
    await vi.waitFor(async () => {
      expect((await invitationNow(t, org.id, created.id)).email_delivery.status).toBe('sent');
    });
    // Give any stray message time to arrive, then count.
    await new Promise((r) => setTimeout(r, 300));
    expect(t.smtp.messages.filter((m) => recipients(m).includes('same.person@example.com'))).toHaveLength(1);
    const outbox = await t.roster.database.db.selectFrom('outbox').select('id').execute();
    expect(outbox).toHaveLength(1);
    expect(await expectCountsMatchRows(org.id)).toMatchObject({ pending_invitations_count: 1 });
  });

  it('10 concurrent invitations with 4 seats left: exactly 4 are created', async () => {
    const { org } = await seedOrganization(t, { max: 5 });
    const responses = await all(10, (i) => invite(t, org.id, `seat${i}@example.com`));
    const { wins, losses } = await outcomes(responses);
    expect(wins).toHaveLength(4);
    expectClientErrors(losses, ['organization_membership_quota_exceeded']);
    expect(await expectCountsMatchRows(org.id)).toMatchObject({
      members_count: 1,
      pending_invitations_count: 4,
      max_allowed_memberships: 5,
    });
    expect((await invitationsOf(t, org.id)).total_count).toBe(4);
  });

  it('concurrent bulk invitations and direct adds never overshoot the seats', async () => {
    const { org } = await seedOrganization(t, { max: 6 });
    const users = await Promise.all([0, 1, 2, 3].map((i) => createUser(t, `direct${i}@example.com`)));
    const responses = await Promise.all([
      t.bapi(
        'POST',
        `/v1/organizations/${org.id}/invitations/bulk`,
        [0, 1, 2, 3].map((i) => ({ email_address: `bulk${i}@example.com`, role: 'basic_member' })),
      ),
      ...users.map((u) =>
        t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: u.id, role: 'basic_member' }),
      ),
      ...[0, 1, 2].map((i) => invite(t, org.id, `single${i}@example.com`)),
    ]);
    for (const r of responses) expect(r.status).toBeLessThan(500);
    const bulk = await json(responses[0]!);
    const others = await outcomes(responses.slice(1));
    expectClientErrors(others.losses, ['organization_membership_quota_exceeded']);
    // A bulk that created nothing (the others took every seat first) fails as a request, with its errors.
    const taken = (bulk.data?.length ?? 0) + others.wins.length;
    expect(taken).toBe(5);
    const org2 = await expectCountsMatchRows(org.id);
    expect(org2.members_count + org2.pending_invitations_count).toBe(6);
  });

  it('concurrent accepts of different invitations all fit the seats they hold', async () => {
    const { org } = await seedOrganization(t, { max: 4 });
    const invs = await Promise.all([0, 1, 2].map((i) => invited(t, org.id, `fill${i}@example.com`)));
    expect(await errorOf(await invite(t, org.id, 'fill3@example.com'))).toMatchObject({
      code: 'organization_membership_quota_exceeded',
    });
    const browsers = await Promise.all(
      [0, 1, 2].map(async (i) => {
        await createUser(t, `fill${i}@example.com`);
        return signIn(t, `fill${i}@example.com`);
      }),
    );
    const responses = await Promise.all(
      invs.map((inv, i) => browsers[i]!.post('/fapi/v1/tickets/accept', { ticket: ticketOf(inv.url) })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await expectCountsMatchRows(org.id)).toMatchObject({ members_count: 4, pending_invitations_count: 0 });
  });
});

describe('the last admin under concurrency', () => {
  it('two admins demoting, removing or leaving at once never leave the organization without an admin', async () => {
    const { org, user: ada, browser: adaBrowser } = await seedOrganization(t);
    const { user: bob, browser: bobBrowser } = await signedInUser(t, 'bob@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: bob.id, role: 'admin' });
    const moves = [
      // each admin demotes the other
      () =>
        Promise.all([
          adaBrowser.patch(`/fapi/v1/organizations/${org.id}/memberships/${bob.id}`, { role: 'basic_member' }),
          bobBrowser.patch(`/fapi/v1/organizations/${org.id}/memberships/${ada.id}`, { role: 'basic_member' }),
        ]),
      // each admin steps down
      () =>
        Promise.all([
          adaBrowser.patch(`/fapi/v1/organizations/${org.id}/memberships/${ada.id}`, { role: 'basic_member' }),
          bobBrowser.patch(`/fapi/v1/organizations/${org.id}/memberships/${bob.id}`, { role: 'basic_member' }),
        ]),
      // each admin leaves
      () =>
        Promise.all([
          adaBrowser.delete(`/fapi/v1/me/organization_memberships/${org.id}`),
          bobBrowser.delete(`/fapi/v1/me/organization_memberships/${org.id}`),
        ]),
      // the secret key removes both
      () =>
        Promise.all([
          t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${ada.id}`),
          t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${bob.id}`),
        ]),
    ];
    for (const [round, move] of moves.entries()) {
      const responses = await move();
      const { wins, losses } = await outcomes(responses);
      expect(wins, `round ${round}`).toHaveLength(1);
      expectClientErrors(losses, [
        'organization_minimum_permissions_needed',
        'authorization_invalid',
        'not_a_member_in_organization',
      ]);
      const admins = (await membersOf(t, org.id)).data.filter((m: any) => m.role === 'org:admin');
      expect(admins, `round ${round}`).toHaveLength(1);
      // Restore two admins for the next round.
      for (const u of [ada, bob]) {
        const present = (await membersOf(t, org.id)).data.some((m: any) => m.public_user_data.user_id === u.id);
        if (present) await t.bapi('PATCH', `/v1/organizations/${org.id}/memberships/${u.id}`, { role: 'admin' });
        else await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: u.id, role: 'admin' });
      }
    }
  });
});

describe('sign-up codes under concurrency', () => {
  it('20 concurrent verifications with the right code make one account', async () => {
    const starter = t.browser();
    const started = await starter.post('/fapi/v1/client/sign_ups', {
      email_address: 'twin@example.com',
      password: 'a long enough password',
    });
    expect(started.status).toBe(200);
    const signUpId = (await json(started)).sign_up_id;
    const code = codeIn(await t.smtp.waitFor('twin@example.com'));
    const browsers = Array.from({ length: 20 }, () => t.browser());
    const responses = await all(20, (i) =>
      browsers[i]!.post('/fapi/v1/client/sign_ups/verify', { sign_up_id: signUpId, code }),
    );
    const { wins, losses } = await outcomes(responses);
    expect(wins).toHaveLength(1);
    expectClientErrors(losses, ['form_identifier_exists', 'verification_expired', 'verification_not_found']);
    expect((await json(await t.bapi('GET', '/v1/users/count?email_address=twin@example.com'))).total_count).toBe(1);
    expect(browsers.filter((b) => b.cookie !== null)).toHaveLength(1);
  });
});
