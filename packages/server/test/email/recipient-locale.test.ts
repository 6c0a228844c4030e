import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAppInvitation } from '../../src/email/templates/app-invitation.js';
import { renderDomainAffiliationCode } from '../../src/email/templates/domain-affiliation-code.js';
import { renderPasswordResetCode } from '../../src/email/templates/password-reset-code.js';
import { renderVerificationCode } from '../../src/email/templates/verification-code.js';
import { errorOf, signIn } from '../support/flows.js';
import { json, startTestRoster, type TestRoster } from '../support/harness.js';
import { codeIn } from '../support/smtp.js';

/**
 * Every mail speaks the recipient's language (decision 039): the account's `locale`, or the one a
 * sign-up asked for (Clerk's sign-up `locale`, kept on the account), else the instance's
 * `ROSTER_LOCALE`. English and French for every kind of mail.
 */

const PASSWORD = 'correct horse battery staple';
const ENGLISH = /\b(your|expires|account|ignore|email|share|invited|password|sign|address)\b/i;
const FRENCH = /\b(votre|vous|expire|compte|adresse)\b/i;
const words = (text: string) => text.replace(/https?:\/\/\S+/g, '').replace(/\d{6}/g, '');

describe('templates in French', () => {
  const expiresAt = Date.UTC(2026, 11, 31, 21, 32);
  it('every kind has French words and a French date, and nothing English', () => {
    const mails = [
      renderVerificationCode({ code: '042137', expiresAt, locale: 'fr-FR' }),
      renderVerificationCode({ code: '042137', expiresAt, locale: 'fr', purpose: 'add_email_address' }),
      renderPasswordResetCode({ code: '042137', expiresAt, locale: 'fr-CA' }),
      renderDomainAffiliationCode({
        code: '042137',
        expiresAt,
        organizationName: 'Acme',
        domainName: 'acme.test',
        locale: 'fr',
      }),
      renderAppInvitation({
        siteName: 'app.example.com',
        expiresAt,
        url: 'https://app.example.com/a?t=1',
        locale: 'fr',
      }),
    ];
    for (const mail of mails) {
      expect(mail.html).toContain('<html lang="fr"');
      expect(mail.text).toContain('31 décembre 2026');
      expect(words(`${mail.subject}\n${mail.text}`)).not.toMatch(ENGLISH);
    }
    expect(mails[2]?.subject).toBe('Votre code de réinitialisation du mot de passe');
    expect(renderPasswordResetCode({ code: '1', expiresAt, locale: 'de' }).subject).toBe('Your password reset code');
  });
});

describe('the recipient’s language, over the instance’s', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startTestRoster({ env: { ROSTER_LOCALE: 'fr' } });
  });
  afterAll(async () => {
    await t.close();
  });
  const mailTo = (to: string, subject: string) => t.smtp.waitFor(to, { match: (m) => m.subject === subject });

  it('the instance’s French without a locale: application invitation and sign-up code', async () => {
    expect((await t.bapi('POST', '/v1/invitations', { email_address: 'app-fr@example.com' })).status).toBe(200);
    const invitation = await t.smtp.waitFor('app-fr@example.com');
    expect(invitation.subject).toMatch(/^Vous êtes invité sur /);

    const browser = t.browser();
    expect(
      (await browser.post('/fapi/v1/client/sign_ups', { email_address: 'fr@example.com', password: PASSWORD })).status,
    ).toBe(200);
    const code = await mailTo('fr@example.com', 'Votre code de vérification');
    expect(words(code.text ?? '')).toMatch(FRENCH);
  });

  it('a sign-up’s locale writes its code mail, the account keeps it, and its reset mail follows it', async () => {
    const browser = t.browser();
    const started = await browser.post('/fapi/v1/client/sign_ups', {
      email_address: 'en@example.com',
      password: PASSWORD,
      locale: 'en-US',
    });
    expect(started.status).toBe(200);
    const mail = await mailTo('en@example.com', 'Your verification code');
    expect(mail.html).toContain('<html lang="en"');
    const done = await browser.post('/fapi/v1/client/sign_ups/verify', { code: codeIn(mail) });
    expect(done.status).toBe(200);
    const userId = (await json(done)).user.id as string;
    expect((await json(await t.bapi('GET', `/v1/users/${userId}`))).locale).toBe('en-US');

    const reset = t.browser();
    const signIn = await json(await reset.post('/fapi/v1/client/sign_ins', { identifier: 'en@example.com' }));
    const prepared = await reset.post('/fapi/v1/client/sign_ins/prepare_first_factor', {
      sign_in_id: signIn.sign_in_id,
      strategy: 'reset_password_email_code',
    });
    expect(prepared.status).toBe(200);
    expect((await mailTo('en@example.com', 'Your password reset code')).text).toContain('The code expires on');

    expect(
      await errorOf(
        await t.browser().post('/fapi/v1/client/sign_ups', {
          email_address: 'bad@example.com',
          password: PASSWORD,
          locale: 'not a tag!',
        }),
      ),
    ).toMatchObject({ status: 422, code: 'form_param_format_invalid', meta: { param_name: 'locale' } });
  });

  it('an account’s locale writes the code for an address it adds', async () => {
    const created = await t.bapi('POST', '/v1/users', {
      email_address: ['owner-en@example.com'],
      password: PASSWORD,
      locale: 'en-GB',
    });
    expect(created.status).toBe(200);
    const browser = await signIn(t, 'owner-en@example.com', PASSWORD);
    const added = await json(
      await browser.post('/fapi/v1/me/email_addresses', { email_address: 'second@example.com' }),
    );
    expect(
      (
        await browser.post(`/fapi/v1/me/email_addresses/${added.id}/prepare_verification`, {
          strategy: 'email_code',
        })
      ).status,
    ).toBe(200);
    const mail = await mailTo('second@example.com', 'Your verification code');
    expect(mail.text).toContain('add this email address to your account');
  });
});
