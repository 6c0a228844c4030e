import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOrganizationInvitation } from '../../src/email/templates/organization-invitation.js';
import { type LiveRoster, startLiveRoster } from '../support/live-roster.js';

const ENGLISH = /\b(invited|join|expires|accept|ignore|email|role)\b/i;

describe('invitation mail in the instance language (ROSTER_LOCALE, decision 039)', () => {
  let live: LiveRoster;
  beforeAll(async () => {
    live = await startLiveRoster({ env: { ROSTER_LOCALE: 'fr' } });
  });
  afterAll(async () => {
    await live?.close();
  });

  it('ROSTER_LOCALE=fr: the invitation mail is French, its date in French, escaping kept', async () => {
    const user = await live.bapi('POST', '/v1/users', {
      email_address: ['ada-fr@example.com'],
      first_name: 'Ada',
      last_name: 'Lovelace',
      password: 'correct horse battery staple',
    });
    expect(user.status).toBe(200);
    const org = await live.bapi('POST', '/v1/organizations', { name: 'Acme <Cie>', created_by: user.body.id });
    expect(org.status).toBe(200);
    const invited = await live.bapi('POST', `/v1/organizations/${org.body.id}/invitations`, {
      email_address: 'grace-fr@example.com',
      role: 'org:member',
      inviter_user_id: user.body.id,
    });
    expect(invited.status).toBe(200);
    const mail = await live.waitForMail('grace-fr@example.com');
    expect(mail.subject).toBe('Ada Lovelace vous invite à rejoindre Acme <Cie>');
    expect(mail.text).toContain('Accepter l’invitation :');
    expect(mail.text).toMatch(/Cette invitation expire le \d{1,2} [a-zéû]+\.? \d{4}/);
    expect(mail.html).toContain('<html lang="fr"');
    expect(mail.html).toContain('Rejoindre Acme &lt;Cie&gt;');
    expect(mail.text.replace(/https?:\/\/\S+/g, '')).not.toMatch(ENGLISH);
  });
});

describe('organization invitation template languages', () => {
  const data = {
    organizationName: 'Acme',
    inviterName: null,
    roleName: 'Member',
    expiresAt: Date.UTC(2026, 11, 31, 21, 32),
    url: 'https://app.example.com/accept-invitation?ticket=t',
  };
  it('English by default and for unknown languages; French for fr, fr-FR, fr-CA', () => {
    expect(renderOrganizationInvitation(data).subject).toBe("You're invited to join Acme");
    expect(renderOrganizationInvitation({ ...data, locale: 'de' }).subject).toBe("You're invited to join Acme");
    for (const locale of ['fr', 'fr-FR', 'fr-CA']) {
      const mail = renderOrganizationInvitation({ ...data, locale });
      expect(mail.subject).toBe('Vous êtes invité à rejoindre Acme');
      expect(mail.text).toContain('31 décembre 2026');
    }
  });
});
