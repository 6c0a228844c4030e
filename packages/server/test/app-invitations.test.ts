import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedUrl, ticketOf } from './support/flows.js';
import { json, SECRET_KEY, startTestRoster, type TestRoster } from './support/harness.js';
import { codeIn } from './support/smtp.js';

/**
 * Application invitations (Clerk's `/v1/invitations`) through `@clerk/backend` against a Roster on a
 * real port, with mail received by a real SMTP server. Tests that move the clock put it back.
 */

const DAY_MS = 86_400_000;

let t: TestRoster;
let clerk: ClerkClient;

beforeAll(async () => {
  t = await startTestRoster({ env: { PORT: '0', HOST: '127.0.0.1' } });
  clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: await t.roster.listen() });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}@example.com`;

async function apiError(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (error) {
    if (isClerkAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ClerkAPIResponseError');
}

async function eventsOf(type: string, id: string) {
  const res = await t.bapi('GET', `/v1/audit_log?type=${type}&limit=100`);
  const page = await json(res);
  return (page.data as { data: { id: string } }[]).filter((e) => e.data.id === id);
}

describe('application invitations through @clerk/backend', () => {
  it('creates an invitation: Clerk’s Invitation with a shown url, a mail with another link, an invitation.created event', async () => {
    const email = unique('ada');
    const inv = await clerk.invitations.createInvitation({
      emailAddress: email,
      publicMetadata: { plan: 'pro' },
      redirectUrl: 'http://app.test/welcome',
      expiresInDays: 3,
    });
    expect(inv.id).toMatch(/^inv_/);
    expect(inv.emailAddress).toBe(email);
    expect(inv.status).toBe('pending');
    expect(inv.revoked).toBe(false);
    expect(inv.publicMetadata).toEqual({ plan: 'pro' });
    expect(inv.url).toMatch(/\/accept-invitation\?ticket=/);
    expect(inv.raw).toMatchObject({ object: 'invitation', expires_at: t.clock.now() + 3 * DAY_MS });

    const mailed = await mailedUrl(t, { id: inv.id, email_address: email });
    expect(ticketOf(mailed)).not.toBe(ticketOf(inv.url!));
    const mail = t.smtp.messages.find((m) => m.messageId === `<${inv.id}@roster>`)!;
    expect(mail.subject).toBe("You're invited to roster.test");
    expect(await eventsOf('invitation.created', inv.id)).toHaveLength(1);
  });

  it('refuses a second pending invitation (duplicate_record) unless ignore_existing, which replaces it', async () => {
    const email = unique('dup');
    const first = await clerk.invitations.createInvitation({ emailAddress: email, notify: false });
    const error = await apiError(() => clerk.invitations.createInvitation({ emailAddress: email }));
    expect(error.status).toBe(422);
    expect(error.errors[0]?.code).toBe('duplicate_record');

    const second = await clerk.invitations.createInvitation({
      emailAddress: email,
      ignoreExisting: true,
      notify: false,
    });
    expect(second.id).not.toBe(first.id);
    const list = await clerk.invitations.getInvitationList({ query: email, status: 'revoked' });
    expect(list.data.map((i) => i.id)).toEqual([first.id]);
    expect(await eventsOf('invitation.revoked', first.id)).toHaveLength(1);
  });

  it('refuses an address an account holds (form_identifier_exists) unless ignore_existing', async () => {
    const email = unique('taken');
    await clerk.users.createUser({ emailAddress: [email], password: 'correct horse battery staple' });
    const error = await apiError(() => clerk.invitations.createInvitation({ emailAddress: email }));
    expect(error.status).toBe(422);
    expect(error.errors[0]?.code).toBe('form_identifier_exists');
    const inv = await clerk.invitations.createInvitation({ emailAddress: email, ignoreExisting: true, notify: false });
    expect(inv.status).toBe('pending');
  });

  /** What a refused bulk must not have left for these addresses: invitations, queued mail, events. */
  async function traces(emails: string[]) {
    const invitations = await Promise.all(
      emails.map(async (email) => (await clerk.invitations.getInvitationList({ query: email })).data.length),
    );
    const mails = await t.roster.database.db
      .selectFrom('outbox')
      .select('to_address')
      .where('to_address', 'in', emails)
      .execute();
    const log = await json(await t.bapi('GET', '/v1/audit_log?type=invitation.created&limit=100'));
    const events = (log.data as { data: { email_address: string } }[]).filter((e) =>
      emails.includes(e.data.email_address),
    );
    return { invitations: invitations.reduce((a, b) => a + b, 0), mails: mails.length, events: events.length };
  }

  it('bulk creates all or none (createInvitationBulk): each refusal names its addresses, ignore_existing is per address', async () => {
    const pending = unique('bulk-pending');
    const first = await clerk.invitations.createInvitation({ emailAddress: pending, notify: false });
    const holder = unique('bulk-holder');
    await clerk.users.createUser({ emailAddress: [holder], password: 'correct horse battery staple' });
    const fresh = [unique('bulk-a'), unique('bulk-b')];
    const before = await traces([pending, holder, ...fresh]);

    const refused = await apiError(() =>
      clerk.invitations.createInvitationBulk([
        { emailAddress: fresh[0]! },
        { emailAddress: pending },
        { emailAddress: holder, ignoreExisting: true },
        { emailAddress: fresh[1]! },
        { emailAddress: fresh[1]! },
      ]),
    );
    expect(refused.status).toBe(422);
    // An account's address is refused even with ignore_existing ("this rule cannot be bypassed").
    expect(refused.errors.map((e) => [e.code, e.meta?.emailAddresses])).toEqual([
      ['duplicate_record', [pending, fresh[1]]],
      ['form_identifier_exists', [holder]],
    ]);
    expect(await traces([pending, holder, ...fresh])).toEqual(before);

    // ignore_existing on the pending address's entry replaces its invitation; the rest are created with it.
    const created = await clerk.invitations.createInvitationBulk([
      { emailAddress: fresh[0]! },
      { emailAddress: pending, ignoreExisting: true },
      { emailAddress: fresh[1]!, notify: false },
    ]);
    expect(created.map((i) => [i.emailAddress, i.status])).toEqual([
      [fresh[0], 'pending'],
      [pending, 'pending'],
      [fresh[1], 'pending'],
    ]);
    expect(created.every((i) => i.url?.includes('/accept-invitation?ticket='))).toBe(true);
    const revoked = await clerk.invitations.getInvitationList({ query: pending, status: 'revoked' });
    expect(revoked.data.map((i) => i.id)).toEqual([first.id]);
    // Mailed as asked (not fresh[1]), each with its event.
    expect(await traces(fresh)).toEqual({ invitations: 2, mails: 1, events: 2 });
  });

  it('lists with status, query, order_by and paging; without status every one but the revoked', async () => {
    const tag = `list${Date.now().toString(36)}`;
    const made = [];
    for (const name of ['carol', 'alice', 'bob']) {
      made.push(
        await clerk.invitations.createInvitation({ emailAddress: `${name}.${tag}@example.com`, notify: false }),
      );
      t.clock.advance(1000);
    }
    await clerk.invitations.revokeInvitation(made[2]!.id);

    const all = await clerk.invitations.getInvitationList({ query: tag });
    expect(all.totalCount).toBe(2);
    expect(all.data.map((i) => i.id)).toEqual([made[1]!.id, made[0]!.id]); // newest first
    const byEmail = await clerk.invitations.getInvitationList({
      query: tag,
      orderBy: 'email_address',
      status: 'pending',
    });
    expect(byEmail.data.map((i) => i.emailAddress)).toEqual([`alice.${tag}@example.com`, `carol.${tag}@example.com`]);
    const paged = await clerk.invitations.getInvitationList({
      query: tag,
      orderBy: '+created_at',
      limit: 1,
      offset: 1,
    });
    expect(paged.data.map((i) => i.id)).toEqual([made[1]!.id]);
    expect(paged.totalCount).toBe(2);
    const revoked = await clerk.invitations.getInvitationList({ query: tag, status: 'revoked' });
    expect(revoked.data.map((i) => [i.id, i.status, i.revoked])).toEqual([[made[2]!.id, 'revoked', true]]);
    const byId = await clerk.invitations.getInvitationList({ query: made[0]!.id });
    expect(byId.data.map((i) => i.id)).toEqual([made[0]!.id]);
    expect(byId.data[0]!.url).toBeUndefined(); // the link is shown once, at create

    t.clock.advance(31 * DAY_MS);
    try {
      const expired = await clerk.invitations.getInvitationList({ query: tag, status: 'expired' });
      expect(expired.data.map((i) => i.id).sort()).toEqual([made[0]!.id, made[1]!.id].sort());
      expect((await clerk.invitations.getInvitationList({ query: tag, status: 'pending' })).totalCount).toBe(0);
    } finally {
      t.clock.advance(-31 * DAY_MS);
    }
  });

  it('revokes: Clerk’s revoked Invitation, the queued mail withdrawn, an event; a second revoke is refused', async () => {
    const inv = await clerk.invitations.createInvitation({ emailAddress: unique('rev'), notify: false });
    const revoked = await clerk.invitations.revokeInvitation(inv.id);
    expect(revoked.id).toBe(inv.id);
    expect(revoked.status).toBe('revoked');
    expect(revoked.revoked).toBe(true);
    expect(await eventsOf('invitation.revoked', inv.id)).toHaveLength(1);
    const again = await apiError(() => clerk.invitations.revokeInvitation(inv.id));
    expect(again.errors[0]?.code).toBe('invitation_not_pending');
    const missing = await apiError(() => clerk.invitations.revokeInvitation('inv_nope'));
    expect(missing.status).toBe(404);
    expect(missing.errors[0]?.code).toBe('invitation_not_found');
  });

  it('refuses bad input with Clerk-style codes and writes nothing', async () => {
    const bad = await t.bapi('POST', '/v1/invitations', { email_address: 'not an address' });
    expect(bad.status).toBe(422);
    const unknown = await t.bapi('POST', '/v1/invitations', { email_address: unique('x'), role: 'org:admin' });
    expect(unknown.status).toBe(422);
    const redirect = await t.bapi('POST', '/v1/invitations', {
      email_address: unique('x'),
      redirect_url: 'https://evil.example/',
    });
    expect((await json(redirect)).errors[0].code).toBe('form_param_value_invalid');
    const days = await t.bapi('POST', '/v1/invitations', { email_address: unique('x'), expires_in_days: 0 });
    expect(days.status).toBe(422);
  });
});

describe('accepting an application invitation', () => {
  const PASSWORD = 'a long enough password';
  const isCodeMail = (m: { subject?: string }) => m.subject === 'Your verification code';

  it('the mailed link signs up in one step: verified address, the invitation’s metadata, accepted, an event', async () => {
    const email = unique('mailed');
    const inv = await clerk.invitations.createInvitation({ emailAddress: email, publicMetadata: { plan: 'pro' } });
    const mailed = await mailedUrl(t, { id: inv.id, email_address: email });
    const browser = t.browser();
    const res = await browser.post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(mailed), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'complete' });
    expect(browser.cookie).not.toBeNull();

    const [user] = (await clerk.users.getUserList({ emailAddress: [email] })).data;
    expect(user?.primaryEmailAddress?.verification?.status).toBe('verified');
    expect(user?.publicMetadata).toEqual({ plan: 'pro' });
    const [listed] = (await clerk.invitations.getInvitationList({ query: inv.id, status: 'accepted' })).data;
    expect(listed?.status).toBe('accepted');
    expect(await eventsOf('invitation.accepted', inv.id)).toHaveLength(1);

    // Used: the link signs up no one again.
    const again = await t.browser().post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(mailed), password: PASSWORD });
    expect((await json(again)).errors[0].code).toBe('invitation_already_accepted');
  });

  it('the shown url proves nothing: the sign-up waits for the code mailed to the address, then accepts', async () => {
    const email = unique('shown');
    const inv = await clerk.invitations.createInvitation({ emailAddress: email, notify: false });
    const holder = t.browser();
    const started = await json(
      await holder.post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(inv.url!), password: PASSWORD }),
    );
    expect(started).toMatchObject({ status: 'needs_email_verification' });
    expect((await clerk.users.getUserList({ emailAddress: [email] })).totalCount).toBe(0);
    const code = codeIn(await t.smtp.waitFor(email.toLowerCase(), { match: isCodeMail }));
    const done = await holder.post('/fapi/v1/tickets/sign_up/verify', { sign_up_id: started.sign_up_id, code });
    expect(done.status).toBe(200);
    const [listed] = (await clerk.invitations.getInvitationList({ query: inv.id, status: 'accepted' })).data;
    expect(listed?.id).toBe(inv.id);
  });

  it('revoked and expired links sign up no one', async () => {
    const revoked = await clerk.invitations.createInvitation({ emailAddress: unique('gone') });
    const link = await mailedUrl(t, { id: revoked.id, email_address: revoked.emailAddress });
    await clerk.invitations.revokeInvitation(revoked.id);
    const r = await t.browser().post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(link), password: PASSWORD });
    expect((await json(r)).errors[0].code).toBe('invitation_revoked');

    const old = await clerk.invitations.createInvitation({ emailAddress: unique('old'), expiresInDays: 1 });
    t.clock.advance(2 * DAY_MS);
    try {
      const e = await t.browser().post('/fapi/v1/tickets/sign_up', { ticket: ticketOf(old.url!), password: PASSWORD });
      expect((await json(e)).errors[0].code).toBe('invitation_expired');
    } finally {
      t.clock.advance(-2 * DAY_MS);
    }
    expect((await clerk.users.getUserList({ emailAddress: [revoked.emailAddress, old.emailAddress] })).totalCount).toBe(
      0,
    );
  });
});
