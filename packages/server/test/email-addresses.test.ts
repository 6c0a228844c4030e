import { describe, expect, it } from 'vitest';
import { errorOf, freshRosterForEachTest, invited, signedInUser, signIn } from './support/flows.js';
import { type Browser, json, seedOrganization } from './support/harness.js';
import { codeIn } from './support/smtp.js';

const t = freshRosterForEachTest();

/** Adds `email` to the signed-in user and mails its code; returns the address JSON and the code. */
async function addAndMail(browser: Browser, email: string) {
  const created = await browser.post('/fapi/v1/me/email_addresses', { email_address: email });
  expect(created.status).toBe(200);
  const address = await json(created);
  const prepared = await browser.post(`/fapi/v1/me/email_addresses/${address.id}/prepare_verification`, {
    strategy: 'email_code',
  });
  expect(prepared.status).toBe(200);
  const code = codeIn(await t.smtp.waitFor(email, { match: (m) => m.subject === 'Your verification code' }));
  return { address, code };
}

describe('a second email address (createEmailAddress, prepareVerification, attemptVerification)', () => {
  it('add, verify by code, make primary, remove the old one; the last verified address stays', async () => {
    const { browser } = await signedInUser(t, 'ada@example.com');
    const { address, code } = await addAndMail(browser, 'ada@work.example');
    expect(address.verification).toMatchObject({ status: 'unverified', strategy: 'email_code' });
    // Not an identity before it is verified.
    expect((await json(await browser.get('/fapi/v1/me'))).user.email_addresses).toHaveLength(1);
    const wrong = await browser.post(`/fapi/v1/me/email_addresses/${address.id}/attempt_verification`, {
      code: code === '000000' ? '111111' : '000000',
    });
    expect(await errorOf(wrong)).toMatchObject({ code: 'form_code_incorrect', meta: { attempts_remaining: 4 } });
    const verified = await browser.post(`/fapi/v1/me/email_addresses/${address.id}/attempt_verification`, { code });
    expect(verified.status).toBe(200);
    expect((await json(verified)).verification).toMatchObject({ status: 'verified', strategy: 'email_code' });

    // Signing in with the new address works.
    await signIn(t, 'ada@work.example');

    const me = await json(await browser.get('/fapi/v1/me'));
    const original = me.user.email_addresses.find(
      (e: { email_address: string }) => e.email_address === 'ada@example.com',
    );
    expect(me.user.primary_email_address_id).toBe(original.id);
    const patched = await browser.patch('/fapi/v1/me', { primary_email_address_id: address.id });
    expect(patched.status).toBe(200);
    expect((await json(patched)).primary_email_address_id).toBe(address.id);

    const removed = await browser.delete(`/fapi/v1/me/email_addresses/${original.id}`);
    expect(await json(removed)).toMatchObject({ object: 'email_address', id: original.id, deleted: true });
    const last = await browser.delete(`/fapi/v1/me/email_addresses/${address.id}`);
    expect(await errorOf(last)).toMatchObject({ status: 422, code: 'identification_deletion_failed' });
    const after = await json(await browser.get('/fapi/v1/me'));
    expect(after.user.email_addresses.map((e: { email_address: string }) => e.email_address)).toEqual([
      'ada@work.example',
    ]);
  });

  it('an unverified address blocks no one: its owner signs up with it, and then it can no longer be verified', async () => {
    const { browser: squatter } = await signedInUser(t, 'squatter@example.com');
    const { address, code } = await addAndMail(squatter, 'victim@example.com');

    // The real owner signs up with the address the squatter added.
    const owner = t.browser();
    const started = await owner.post('/fapi/v1/client/sign_ups', {
      email_address: 'victim@example.com',
      password: 'the owner passphrase',
    });
    expect(started.status).toBe(200);
    const ownerCode = codeIn(
      await t.smtp.waitFor('victim@example.com', { match: (m) => m.text?.includes('finish creating') ?? false }),
    );
    const done = await owner.post('/fapi/v1/client/sign_ups/verify', { code: ownerCode });
    expect(done.status).toBe(200);

    const refused = await squatter.post(`/fapi/v1/me/email_addresses/${address.id}/attempt_verification`, { code });
    expect(await errorOf(refused)).toMatchObject({ code: 'form_identifier_exists' });
    // Adding an address someone verified is refused at once.
    const again = await squatter.post('/fapi/v1/me/email_addresses', { email_address: 'Victim@Example.com' });
    expect(await errorOf(again)).toMatchObject({ code: 'form_identifier_exists' });
  });

  it('the same unverified address may wait on two accounts; the first to verify it wins', async () => {
    const { browser: a } = await signedInUser(t, 'a@example.com');
    const { browser: b } = await signedInUser(t, 'b@example.com');
    const first = await addAndMail(a, 'shared@example.com');
    const created = await json(await b.post('/fapi/v1/me/email_addresses', { email_address: 'shared@example.com' }));
    await b.post(`/fapi/v1/me/email_addresses/${created.id}/prepare_verification`, {});
    const seen = t.smtp.messages.filter((m) => m.text?.includes(first.code));
    const bCode = codeIn(await t.smtp.waitFor('shared@example.com', { match: (m) => !seen.includes(m) }));
    expect(
      (await a.post(`/fapi/v1/me/email_addresses/${first.address.id}/attempt_verification`, { code: first.code }))
        .status,
    ).toBe(200);
    const lost = await b.post(`/fapi/v1/me/email_addresses/${created.id}/attempt_verification`, { code: bCode });
    expect(await errorOf(lost)).toMatchObject({ code: 'form_identifier_exists' });
  });

  it('an invitation to a second verified address can be accepted, and not before it is verified', async () => {
    const { org } = await seedOrganization(t);
    const invitation = await invited(t, org.id, 'second@example.com');
    const { browser } = await signedInUser(t, 'first@example.com');
    const { address, code } = await addAndMail(browser, 'second@example.com');
    const before = await json(await browser.get('/fapi/v1/me/organization_invitations'));
    expect(before.total_count).toBe(0);
    const early = await browser.post(`/fapi/v1/me/organization_invitations/${invitation.id}/accept`);
    expect(await errorOf(early)).toMatchObject({ code: 'invitation_not_found' });

    await browser.post(`/fapi/v1/me/email_addresses/${address.id}/attempt_verification`, { code });
    const list = await json(await browser.get('/fapi/v1/me/organization_invitations'));
    expect(list.data.map((i: { id: string }) => i.id)).toEqual([invitation.id]);
    const accepted = await browser.post(`/fapi/v1/me/organization_invitations/${invitation.id}/accept`);
    expect(accepted.status).toBe(200);
  });

  it('another account cannot touch my addresses', async () => {
    const { browser: mine } = await signedInUser(t, 'mine@example.com');
    const { browser: theirs } = await signedInUser(t, 'theirs@example.com');
    const created = await json(await mine.post('/fapi/v1/me/email_addresses', { email_address: 'extra@example.com' }));
    const me = await json(await mine.get('/fapi/v1/me'));
    for (const id of [created.id, me.user.email_addresses[0].id]) {
      expect((await errorOf(await theirs.delete(`/fapi/v1/me/email_addresses/${id}`))).code).toBe('resource_not_found');
      expect((await errorOf(await theirs.patch('/fapi/v1/me', { primary_email_address_id: id }))).status).toBe(404);
    }
    expect(
      (await errorOf(await theirs.post(`/fapi/v1/me/email_addresses/${created.id}/prepare_verification`, {}))).code,
    ).toBe('resource_not_found');
  });

  it('on the hosted /account page: add, verify with the mailed code, make primary, remove', async () => {
    await signedInUser(t, 'page@example.com');
    const browser = t.browser();
    await browser.fetch('POST', '/account/sign-in', {
      form: { identifier: 'page@example.com', password: 'a long enough password' },
    });
    const added = await browser.fetch('POST', '/account/email-addresses', {
      form: { email_address: 'page2@example.com' },
    });
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain('We sent a six-digit code to page2@example.com');
    const id = /\/account\/email-addresses\/(idn_\w+)\/verify/.exec(html)?.[1];
    expect(id).toBeDefined();
    const code = codeIn(await t.smtp.waitFor('page2@example.com'));
    const verified = await browser.fetch('POST', `/account/email-addresses/${id}/verify`, { form: { code } });
    expect(await verified.text()).toContain('page2@example.com is verified.');
    const primary = await browser.fetch('POST', `/account/email-addresses/${id}/primary`, { form: {} });
    expect(await primary.text()).toContain('Primary email address changed.');
    const me = await json(await browser.get('/fapi/v1/me'));
    expect(me.user.primary_email_address_id).toBe(id);
    const other = me.user.email_addresses.find((e: { id: string }) => e.id !== id);
    const removed = await browser.fetch('POST', `/account/email-addresses/${other.id}/remove`, { form: {} });
    expect(await removed.text()).toContain('Email address removed.');
    const last = await browser.fetch('POST', `/account/email-addresses/${id}/remove`, { form: {} });
    expect(last.status).toBe(422);
  });
});
