import { sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrations.js';
import { createTestDatabase } from './support/database.js';
import {
  createUser,
  errorOf,
  freshRosterForEachTest,
  invitationNow,
  invited,
  membersOf,
  pathOf,
  signIn,
  ticketOf,
} from './support/flows.js';
import { type Browser, json, seedOrganization } from './support/harness.js';
import { codeIn, linkIn } from './support/smtp.js';

/**
 * Decision 021: a link proves that someone owns an address only if nothing but that address's
 * mailbox ever saw it. The attack that broke it (issue 9): sign up, create an organization, invite
 * the victim's address from the browser, read the ticket out of the answer, sign up with it, and
 * later accept the real organization's admin invitation to that address. Each step is tried here.
 */

const t = freshRosterForEachTest();

const PASSWORD = 'attacker says hello 42';
const isCodeMail = (m: ParsedMail) => m.subject === 'Your verification code';
const isInvitation = (id: string) => (m: ParsedMail) => m.messageId === `<${id}@roster>`;

async function usersWith(email: string): Promise<number> {
  return (await json(await t.bapi('GET', `/v1/users/count?email_address=${encodeURIComponent(email)}`))).total_count;
}

/** Step 1: the attacker signs up with their own address and creates an organization from the browser. */
async function attackerWithTrap(): Promise<{ attacker: Browser; trapId: string }> {
  const { browser: attacker } = await seedOrganization(t, { email: 'mallory@attacker.test', password: PASSWORD });
  const trap = await attacker.post('/fapi/v1/organizations', { name: 'Trap' });
  expect(trap.status).toBe(200);
  return { attacker, trapId: (await json(trap)).id };
}

describe('no one can claim an address they do not own', () => {
  it('step 2: a browser’s invitation answers carry no link, and a browser cannot keep the mail from going out', async () => {
    const { attacker, trapId } = await attackerWithTrap();

    const one = await attacker.post(`/fapi/v1/organizations/${trapId}/invitations`, {
      email_address: 'victim@corp.test',
      role: 'org:member',
    });
    expect(one.status).toBe(200);
    const created = await json(one);
    expect(created.url).toBeNull();
    expect(JSON.stringify(created)).not.toContain('ticket');

    const bulk = await json(
      await attacker.post(`/fapi/v1/organizations/${trapId}/invitations/bulk`, {
        email_address: ['victim2@corp.test', 'victim3@corp.test'],
        role: 'org:member',
      }),
    );
    expect(bulk.data).toHaveLength(2);
    for (const inv of bulk.data) expect(inv.url).toBeNull();

    // notify: false would leave the link with no reader but the caller: refused from the browser.
    for (const [path, body] of [
      [`/fapi/v1/organizations/${trapId}/invitations`, { email_address: 'victim4@corp.test', notify: false }],
      [`/fapi/v1/organizations/${trapId}/invitations/bulk`, { email_address: ['victim5@corp.test'], notify: false }],
    ] as const) {
      const refused = await attacker.post(path, { role: 'org:member', ...body });
      expect(await errorOf(refused)).toMatchObject({ status: 403, code: 'invitation_notify_required' });
    }
    expect(
      (await json(await t.bapi('GET', `/v1/organizations/${trapId}/invitations?status=pending`))).total_count,
    ).toBe(3);

    // Nor does any list or read show a link.
    const listed = await json(await attacker.get(`/fapi/v1/organizations/${trapId}/invitations`));
    for (const inv of listed.data) expect(inv.url).toBeNull();

    // The only ticket went to the victim's mailbox.
    const mail = await t.smtp.waitFor('victim@corp.test', { match: isInvitation(created.id) });
    expect(linkIn(mail)).toMatch(/ticket=/);
  });

  it('step 3: a link the Backend API was shown makes no account until the address proves itself by code', async () => {
    const { org } = await seedOrganization(t, { name: 'Real Corp' });
    const inv = await invited(t, org.id, 'victim@corp.test', { role: 'org:admin' });
    expect(inv.url).toMatch(/ticket=/);
    const mailed = linkIn(await t.smtp.waitFor('victim@corp.test', { match: isInvitation(inv.id) }));
    // The mailed link is not the one the server was shown.
    expect(ticketOf(mailed)).not.toBe(ticketOf(inv.url));

    const preview = await json(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${ticketOf(inv.url)}`));
    expect(preview).toMatchObject({ next_step: 'sign_up', sign_up_needs_email_code: true });
    const mailedPreview = await json(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${ticketOf(mailed)}`));
    expect(mailedPreview).toMatchObject({ next_step: 'sign_up', sign_up_needs_email_code: false });

    // Whoever saw the shown link (an admin, a log) tries to sign up with it.
    const squatter = t.browser();
    const started = await squatter.post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(inv.url), password: PASSWORD });
    expect(started.status).toBe(200);
    const body = await json(started);
    expect(body).toMatchObject({ status: 'needs_email_verification', user: null, session: null });
    expect(body.sign_up_id).toMatch(/^su_/);
    expect(squatter.cookie).toBeNull();
    expect(await usersWith('victim@corp.test')).toBe(0);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('pending');
    // The code went to the victim's mailbox; a guess fails.
    const code = codeIn(await t.smtp.waitFor('victim@corp.test', { match: isCodeMail }));
    const guess = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(
      await errorOf(
        await squatter.post('/fapi/v1/tickets/sign_up/verify', { sign_up_id: body.sign_up_id, code: guess }),
      ),
    ).toMatchObject({ code: 'form_code_incorrect' });
    expect(await usersWith('victim@corp.test')).toBe(0);

    // The victim signs up from the mailed link in one step, and joins as the invitation says.
    const victim = t.browser();
    const joined = await victim.post('/fapi/v1/tickets/sign_up', {
      ticket: ticketOf(mailed),
      password: 'victim password 7',
    });
    expect(joined.status).toBe(200);
    expect(await json(joined)).toMatchObject({
      status: 'complete',
      organization_membership: { role: 'org:admin', organization: { id: org.id } },
    });
    // The squatter's attempt, even with the real code, can no longer become the account.
    expect(
      await errorOf(await squatter.post('/fapi/v1/tickets/sign_up/verify', { sign_up_id: body.sign_up_id, code })),
    ).toMatchObject({ code: 'form_identifier_exists' });
    expect(await usersWith('victim@corp.test')).toBe(1);
  });

  it('a shown link still lets its real owner in: the mailed code creates the account and joins', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'Owner@Corp.test', { role: 'org:admin', notify: false });
    const owner = t.browser();
    const started = await json(
      await owner.post('/fapi/v1/tickets/sign_up', {
        ticket: ticketOf(inv.url),
        password: 'owner password 9',
        first_name: 'Olive',
      }),
    );
    expect(started.status).toBe('needs_email_verification');
    const code = codeIn(await t.smtp.waitFor('owner@corp.test', { match: isCodeMail }));
    // The browser keeps the sign-up id in its cookie: the code alone finishes it.
    const done = await owner.post('/fapi/v1/tickets/sign_up/verify', { code });
    expect(done.status).toBe(200);
    expect(await json(done)).toMatchObject({
      status: 'complete',
      user: { first_name: 'Olive', email_addresses: [{ verification: { strategy: 'email_code' } }] },
      organization_membership: { role: 'org:admin' },
    });
    expect(owner.cookie).not.toBeNull();
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('accepted');
    expect((await membersOf(t, org.id)).data.map((m: { role: string }) => m.role).sort()).toEqual([
      'org:admin',
      'org:admin',
    ]);
  });

  it('the account stands when its invitation was revoked while the code was on its way', async () => {
    const { org } = await seedOrganization(t);
    const inv = await invited(t, org.id, 'late@corp.test', { notify: false });
    const owner = t.browser();
    await owner.post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(inv.url), password: 'owner password 9' });
    const code = codeIn(await t.smtp.waitFor('late@corp.test', { match: isCodeMail }));
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${inv.id}/revoke`);
    expect(await errorOf(await owner.post('/fapi/v1/tickets/sign_up/verify', { code }))).toMatchObject({
      status: 410,
      code: 'invitation_revoked',
    });
    // The code proved the address: the account exists and is signed in, with no membership.
    expect(await usersWith('late@corp.test')).toBe(1);
    const me = await json(await owner.get('/fapi/v1/me'));
    expect(me.organization_memberships).toEqual([]);
  });

  it('the hosted accept page asks a shown link’s new account for the mailed code, then joins', async () => {
    const { org } = await seedOrganization(t, { name: 'Hosted' });
    const inv = await invited(t, org.id, 'page@corp.test', { notify: false });
    const owner = t.browser();
    const page = await (await owner.get(pathOf(inv.url))).text();
    expect(page).toContain('We will email a code to this address');
    const asked = await owner.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(inv.url), action: 'sign_up', password: 'owner password 9' },
    });
    expect(asked.status).toBe(200);
    const html = await asked.text();
    expect(html).toContain('Check your email');
    expect(html).toContain('name="action" value="verify"');
    expect(await usersWith('page@corp.test')).toBe(0);
    const code = codeIn(await t.smtp.waitFor('page@corp.test', { match: isCodeMail }));
    const wrong = await owner.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(inv.url), action: 'verify', code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Check your email');
    const done = await owner.fetch('POST', '/accept-invitation', {
      form: { ticket: ticketOf(inv.url), action: 'verify', code },
    });
    expect(done.status).toBe(303);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('accepted');
  });

  it('step 4: an address held without proof cannot take the real organization’s invitation, and its owner reclaims it', async () => {
    // An account from before decision 021 that got victim@corp.test from a link it was shown.
    const { attacker, trapId } = await attackerWithTrap();
    const squatter = await json(
      await t.bapi('POST', '/v1/users', { email_address: ['victim@corp.test'], password: PASSWORD }),
    );
    await t.roster.database.db
      .updateTable('email_addresses')
      .set({ verified: 0, verification_strategy: 'ticket_unproven' })
      .where('user_id', '=', squatter.id)
      .execute();
    const asSquatter = await signIn(t, 'victim@corp.test', PASSWORD);
    // It joined the attacker's organization through an invitation to that address back then.
    const trapInv = await invited(t, trapId, 'victim@corp.test');
    await t.roster.database.db
      .updateTable('invitations')
      .set({ status: 'accepted', accepted_user_id: squatter.id })
      .where('id', '=', trapInv.id)
      .execute();
    await t.bapi('POST', `/v1/organizations/${trapId}/memberships`, { user_id: squatter.id, role: 'org:member' });

    // The real organization invites the address as admin.
    const { org } = await seedOrganization(t, { name: 'Real Corp' });
    const inv = await invited(t, org.id, 'victim@corp.test', { role: 'org:admin' });
    const mine = await json(await asSquatter.get('/fapi/v1/me/organization_invitations'));
    expect(mine.data).toEqual([]);
    expect(await errorOf(await asSquatter.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`))).toMatchObject(
      { code: 'invitation_not_found' },
    );
    expect(
      await errorOf(await asSquatter.post('/fapi/v1/tickets/accept', { ticket: ticketOf(inv.url) })),
    ).toMatchObject({ code: 'invitation_email_mismatch' });
    const viaPassword = await t
      .browser()
      .post('/fapi/v1/tickets/sign_in', { ticket: ticketOf(inv.url), password: PASSWORD });
    expect(await errorOf(viaPassword)).toMatchObject({ code: 'invitation_email_mismatch' });
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('pending');

    // The real owner is offered a sign-up, not a sign-in, and proves the address by code.
    const mailed = linkIn(await t.smtp.waitFor('victim@corp.test', { match: isInvitation(inv.id) }));
    const preview = await json(await t.browser().get(`/fapi/v1/tickets/preview?ticket=${ticketOf(mailed)}`));
    expect(preview.next_step).toBe('sign_up');
    const owner = t.browser();
    const started = await owner.post('/fapi/v1/client/sign_ups', {
      email_address: 'victim@corp.test',
      password: 'owner password 9',
    });
    expect(started.status).toBe(200);
    const code = codeIn(await t.smtp.waitFor('victim@corp.test', { match: isCodeMail }));
    expect((await owner.post('/fapi/v1/client/sign_ups/verify', { code })).status).toBe(200);

    // The address is the owner's; the squatter lost it, the membership it got with it, and (with no
    // address left) its account and sessions.
    expect(await usersWith('victim@corp.test')).toBe(1);
    expect((await t.bapi('GET', `/v1/users/${squatter.id}`)).status).toBe(404);
    expect((await asSquatter.get('/fapi/v1/me')).status).toBe(401);
    const trapMembers = await membersOf(t, trapId);
    expect(
      trapMembers.data.map((m: { public_user_data: { user_id: string } }) => m.public_user_data.user_id),
    ).not.toContain(squatter.id);
    // And the owner accepts the admin invitation from inside the app.
    const accepted = await owner.post(`/fapi/v1/me/organization_invitations/${inv.id}/accept`);
    expect(accepted.status).toBe(200);
    expect((await invitationNow(t, org.id, inv.id)).status).toBe('accepted');
    void attacker;
  });
});

