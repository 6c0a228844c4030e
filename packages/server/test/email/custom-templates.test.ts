import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMailTemplates } from '../../src/email/custom-templates.js';
import { PUBLIC_URL, seedOrganization, startTestRoster, type TestRoster } from '../support/harness.js';
import { linkIn } from '../support/smtp.js';

/**
 * The operator's Handlebars templates (decision 045): checked at start with the file named,
 * HTML-escaped in the HTML body, used by the dispatcher over the built-in mails, per language,
 * and previewable in development.
 */

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'roster-templates-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const INVITATION = {
  'organization_invitation.subject.hbs': 'Welcome to {{organizationName}}',
  'organization_invitation.txt.hbs':
    '{{#if inviterName}}{{inviterName}} invites you{{else}}You are invited{{/if}} to {{organizationName}} as {{roleName}}.\nJoin: {{url}}\nUntil {{expiresAt}}\n',
  'organization_invitation.html.hbs':
    '<!doctype html><html><body><h1>{{organizationName}}</h1><p><a href="{{url}}">Join as {{roleName}}</a></p></body></html>',
  'organization_invitation.fr.subject.hbs': 'Bienvenue chez {{organizationName}}',
  'organization_invitation.fr.txt.hbs': 'Rejoindre : {{url}} (jusqu’au {{expiresAt}})\n',
  'organization_invitation.fr.html.hbs': '<p><a href="{{url}}">Rejoindre {{organizationName}}</a></p>',
};

describe('checked at start, the file named', () => {
  const refusal = (files: Record<string, string>) => {
    try {
      loadMailTemplates(folder(files));
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };
  const [subject, txt, html] = Object.keys(INVITATION) as [string, string, string];

  it('accepts a full set, and refuses every way a template can be wrong', () => {
    expect(refusal(INVITATION)).toBe('accepted');
    expect(refusal({ 'invitation.subject.hbs': 'x' })).toMatch(/^invitation\.subject\.hbs: not a template name/);
    expect(refusal({ 'password_reset_code.de.subject.hbs': 'x' })).toMatch(/language "de" is not one of en, fr/);
    expect(refusal({ [subject]: 'Hi', [txt]: '{{url}}' })).toMatch(
      /organization_invitation\.html\.hbs missing \(a kind's subject, text and HTML are replaced together\)/,
    );
    expect(refusal({ ...INVITATION, [html]: '<a href="{{url}}">{{{organizationName}}}</a>' })).toMatch(
      /organization_invitation\.html\.hbs: unescaped output/,
    );
    expect(refusal({ ...INVITATION, [html]: '<a href="{{url}}">{{& organizationName}}</a>' })).toMatch(/unescaped/);
    expect(refusal({ ...INVITATION, [txt]: '{{url}} {{ticket}}' })).toMatch(
      /organization_invitation\.txt\.hbs: .*"ticket" not defined.*\(the variables of organization_invitation are organizationName, /,
    );
    expect(refusal({ ...INVITATION, [html]: '<p>{{organizationName}}</p>' })).toMatch(
      /organization_invitation\.html\.hbs: must show \{\{url\}\}/,
    );
    expect(refusal({ ...INVITATION, [subject]: '  ' })).toMatch(/subject is empty/);
    expect(refusal({ ...INVITATION, [txt]: '{{#unknownHelper}}{{url}}{{/unknownHelper}}' })).toMatch(
      /organization_invitation\.txt\.hbs/,
    );
    expect(() => loadMailTemplates('/nonexistent/roster-templates')).toThrow(/ROSTER_EMAIL_TEMPLATES_DIR: cannot read/);
  });
});

describe('the dispatcher sends them; the preview shows them', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startTestRoster({ env: { ROSTER_EMAIL_TEMPLATES_DIR: folder(INVITATION) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an invitation in the operator’s words: names escaped in HTML, as typed in text, the link working', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme <b>&</b> Co' });
    const invited = await t.bapi('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: 'custom@example.com',
      role: 'org:member',
    });
    expect(invited.status).toBe(200);
    const mail = await t.smtp.waitFor('custom@example.com');
    expect(mail.subject).toBe('Welcome to Acme <b>&</b> Co');
    expect(mail.text).toContain('You are invited to Acme <b>&</b> Co as Member.');
    expect(mail.html).toContain('<h1>Acme &lt;b&gt;&amp;&lt;/b&gt; Co</h1>');
    expect(mail.html).not.toContain('<b>&</b>');
    const link = linkIn(mail);
    expect(link.startsWith(`${PUBLIC_URL}/accept-invitation?ticket=`)).toBe(true);
    expect((await t.roster.app.request(link)).status).toBe(200);
    // A kind without a template of the operator's keeps the built-in mail.
    await t
      .browser()
      .post('/fapi/v1/client/sign_ups', { email_address: 'code@example.com', password: 'a long enough password' });
    expect((await t.smtp.waitFor('code@example.com')).subject).toBe('Your verification code');
  });

  it('a language’s own set wins over the generic one', async () => {
    const page = await (
      await t.roster.app.request(`${PUBLIC_URL}/dev/mail-templates/organization_invitation/fr`)
    ).text();
    expect(page).toContain('Bienvenue chez Acme &lt;Inc&gt;');
    expect(page).toContain('<dd>yours</dd>');
    const en = await (await t.roster.app.request(`${PUBLIC_URL}/dev/mail-templates/organization_invitation/en`)).text();
    expect(en).toContain('Welcome to Acme &lt;Inc&gt;');
  });

  it('previews every kind and language, yours or built-in, with its variables', async () => {
    const index = await (await t.roster.app.request(`${PUBLIC_URL}/dev/mail-templates`)).text();
    expect(index).toContain('href="/dev/mail-templates/password_reset_code/fr"');
    expect(index.match(/<td>yours<\/td>/g)).toHaveLength(2);
    const reset = await (await t.roster.app.request(`${PUBLIC_URL}/dev/mail-templates/password_reset_code/fr`)).text();
    expect(reset).toContain('Votre code de réinitialisation du mot de passe');
    expect(reset).toContain('<code>{{code}}</code>');
    expect((await t.roster.app.request(`${PUBLIC_URL}/dev/mail-templates/nope/en`)).status).toBe(404);
  });
});
