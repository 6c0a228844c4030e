import { describe, expect, it } from 'vitest';
import { linkIn } from '../../server/test/support/smtp.js';
import {
  isRosterAPIError,
  Organization,
  OrganizationInvitation,
  OrganizationMembership,
  RosterAPIError,
  RosterBulkInvitationError,
  type RosterChangeEvent,
  UserOrganizationInvitation,
} from '../src/index.js';
import { liveRosterForEachTest, PASSWORD, uniqueEmail } from './support.js';

const live = liveRosterForEachTest();

describe('organizations', () => {
  it('creates an organization with camelCased fields; it becomes the active one', async () => {
    const { client, userId } = await live.signedIn();
    const events: RosterChangeEvent[] = [];
    client.onChange((e) => events.push(e));

    const org = await client.createOrganization({ name: 'Acme Labs', slug: 'acme-labs' });
    expect(org).toBeInstanceOf(Organization);
    expect(org).toMatchObject({
      name: 'Acme Labs',
      slug: 'acme-labs',
      membersCount: 1,
      pendingInvitationsCount: 0,
      maxAllowedMemberships: expect.any(Number),
      publicMetadata: {},
      createdBy: userId,
    });
    expect(org.createdAt).toBeInstanceOf(Date);
    expect(org.updatedAt).toBeInstanceOf(Date);
    expect(events).toEqual([{ kind: 'organization_created', organizationId: org.id }]);

    const me = await client.getMe();
    expect(me.session.lastActiveOrganizationId).toBe(org.id);
    expect(me.memberships).toHaveLength(1);
    const [membership] = me.memberships;
    expect(membership).toBeInstanceOf(OrganizationMembership);
    expect(membership).toMatchObject({
      role: 'org:admin',
      roleName: 'Admin',
      organization: { id: org.id, name: 'Acme Labs' },
      publicUserData: { userId, firstName: 'Test', identifier: expect.stringContaining('@example.com') },
    });
    expect(membership!.permissions).toContain('org:sys_memberships:manage');

    expect((await client.getOrganization('acme-labs')).id).toBe(org.id);
    await org.update({ name: 'Acme Industries' });
    expect(org.name).toBe('Acme Industries');
    expect(events.at(-1)).toEqual({ kind: 'organization_updated', organizationId: org.id });

    const second = await client.createOrganization({ name: 'Second' });
    expect((await client.getMe()).session.lastActiveOrganizationId).toBe(second.id);
    const session = await client.setActive({ organization: org });
    expect(session.lastActiveOrganizationId).toBe(org.id);
    expect(events.at(-1)).toEqual({ kind: 'active_organization_changed', organizationId: org.id });

    const memberships = await client.getOrganizationMemberships({ pageSize: 1 });
    expect(memberships.totalCount).toBe(2);
    expect(memberships.data).toHaveLength(1);

    await second.destroy();
    expect(events.at(-1)).toEqual({ kind: 'organization_deleted', organizationId: second.id });
    const missing = await client.getOrganization(second.id).catch((e) => e);
    expect(isRosterAPIError(missing, 'organization_not_found')).toBe(true);
    expect(missing.status).toBe(404);
  });

  it('changes roles and removes members; the last admin is protected', async () => {
    const admin = await live.admin();
    const member = await live.signedIn();
    await admin.organization.inviteMember({ emailAddress: member.email, role: 'basic_member' });
    const [invitation] = (await member.client.getUserInvitations()).data;
    await invitation!.accept();

    const { data, totalCount } = await admin.organization.getMemberships();
    expect(totalCount).toBe(2);
    const theirs = data.find((m) => m.publicUserData.userId === member.userId)!;
    expect(theirs.role).toBe('org:member');

    const { data: admins } = await admin.organization.getMemberships({ role: 'admin' });
    expect(admins.map((m) => m.publicUserData.userId)).toEqual([admin.userId]);

    await theirs.update({ role: 'org:admin' });
    expect(theirs.role).toBe('org:admin');
    const demoted = await admin.organization.updateMember({ userId: member.userId, role: 'basic_member' });
    expect(demoted.role).toBe('org:member');

    const lastAdmin = await admin.organization
      .updateMember({ userId: admin.userId, role: 'org:member' })
      .catch((e) => e);
    expect(isRosterAPIError(lastAdmin, 'organization_minimum_permissions_needed')).toBe(true);

    const notAllowed = await (await member.client.getOrganization(admin.organization.id))
      .inviteMember({ emailAddress: uniqueEmail(), role: 'org:member' })
      .catch((e) => e);
    expect(notAllowed).toBeInstanceOf(RosterAPIError);
    expect(notAllowed.status).toBe(403);

    const removed = await admin.organization.removeMember(member.userId);
    expect(removed.publicUserData.userId).toBe(member.userId);
    expect((await admin.organization.reload()).membersCount).toBe(1);
    expect((await member.client.getMe()).memberships).toEqual([]);
  });
});