describe('taking an unproven address keeps deleteUser’s rules', () => {
  it('refuses a proof that would leave an organization with members but no admin, and lets it through once there is another', async () => {
    // An account from before decision 021 whose only address is unproven, the only admin of an
    // organization that has another member.
    const squatter = await json(
      await t.bapi('POST', '/v1/users', { email_address: ['victim@corp.test'], password: PASSWORD }),
    );
    await t.roster.database.db
      .updateTable('email_addresses')
      .set({ verified: 0, verification_strategy: 'ticket_unproven' })
      .where('user_id', '=', squatter.id)
      .execute();
    const org = await json(await t.bapi('POST', '/v1/organizations', { name: 'Squatted', created_by: squatter.id }));
    const member = await createUser(t, 'member@corp.test');
    await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' });

    const owner = t.browser();
    const started = await owner.post('/fapi/v1/client/sign_ups', {
      email_address: 'victim@corp.test',
      password: 'owner password 9',
    });
    expect(started.status).toBe(200);
    const code = codeIn(await t.smtp.waitFor('victim@corp.test', { match: isCodeMail }));
    const refused = await owner.post('/fapi/v1/client/sign_ups/verify', { code });
    // As deleteUser refuses it; the organization's id is not the owner's to see.
    expect(await errorOf(refused)).toEqual({
      status: 403,
      code: 'organization_minimum_permissions_needed',
      meta: {},
    });
    // Nothing changed: the squatter keeps its account and its admin seat, the organization its admin.
    expect((await t.bapi('GET', `/v1/users/${squatter.id}`)).status).toBe(200);
    const before = await membersOf(t, org.id);
    expect(before.data.map((m: { role: string }) => m.role).sort()).toEqual(['org:admin', 'org:member']);

    // Once the organization has another admin, the same code takes the address.
    const promoted = await t.bapi('PATCH', `/v1/organizations/${org.id}/memberships/${member.id}`, {
      role: 'org:admin',
    });
    expect(promoted.status).toBe(200);
    expect((await owner.post('/fapi/v1/client/sign_ups/verify', { code })).status).toBe(200);
    expect((await t.bapi('GET', `/v1/users/${squatter.id}`)).status).toBe(404);
    const after = await membersOf(t, org.id);
    expect(after.data.map((m: { public_user_data: { user_id: string } }) => m.public_user_data.user_id)).toEqual([
      member.id,
    ]);
  });
});

