import { describe, expect, it } from 'vitest';
import { all, createUser, freshRosterForEachTest, invited, organizationNow, signIn } from './support/flows.js';
import { json } from './support/harness.js';

/**
 * Deletions racing the requests that use what they delete, through the APIs, round after round:
 * a user deleted while another admin is demoted, an accept while its user or organization goes, a
 * create while its organization goes. Every answer is a success or a clear 4xx (never a 5xx), and
 * no organization with members is left without an admin, and nothing of what was deleted is left
 * behind (no row names a deleted user or organization). Rate limits are off: they would answer 429
 * before the race is run.
 */

const t = freshRosterForEachTest({ env: { ROSTER_RATE_LIMITS: 'false' } });
const ROUNDS = 12;

/** Fails with the body of any 5xx; returns each answer's status and code (null for a success). */
async function answers(responses: Response[]) {
  const out: { status: number; code: string | null }[] = [];
  for (const res of responses) {
    if (res.status < 300) {
      await res.body?.cancel();
      out.push({ status: res.status, code: null });
      continue;
    }
    const text = await res.text();
    expect(res.status, text).toBeLessThan(500);
    out.push({ status: res.status, code: JSON.parse(text).errors[0].code });
  }
  return out;
}

/** Every row that still names a deleted user or organization, by table (empty when none is left). */
async function leftovers(gone: { userId?: string; orgId?: string }): Promise<Record<string, number>> {
  const db = t.roster.database.db;
  const count = async (rows: Promise<unknown[]>) => (await rows).length;
  const found: Record<string, number> = {};
  const { userId, orgId } = gone;
  if (userId) {
    found.users = await count(db.selectFrom('users').select('id').where('id', '=', userId).execute());
    for (const table of [
      'email_addresses',
      'sessions',
      'memberships',
      'pending_email_addresses',
      'sign_in_attempts',
    ] as const) {
      found[table] = await count(db.selectFrom(table).select('user_id').where('user_id', '=', userId).execute());
    }
  }
  if (orgId) {
    found.organizations = await count(db.selectFrom('organizations').select('id').where('id', '=', orgId).execute());
    for (const table of ['memberships', 'invitations', 'invitation_counts'] as const) {
      found[`${table} of the organization`] = await count(
        db.selectFrom(table).select('organization_id').where('organization_id', '=', orgId).execute(),
      );
    }
    found['outbox of its invitations'] = await count(
      db
        .selectFrom('outbox')
        .select('outbox.id')
        .where('invitation_id', 'is not', null)
        .where('invitation_id', 'not in', db.selectFrom('invitations').select('id'))
        .execute(),
    );
  }
  return Object.fromEntries(Object.entries(found).filter(([, n]) => n > 0));
}

async function organizationWithAdmins(name: string, round: number) {
  const p = await createUser(t, `p${round}-${name}@example.com`);
  const q = await createUser(t, `q${round}-${name}@example.com`);
  const org = await json(await t.bapi('POST', '/v1/organizations', { name, created_by: p.id }));
  const added = await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: q.id, role: 'org:admin' });
  expect(added.status).toBe(200);
  await added.body?.cancel();
  return { p, q, org };
}

describe('deleting a user beside role changes', () => {
  it(`${ROUNDS} rounds of DELETE /v1/users/P racing the demotion of Q (the only admins): always one admin left`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { p, q, org } = await organizationWithAdmins('Race', round);
      const [deleted, demoted] = await Promise.all([
        t.bapi('DELETE', `/v1/users/${p.id}`),
        t.bapi('PATCH', `/v1/organizations/${org.id}/memberships/${q.id}`, { role: 'org:member' }),
      ]);
      const [d, m] = await answers([deleted, demoted]);
      // Whichever runs second sees one admin left and is refused.
      expect(
        [d!.code, m!.code].filter((code) => code === null),
        `round ${round}`,
      ).toHaveLength(1);
      for (const a of [d!, m!]) if (a.code) expect(a.code).toBe('organization_minimum_permissions_needed');
      const now = await organizationNow(t, org.id);
      expect(now.missing_member_with_elevated_permissions, `round ${round}`).toBe(false);
      const admins = await json(await t.bapi('GET', `/v1/organizations/${org.id}/memberships?role=org:admin`));
      expect(admins.total_count, `round ${round}`).toBeGreaterThanOrEqual(1);
      if (d!.code === null) expect(await leftovers({ userId: p.id }), `round ${round}`).toEqual({});
    }
  });

  it(`${ROUNDS} rounds of deleting P racing the removal of Q: members are never left without an admin`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { p, q, org } = await organizationWithAdmins('Removal', round);
      const [deleted] = await answers(
        await Promise.all([
          t.bapi('DELETE', `/v1/users/${p.id}`),
          t.bapi('DELETE', `/v1/organizations/${org.id}/memberships/${q.id}`),
        ]),
      );
      if (deleted!.code === null) expect(await leftovers({ userId: p.id }), `round ${round}`).toEqual({});
      // Q removed first leaves P alone, and a last admin alone may be deleted (as in Clerk): an
      // empty organization. P deleted first leaves Q the last admin, who cannot be removed.
      const now = await organizationNow(t, org.id);
      if (now.members_count > 0) expect(now.missing_member_with_elevated_permissions, `round ${round}`).toBe(false);
    }
  });

  it('deleting the last admin who is alone is allowed, as in Clerk, and the organization says so', async () => {
    const p = await createUser(t, 'alone@example.com');
    const org = await json(await t.bapi('POST', '/v1/organizations', { name: 'Solo', created_by: p.id }));
    expect((await t.bapi('DELETE', `/v1/users/${p.id}`)).status).toBe(200);
    const now = await organizationNow(t, org.id);
    expect(now).toMatchObject({ members_count: 0, missing_member_with_elevated_permissions: true });
    expect(await leftovers({ userId: p.id })).toEqual({});
  });
});