describe('invitations (admin side)', () => {
  it("invites with Clerk's Core-1 role names and answers with role keys", async () => {
    const { organization, client } = await live.admin();
    const events: RosterChangeEvent[] = [];
    const unsubscribe = client.onChange((e) => events.push(e));

    const member = await organization.inviteMember({ emailAddress: 'Bob@Example.com', role: 'basic_member' });
    expect(member).toBeInstanceOf(OrganizationInvitation);
    expect(member).toMatchObject({
      emailAddress: 'Bob@Example.com',
      organizationId: organization.id,
      role: 'org:member',
      roleName: 'Member',
      status: 'pending',
      publicMetadata: {},
      emailDelivery: { status: 'queued', attempts: 0, lastError: null, sentAt: null },
    });
    expect(member.url).toBeNull();
    expect(member.expiresAt.getTime()).toBeGreaterThan(member.createdAt.getTime());

    const admin = await organization.inviteMember({ emailAddress: 'carol@example.com', role: 'admin' });
    expect(admin).toMatchObject({ role: 'org:admin', roleName: 'Admin' });
    expect(events).toEqual([
      { kind: 'invitation_created', organizationId: organization.id },
      { kind: 'invitation_created', organizationId: organization.id },
    ]);
    unsubscribe();
    const keyed = await organization.inviteMember({ emailAddress: 'dan@example.com', role: 'org:member' });
    expect(keyed.role).toBe('org:member');
    expect(events).toHaveLength(2);

    // The mail really goes out, with the link only the mailbox sees.
    expect(linkIn(await live.t.smtp.waitFor('bob@example.com'))).toMatch(/accept-invitation\?ticket=/);
  });

  it('refuses a second pending invitation with duplicate_record', async () => {
    const { organization } = await live.admin();
    await organization.inviteMember({ emailAddress: 'bob@example.com', role: 'basic_member' });
    const error = await organization.inviteMember({ emailAddress: 'BOB@example.com', role: 'admin' }).catch((e) => e);
    expect(error).toBeInstanceOf(RosterAPIError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('duplicate_record');
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toMatchObject({ code: 'duplicate_record', message: 'Duplicate record' });
    expect(isRosterAPIError(error, 'duplicate_record')).toBe(true);
    expect(isRosterAPIError(error, 'invitation_expired')).toBe(false);
  });

  it('pages through invitations with initialPage/pageSize, newest first', async () => {
    const { organization } = await live.admin();
    const emails = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x}@example.com`);
    for (const emailAddress of emails) {
      await organization.inviteMember({ emailAddress, role: 'basic_member' });
      live.t.clock.advance(1000);
    }
    const page1 = await organization.getInvitations({ pageSize: 2 });
    const page2 = await organization.getInvitations({ pageSize: 2, initialPage: 2 });
    const page3 = await organization.getInvitations({ pageSize: 2, initialPage: 3 });
    expect([page1.totalCount, page2.totalCount, page3.totalCount]).toEqual([5, 5, 5]);
    expect(page1.data.map((i) => i.emailAddress)).toEqual(['e@example.com', 'd@example.com']);
    expect(page2.data.map((i) => i.emailAddress)).toEqual(['c@example.com', 'b@example.com']);
    expect(page3.data.map((i) => i.emailAddress)).toEqual(['a@example.com']);
    expect(page1.data[0]!.url).toBeNull();
    expect(['queued', 'sent']).toContain(page1.data[0]!.emailDelivery.status);
    expect((await organization.getInvitations()).data).toHaveLength(5);
  });

  it('revokes: the invitation leaves the pending list and shows under revoked', async () => {
    const { organization, client } = await live.admin();
    const events: RosterChangeEvent[] = [];
    client.onChange((e) => events.push(e));
    const keep = await organization.inviteMember({ emailAddress: 'keep@example.com', role: 'basic_member' });
    const drop = await organization.inviteMember({ emailAddress: 'drop@example.com', role: 'basic_member' });

    const same = await drop.revoke();
    expect(same).toBe(drop);
    expect(drop.status).toBe('revoked');
    expect(events.map((e) => e.kind)).toEqual(['invitation_created', 'invitation_created', 'invitation_revoked']);
    expect(events.every((e) => e.organizationId === organization.id)).toBe(true);

    const pending = await organization.getInvitations();
    expect(pending.data.map((i) => i.id)).toEqual([keep.id]);
    const revoked = await organization.getInvitations({ status: 'revoked' });
    expect(revoked.data.map((i) => i.id)).toEqual([drop.id]);
    const both = await organization.getInvitations({ status: ['pending', 'revoked'] });
    expect(both.totalCount).toBe(2);

    const again = await drop.revoke().catch((e) => e);
    expect(again).toBeInstanceOf(RosterAPIError);
    expect(again.code).toMatch(/invitation_(not_pending|revoked)/);
  });

  it('inviteMembers resolves with all invitations, or throws with what was created and why the rest was not', async () => {
    const { organization } = await live.admin();
    const all = await organization.inviteMembers({
      emailAddresses: ['one@example.com', 'two@example.com'],
      role: 'admin',
    });
    expect(all.map((i) => [i.emailAddress, i.role])).toEqual([
      ['one@example.com', 'org:admin'],
      ['two@example.com', 'org:admin'],
    ]);

    const error = await organization
      .inviteMembers({ emailAddresses: ['three@example.com', 'one@example.com'], role: 'basic_member' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RosterBulkInvitationError);
    expect(error).toBeInstanceOf(RosterAPIError);
    expect(error.created.map((i: OrganizationInvitation) => i.emailAddress)).toEqual(['three@example.com']);
    expect(error.errors).toEqual([
      expect.objectContaining({
        code: 'duplicate_record',
        meta: expect.objectContaining({ emailAddress: 'one@example.com', index: 1 }),
      }),
    ]);
    expect((await organization.getInvitations()).totalCount).toBe(3);
  });
});

describe('invitations (invitee side)', () => {
  it('lists invitations to my verified addresses; accept joins, decline revokes', async () => {
    const acme = await live.admin('Acme');
    const globex = await live.admin('Globex');
    const invitee = await live.signedIn();
    await acme.organization.inviteMember({ emailAddress: invitee.email, role: 'admin' });
    await globex.organization.inviteMember({ emailAddress: invitee.email, role: 'basic_member' });

    const events: RosterChangeEvent[] = [];
    invitee.client.onChange((e) => events.push(e));
    const { data, totalCount } = await invitee.client.getUserInvitations();
    expect(totalCount).toBe(2);
    expect(data.every((i) => i instanceof UserOrganizationInvitation)).toBe(true);
    const toAcme = data.find((i) => i.publicOrganizationData.name === 'Acme')!;
    const toGlobex = data.find((i) => i.publicOrganizationData.name === 'Globex')!;
    expect(toAcme).toMatchObject({ role: 'org:admin', status: 'pending', emailAddress: invitee.email });

    expect(await toAcme.accept()).toBe(toAcme);
    expect(toAcme.status).toBe('accepted');
    await toGlobex.decline();
    expect(toGlobex.status).toBe('revoked');
    expect(events).toEqual([
      { kind: 'invitation_accepted', organizationId: acme.organization.id },
      { kind: 'invitation_declined', organizationId: globex.organization.id },
    ]);

    const mine = await invitee.client.getOrganizationMemberships();
    expect(mine.data.map((m) => [m.organization.name, m.role])).toEqual([['Acme', 'org:admin']]);
    expect((await invitee.client.getUserInvitations()).totalCount).toBe(0);
    expect((await invitee.client.getUserInvitations({ status: ['accepted', 'revoked'] })).totalCount).toBe(2);
    expect((await globex.organization.getInvitations({ status: 'revoked' })).totalCount).toBe(1);
  });

  it('follows an emailed link: preview, then sign up from it and join at once', async () => {
    const { organization } = await live.admin('Initech');
    const invitation = await organization.inviteMember({ emailAddress: 'peter@example.com', role: 'basic_member' });
    const ticket = new URL(linkIn(await live.t.smtp.waitFor('peter@example.com'))).searchParams.get('ticket')!;
    // A browser's create is never shown the link: only the mailbox has it (decision 021).
    expect(invitation.url).toBeNull();

    const visitor = live.client();
    const preview = await visitor.tickets.preview(ticket);
    expect(preview).toMatchObject({
      status: 'pending',
      emailAddress: 'peter@example.com',
      role: 'org:member',
      organization: { id: organization.id, name: 'Initech' },
      nextStep: 'sign_up',
      signedInAs: null,
      signUpNeedsEmailCode: false,
    });
    expect(preview.expiresAt).toBeInstanceOf(Date);

    const joined = await visitor.tickets.signUp({ ticket, password: PASSWORD, firstName: 'Peter' });
    if (joined.status !== 'complete') throw new Error('the mailed link signs up in one step');
    expect(joined.organizationMembership).toMatchObject({ role: 'org:member', organization: { id: organization.id } });
    expect(joined.redirectUrl).toEqual(expect.any(String));
    expect(visitor.sessionToken).toBeTruthy();
    expect((await visitor.getMe()).memberships).toHaveLength(1);

    const used = await live.client().tickets.preview(ticket);
    expect(used.nextStep).toBe('none');
    expect(used.status).toBe('accepted');
  });

  it('accepts a link as the signed-in invitee, or signs in from it', async () => {
    const { organization } = await live.admin();
    const signedIn = await live.signedIn();
    const other = await live.signedIn();
    await organization.inviteMember({ emailAddress: signedIn.email, role: 'basic_member' });
    await organization.inviteMember({ emailAddress: other.email, role: 'admin' });
    const ticketOf = async (email: string) =>
      new URL(linkIn(await live.t.smtp.waitFor(email))).searchParams.get('ticket')!;

    const membership = await signedIn.client.tickets.accept(await ticketOf(signedIn.email));
    expect(membership.organization.id).toBe(organization.id);

    const fresh = live.client();
    const result = await fresh.tickets.signIn({ ticket: await ticketOf(other.email), password: PASSWORD });
    expect(result.organizationMembership?.role).toBe('org:admin');
    expect((await fresh.getMe()).session.lastActiveOrganizationId).toBe(organization.id);
    expect((await organization.reload()).membersCount).toBe(3);
  });
});