describe('migration 0007 (links that prove nothing)', () => {
  it('turns addresses that accounts got from a shown link into unverified ones, and keeps the rest', async () => {
    const database = await createTestDatabase();
    const handle = openDatabase(database.url);
    try {
      const db = handle.db;
      await migrate(db as never, handle.dialect, { to: '0004_invitation_counts' });
      const now = Date.now();
      await sql`insert into users (id, first_name, last_name, password_hash, public_metadata, private_metadata, created_at, updated_at, last_sign_in_at)
        values ('user_a', null, null, null, '{}', '{}', ${now}, ${now}, null), ('user_b', null, null, null, '{}', '{}', ${now}, ${now}, null)`.execute(
        db,
      );
      await sql`insert into email_addresses (id, user_id, email, email_normalized, verified, verification_strategy, created_at, updated_at)
        values ('idn_a', 'user_a', 'a@x.test', 'a@x.test', 1, 'ticket', ${now}, ${now}),
               ('idn_b', 'user_b', 'b@x.test', 'b@x.test', 1, 'email_code', ${now}, ${now})`.execute(db);
      await migrate(db as never, handle.dialect);
      const { rows } = await sql<{ id: string; verified: number; verification_strategy: string }>`
        select id, verified, verification_strategy from email_addresses order by id`.execute(db);
      expect(rows.map((r) => [r.id, Number(r.verified), r.verification_strategy])).toEqual([
        ['idn_a', 0, 'ticket_unproven'],
        ['idn_b', 1, 'email_code'],
      ]);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