describe('accepting while the user or the organization is deleted', () => {
  async function invitedMember(round: number, label: string) {
    const owner = await createUser(t, `owner${round}-${label}@example.com`);
    const org = await json(await t.bapi('POST', '/v1/organizations', { name: `Org ${round}`, created_by: owner.id }));
    const email = `joiner${round}-${label}@example.com`;
    const user = await createUser(t, email);
    const browser = await signIn(t, email);
    const invitation = await invited(t, org.id, email);
    return { org, user, browser, invitation };
  }

  const ACCEPT_CODES = [
    'user_not_found',
    'organization_not_found',
    'invitation_not_found',
    'session_invalid',
    'authentication_invalid',
  ];

  it(`${ROUNDS} rounds of accepting (link and in-app) while the user is deleted: 200 or a clear 4xx`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { user, browser, invitation } = await invitedMember(round, 'user');
      const ticket = new URL(invitation.url).searchParams.get('ticket')!;
      const accept =
        round % 2 === 0
          ? browser.post('/fapi/v1/tickets/accept', { ticket })
          : browser.post(`/fapi/v1/me/organization_invitations/${invitation.id}/accept`);
      const [accepted, deleted] = await answers(await Promise.all([accept, t.bapi('DELETE', `/v1/users/${user.id}`)]));
      expect(deleted!.code).toBeNull();
      if (accepted!.code) expect(ACCEPT_CODES, `round ${round}`).toContain(accepted!.code);
      // An accept that won still left nothing of the user: its membership went with it.
      expect(await leftovers({ userId: user.id }), `round ${round}`).toEqual({});
    }
  });

  it(`${ROUNDS} rounds of accepting while the organization is deleted: 200 or a clear 4xx`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, browser, invitation } = await invitedMember(round, 'org');
      const ticket = new URL(invitation.url).searchParams.get('ticket')!;
      const accept =
        round % 2 === 0
          ? browser.post('/fapi/v1/tickets/accept', { ticket })
          : browser.post(`/fapi/v1/me/organization_invitations/${invitation.id}/accept`);
      const [accepted, deleted] = await answers(
        await Promise.all([accept, t.bapi('DELETE', `/v1/organizations/${org.id}`)]),
      );
      expect(deleted!.code).toBeNull();
      if (accepted!.code) expect(ACCEPT_CODES, `round ${round}`).toContain(accepted!.code);
      expect((await t.bapi('GET', `/v1/organizations/${org.id}`)).status).toBe(404);
      expect(await leftovers({ orgId: org.id }), `round ${round}`).toEqual({});
    }
  });
});

describe('creating while the organization is deleted', () => {
  it(`${ROUNDS} rounds of invitations, bulk invitations and adds racing the delete: 200 or 404`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await createUser(t, `creator${round}@example.com`);
      const org = await json(
        await t.bapi('POST', '/v1/organizations', { name: `Gone ${round}`, created_by: owner.id }),
      );
      const member = await createUser(t, `added${round}@example.com`);
      const admin = await signIn(t, `creator${round}@example.com`);
      const requests = await Promise.all([
        t.bapi('DELETE', `/v1/organizations/${org.id}`),
        ...[0, 1, 2].map((i) =>
          t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
            email_address: `b${round}-${i}@example.com`,
            role: 'org:member',
            ...(i === 2 && { notify: false }),
          }),
        ),
        admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
          email_address: `f${round}@example.com`,
          role: 'org:member',
        }),
        t.bapi('POST', `/v1/organizations/${org.id}/invitations/bulk`, [
          { email_address: `bulk${round}@example.com`, role: 'org:member' },
        ]),
        t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' }),
      ]);
      const [deleted, ...rest] = await answers(requests);
      expect(deleted!.code).toBeNull();
      for (const a of rest) {
        if (a.code)
          expect(['organization_not_found', 'not_a_member_in_organization'], `round ${round}`).toContain(a.code);
      }
      // Whatever was created before the delete went with it; nothing created after it stands.
      expect(await leftovers({ orgId: org.id }), `round ${round}`).toEqual({});
    }
  });

  it('the user deleted while an organization is created for them: 404 user_not_found, nothing half-made', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t, `maker${round}@example.com`);
      const [created, deleted] = await answers(
        await all(2, (i) =>
          i === 0
            ? t.bapi('POST', '/v1/organizations', { name: `Made ${round}`, slug: `made-${round}`, created_by: user.id })
            : t.bapi('DELETE', `/v1/users/${user.id}`),
        ),
      );
      expect(deleted!.code).toBeNull();
      if (created!.code) {
        expect(created!.code).toBe('user_not_found');
        expect((await t.bapi('GET', `/v1/organizations/made-${round}`)).status).toBe(404);
      }
      expect(await leftovers({ userId: user.id }), `round ${round}`).toEqual({});
    }
  });
});
