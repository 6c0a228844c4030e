import { describe, expect, it, vi } from 'vitest';
import { freshRosterForEachTest } from './support/flows.js';
import { json, seedOrganization } from './support/harness.js';
import { linkIn } from './support/smtp.js';

const t = freshRosterForEachTest();

describe('the invitation flow, end to end over SMTP', () => {
  it('an admin invites a new address; the mail arrives; the link signs them up and joins them', async () => {
    const { org, browser: admin } = await seedOrganization(t, { name: 'Acme <Labs>' });

    const created = await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
      email_address: 'New.Person@Example.com',
      role: 'basic_member',
    });
    expect(created.status).toBe(200);
    const invitation = await json(created);
    expect(invitation).toMatchObject({
      object: 'organization_invitation',
      status: 'pending',
      role: 'org:member',
      email_address: 'New.Person@Example.com',
    });
    // A browser is never shown the link: only the invited mailbox gets it (decision 021).
    expect(invitation.url).toBeNull();

    const mail = await t.smtp.waitFor('new.person@example.com');
    expect(mail.subject).toContain('Acme <Labs>');
    expect(mail.messageId).toBe(`<${invitation.id}@roster>`);
    expect(mail.html).toContain('Acme &lt;Labs&gt;');
    const link = linkIn(mail);
    expect(link).toMatch(/^http:\/\/roster\.test\/accept-invitation\?ticket=/);

    // Opening the link changes nothing.
    const invitee = t.browser();
    const page = await invitee.get(link.replace('http://roster.test', ''));
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Create account and join');
    expect(html).toContain('value="New.Person@Example.com" readonly');
    const stillPending = await vi.waitFor(async () => {
      const body = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${invitation.id}`));
      expect(body.email_delivery.status).toBe('sent');
      return body;
    });
    expect(stillPending.status).toBe('pending');
    expect(stillPending.url).toBeNull();

    // Signing up from the link: user, verified email, membership and session at once.
    const ticket = new URL(link).searchParams.get('ticket')!;
    const joined = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_up', password: 'a long enough password', first_name: 'New' },
    });
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe('http://roster.test/account');
    const me = await json(await invitee.get('/fapi/v1/me'));
    expect(me.user.email_addresses[0]).toMatchObject({
      email_address: 'New.Person@Example.com',
      verification: { status: 'verified', strategy: 'ticket' },
    });
    expect(me.organization_memberships).toHaveLength(1);
    expect(me.organization_memberships[0]).toMatchObject({ role: 'org:member', organization: { id: org.id } });

    const members = await json(await admin.get(`/fapi/v1/organizations/${org.id}/memberships`));
    expect(members.total_count).toBe(2);
    const accepted = await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${invitation.id}`));
    expect(accepted.status).toBe('accepted');

    // The used link joins no one and says why.
    const again = await t.browser().get(link.replace('http://roster.test', ''));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already used');
  });

  it('an existing user signs in from the link and joins with the invited role', async () => {
    const { org, browser: admin } = await seedOrganization(t);
    await t.bapi('POST', '/v1/users', { email_address: ['grace@example.com'], password: 'grace password 1' });
    const inv = await json(
      await admin.post(`/fapi/v1/organizations/${org.id}/invitations`, {
        email_address: 'grace@example.com',
        role: 'admin',
      }),
    );
    const link = linkIn(await t.smtp.waitFor('grace@example.com'));
    const ticket = new URL(link).searchParams.get('ticket')!;
    const invitee = t.browser();
    expect(await (await invitee.get(`/accept-invitation?ticket=${ticket}`)).text()).toContain('Sign in and join');
    const wrong = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_in', password: 'not it' },
    });
    expect(wrong.status).toBe(422);
    const ok = await invitee.fetch('POST', '/accept-invitation', {
      form: { ticket, action: 'sign_in', password: 'grace password 1' },
    });
    expect(ok.status).toBe(303);
    const me = await json(await invitee.get('/fapi/v1/me'));
    expect(me.organization_memberships[0]).toMatchObject({ role: 'org:admin', organization: { id: org.id } });
    expect((await json(await t.bapi('GET', `/v1/organizations/${org.id}/invitations/${inv.id}`))).status).toBe(
      'accepted',
    );
  });
});
