import { ERROR_CODES } from '@roster/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, fr, PAGE_ERROR_CODES } from '../src/i18n/pages.js';
import { createUser, invited, mailedUrl, pathOf, signIn, ticketOf } from './support/flows.js';
import { type Browser, seedOrganization, startTestRoster, type TestRoster } from './support/harness.js';
import { codeIn } from './support/smtp.js';

/** The hosted pages in French (issue 11, decision 044): every state, no English left, errors too. */

const FRENCH = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' };

/** Words of the pages' English that their French never contains. */
const ENGLISH =
  /\b(the|and|your|you|are|is|was|this|that|with|of|to|sign in|sign up|sign out|create|account|password|email address|organizations?|members?|join|joined|expires?|verify|check|remove|primary|decline|send|new|go to|forgot|reset|choose|already|not|has|have|been|link|only|works?|ask|invited|at least|characters|start again|use another|request)\b/i;

/** What a reader sees of a page: its text and the labels read aloud, with the markup and stylesheet gone. */
function visibleText(html: string): string {
  const labels = [...html.matchAll(/\s(?:aria-label|placeholder|title)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<\/?(strong|a|time|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  return [text, ...labels].join(' ').replace(/\s+/g, ' ');
}

let t: TestRoster;
beforeAll(async () => {
  t = await startTestRoster();
});
afterAll(async () => {
  await t?.close();
});

const get = (b: Browser, path: string, headers = FRENCH) => b.fetch('GET', path, { headers });
const post = (b: Browser, path: string, form: Record<string, string>, headers = FRENCH) =>
  b.fetch('POST', path, { form, headers });

/** Checks one French page: `lang="fr"`, `Vary: Accept-Language`, the expected French, no English words. */
async function expectFrench(what: string, res: Response, expected: (string | RegExp)[], names: string[] = []) {
  const html = await res.text();
  expect(html, what).toMatch(/^<!doctype html><html lang="fr">/);
  expect(res.headers.get('vary') ?? '', what).toMatch(/Accept-Language/i);
  let text = visibleText(html);
  for (const e of expected) expect(text, what).toMatch(e);
  for (const name of names) text = text.split(name).join(' ');
  expect(text.match(ENGLISH)?.[0] ?? null, `${what}: ${text}`).toBeNull();
  return html;
}

describe('the French catalogue', () => {
  it('has every key of English, none left in English, and English errors are the table’s own', () => {
    const leaves = (node: unknown, prefix = ''): [string, string][] =>
      typeof node === 'string'
        ? [[prefix, node]]
        : Object.entries(node as object).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    const english = new Map(leaves(en));
    const french = new Map(leaves(fr));
    expect([...english.keys()].filter((k) => !french.has(k))).toEqual([]);
    const same = [...french].filter(([k, v]) => v === english.get(k) && /[a-z]{4}/.test(v));
    // Words that are the same in French.
    expect(same.map(([k]) => k)).toEqual(['common.minutes.one', 'common.minutes.other', 'account.invitations']);
    for (const [k, v] of french) expect(v.replace(/\{\{\w+\}\}/g, ''), k).not.toMatch(ENGLISH);
    for (const code of PAGE_ERROR_CODES) expect(en.errors[code]).toBe(ERROR_CODES[code].long);
  });
});

describe('hosted pages with Accept-Language: fr-FR', () => {
  it('sign-up, its code step and errors, and the signed-in screen', async () => {
    const b = t.browser();
    await expectFrench('sign-up', await get(b, '/sign-up'), ['Créez votre compte', 'Prénom', 'Au moins 8 caractères']);
    const short = await post(b, '/sign-up', { email_address: 'lea@example.com', password: 'short' });
    expect(short.status).toBe(422);
    await expectFrench('sign-up refused', short, ['Le mot de passe doit comporter au moins 8 caractères.']);
    const malformed = await post(b, '/sign-up', { email_address: 'not an address', password: 'a long password' });
    await expectFrench(
      'sign-up bad address',
      malformed,
      ['Le champ « Adresse e-mail » n’a pas le bon format.'],
      ['not an address'],
    );
    const started = await post(b, '/sign-up', { email_address: 'lea@example.com', password: 'a long password' });
    await expectFrench(
      'sign-up code',
      started,
      ['Nous avons envoyé un code à six chiffres', 'Il est valable 10 minutes'],
      ['lea@example.com'],
    );
    const mail = await t.smtp.waitFor('lea@example.com');
    // The sign-up keeps the page's language: its code mail is French too.
    expect(mail.subject).toBe('Votre code de vérification');
    const code = codeIn(mail);
    const wrong = await post(b, '/sign-up/verify', {
      email_address: 'lea@example.com',
      code: code === '000000' ? '111111' : '000000',
    });
    await expectFrench('sign-up wrong code', wrong, ['Le code de vérification est incorrect.'], ['lea@example.com']);
    expect((await post(b, '/sign-up/verify', { email_address: 'lea@example.com', code })).status).toBe(303);
    await expectFrench(
      'sign-up signed in',
      await get(b, '/sign-up'),
      ['Vous êtes connecté en tant que'],
      ['lea@example.com'],
    );
  });

  it('the account page signed out (and its errors) and signed in, with its settings and invitations', async () => {
    const { org } = await seedOrganization(t, { name: 'Acme' });
    const anon = t.browser();
    await expectFrench('sign-in', await get(anon, '/account'), ['Se connecter', 'Pas encore de compte ?']);
    await createUser(t, 'noe@example.com');
    const bad = await post(anon, '/account/sign-in', { identifier: 'noe@example.com', password: 'wrong password!' });
    await expectFrench(
      'sign-in refused',
      bad,
      ['L’adresse e-mail ou le mot de passe est incorrect.'],
      ['noe@example.com'],
    );
    const missing = await post(anon, '/account/sign-in', { identifier: 'noe@example.com' });
    await expectFrench(
      'sign-in missing password',
      missing,
      ['Le champ « Mot de passe » est obligatoire.'],
      ['noe@example.com'],
    );

    const invitation = await invited(t, org.id, 'noe@example.com');
    const noe = await signIn(t, 'noe@example.com');
    await expectFrench(
      'account',
      await get(noe, '/account'),
      [
        'Vos organisations',
        'Vous n’êtes encore membre d’aucune organisation.',
        'Acme en tant que membre',
        'Accepter',
        'Refuser',
        'Changer le mot de passe',
      ],
      ['noe@example.com'],
    );
    const added = await post(noe, '/account/email-addresses', { email_address: 'noe2@example.com' });
    await expectFrench(
      'account address added',
      added,
      [
        'Nous avons envoyé un code à six chiffres à noe2@example.com.',
        '(non vérifiée)',
        'Code envoyé à noe2@example.com',
      ],
      ['noe@example.com', 'noe2@example.com'],
    );
    const wrong = await post(noe, '/account/email-addresses/nope/verify', { code: '123456' });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    await expectFrench(
      'account refused',
      wrong,
      ['L’élément demandé est introuvable.'],
      ['noe@example.com', 'noe2@example.com'],
    );
    const joined = await post(noe, `/account/invitations/${invitation.id}/accept`, {});
    await expectFrench(
      'account joined',
      joined,
      ['Vous avez rejoint Acme.', 'Acme · Membre'],
      ['noe@example.com', 'noe2@example.com'],
    );
  });

  it('forgot password: address, code, new password, and their errors', async () => {
    await createUser(t, 'ines@example.com');
    const b = t.browser();
    await expectFrench('forgot', await get(b, '/account/forgot-password'), ['Réinitialiser votre mot de passe']);
    const sent = await post(b, '/account/forgot-password', { identifier: 'ines@example.com' });
    await expectFrench('forgot code', sent, ['Si un compte utilise', 'Code de réinitialisation'], ['ines@example.com']);
    const code = codeIn(await t.smtp.waitFor('ines@example.com'));
    const wrong = await post(b, '/account/forgot-password/code', {
      email_address: 'ines@example.com',
      code: code === '000000' ? '111111' : '000000',
    });
    await expectFrench('forgot wrong code', wrong, ['Le code de vérification est incorrect.'], ['ines@example.com']);
    const right = await post(b, '/account/forgot-password/code', { email_address: 'ines@example.com', code });
    await expectFrench('forgot new password', right, ['Choisissez un nouveau mot de passe']);
    const short = await post(b, '/account/forgot-password/reset', { password: 'short' });
    await expectFrench('forgot short', short, ['Le mot de passe doit comporter au moins 8 caractères.']);
  });

  it('/accept-invitation in every state', async () => {
    const { org, user: admin } = await seedOrganization(t, { name: 'Acme' });
    const names = ['Acme', 'Ada Admin', admin.email_addresses?.[0]?.email_address ?? ''];
    const signUp = await invited(t, org.id, 'zoe@example.com');
    const mailed = await mailedUrl(t, signUp);
    const anon = t.browser();
    await expectFrench(
      'sign_up (mailed link)',
      await get(anon, pathOf(mailed)),
      [
        'Rejoindre Acme',
        'Un administrateur a invité zoe@example.com à rejoindre Acme en tant que membre.',
        'Cette invitation confirme déjà votre adresse e-mail.',
        'Créer le compte et rejoindre',
        /Valable jusqu’au \d+ [a-zéû]+ 20\d\d/,
      ],
      [...names, 'zoe@example.com'],
    );
    await expectFrench(
      'sign_up (shown link)',
      await get(anon, pathOf(signUp.url)),
      ['Nous enverrons un code à cette adresse'],
      [...names, 'zoe@example.com'],
    );
    const codeStep = await post(anon, '/accept-invitation', {
      ticket: ticketOf(signUp.url),
      action: 'sign_up',
      password: 'a long password',
    });
    await expectFrench(
      'code screen',
      codeStep,
      ['Consultez vos e-mails', 'Pour rejoindre Acme, confirmez que'],
      [...names, 'zoe@example.com'],
    );
    const wrongCode = await post(anon, '/accept-invitation', {
      ticket: ticketOf(signUp.url),
      action: 'verify',
      code: '000000',
    });
    await expectFrench(
      'code screen refused',
      wrongCode,
      ['Le code de vérification est incorrect.'],
      [...names, 'zoe@example.com'],
    );

    await createUser(t, 'yann@example.com');
    const signInCase = await invited(t, org.id, 'yann@example.com');
    await expectFrench(
      'sign_in',
      await get(anon, pathOf(signInCase.url)),
      ['Vous avez déjà un compte.', 'Mot de passe oublié ?'],
      [...names, 'yann@example.com'],
    );
    const refused = await post(anon, '/accept-invitation', {
      ticket: ticketOf(signInCase.url),
      action: 'sign_in',
      password: 'not the password',
    });
    await expectFrench(
      'sign_in refused',
      refused,
      ['L’adresse e-mail ou le mot de passe est incorrect.'],
      [...names, 'yann@example.com'],
    );
    const yann = await signIn(t, 'yann@example.com');
    await expectFrench(
      'accept',
      await get(yann, pathOf(signInCase.url)),
      ['Connecté en tant que yann@example.com.'],
      [...names, 'yann@example.com'],
    );
    const other = await invited(t, org.id, 'someone@example.com');
    await expectFrench(
      'wrong_account',
      await get(yann, pathOf(other.url)),
      [
        'Vous êtes connecté en tant que yann@example.com, mais cette invitation est destinée à someone@example.com.',
        'Se déconnecter et continuer en tant que someone@example.com',
        'Ou rester connecté en tant que yann@example.com.',
      ],
      [...names, 'yann@example.com', 'someone@example.com'],
    );
    expect(
      (await post(yann, '/accept-invitation', { ticket: ticketOf(signInCase.url), action: 'accept' })).status,
    ).toBe(303);
    await expectFrench(
      'joined by you',
      await get(yann, pathOf(signInCase.url)),
      ['Vous avez déjà rejoint Acme'],
      names,
    );
    await expectFrench(
      'used',
      await get(anon, pathOf(signInCase.url)),
      ['Cette invitation a déjà servi', 'Demandez une nouvelle invitation à un administrateur (Acme).'],
      names,
    );
    const revoked = await invited(t, org.id, 'rev@example.com');
    await t.bapi('POST', `/v1/organizations/${org.id}/invitations/${revoked.id}/revoke`, {});
    await expectFrench('revoked', await get(anon, pathOf(revoked.url)), ['Cette invitation a été révoquée'], names);
    await expectFrench('not found', await get(anon, '/accept-invitation?ticket=nope'), [
      'Ce lien d’invitation n’est pas valide',
      'Aller à votre compte',
    ]);
    const expiring = await invited(t, org.id, 'late@example.com', { expires_in_days: 1 });
    t.clock.advance(2 * 86_400_000);
    await expectFrench('expired', await get(anon, pathOf(expiring.url)), ['Cette invitation a expiré'], names);
  });
});

describe('the language without Accept-Language, and English readers', () => {
  let frInstance: TestRoster;
  beforeAll(async () => {
    frInstance = await startTestRoster({ env: { ROSTER_LOCALE: 'fr' }, smtp: t.smtp });
  });
  afterAll(async () => {
    await frInstance?.close();
  });

  it('ROSTER_LOCALE=fr speaks French to a reader who names no language, English to en-US', async () => {
    const b = frInstance.browser();
    const plain = await b.fetch('GET', '/sign-up');
    await expectFrench('no header', plain, ['Créez votre compte']);
    const other = await b.fetch('GET', '/sign-up', { headers: { 'accept-language': 'de-DE' } });
    await expectFrench('a language the pages do not speak', other, ['Créez votre compte']);
    const english = await b.fetch('GET', '/sign-up', { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    const html = await english.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('Create your account');
    expect(english.headers.get('vary')).toMatch(/Accept-Language/i);
    const ranked = await b.fetch('GET', '/account', { headers: { 'accept-language': 'de;q=1, en;q=0.8, fr;q=0.5' } });
    expect(await ranked.text()).toContain('<html lang="en">');
  });

  it('an English instance stays English without the header', async () => {
    const html = await (await t.browser().fetch('GET', '/sign-up')).text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('Create your account');
  });
});
