import { describe, expect, it, vi } from 'vitest';
import { linkIn } from '../../server/test/support/smtp.js';
import { OrganizationInvitation, RosterAPIError, type RosterChangeEvent } from '../src/index.js';
import { liveRosterForEachTest } from './support.js';

const live = liveRosterForEachTest();
const DAY_MS = 86_400_000;

describe('invitation.resend() and invitation.createLink()', () => {
  it('resend mails a new link, keeps the role, moves the expiry, updates the object and fires invitation_resent', async () => {
    const { client, organization } = await live.admin();
    const events: RosterChangeEvent[] = [];
    client.onChange((e) => events.push(e));
    const invitation = await organization.inviteMember({ emailAddress: 'again@example.com', role: 'admin' });
    const first = linkIn(await live.t.smtp.waitFor('again@example.com'));

    const same = await invitation.resend({ expiresInDays: 7 });
    expect(same).toBe(invitation);
    expect(invitation).toBeInstanceOf(OrganizationInvitation);
    expect(invitation).toMatchObject({ status: 'pending', role: 'org:admin', url: null });
    expect(invitation.expiresAt.getTime()).toBe(live.t.clock.now() + 7 * DAY_MS);
    expect(invitation.emailDelivery.status).toBe('queued');
    expect(events.at(-1)).toEqual({ kind: 'invitation_resent', organizationId: organization.id });

    await vi.waitFor(() =>
      expect(live.t.smtp.messages.filter((m) => String(m.messageId).startsWith(`<${invitation.id}.`))).toHaveLength(1),
    );
    const resent = live.t.smtp.messages.find((m) => String(m.messageId).startsWith(`<${invitation.id}.`))!;
    expect(linkIn(resent)).not.toBe(first);

    const link = await invitation.createLink();
    expect(link).toMatch(/\/accept-invitation\?ticket=/);
    expect(invitation.url).toBe(link);

    await invitation.revoke();
    const refused = await invitation.resend().catch((e) => e);
    expect(refused).toBeInstanceOf(RosterAPIError);
    expect(refused.code).toBe('invitation_revoked');
  });

  it('inviteMember for an address already invited: duplicate_record whose meta says where to resend', async () => {
    const { organization } = await live.admin();
    const invitation = await organization.inviteMember({ emailAddress: 'twice@example.com', role: 'basic_member' });
    const error = await organization
      .inviteMember({ emailAddress: 'twice@example.com', role: 'basic_member' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RosterAPIError);
    expect(error.errors[0]).toMatchObject({
      code: 'duplicate_record',
      meta: expect.objectContaining({ invitationId: invitation.id }),
    });
  });
});
