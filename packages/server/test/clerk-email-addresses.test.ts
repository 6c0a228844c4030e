import type { ClerkClient } from '@clerk/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clerkError as apiError, startClerkRoster } from './support/clerk.js';
import type { TestRoster } from './support/harness.js';

/** Clerk's `/v1/email_addresses` through `@clerk/backend`'s `emailAddresses` (issue 13). */

let t: TestRoster;
let clerk: ClerkClient;

beforeAll(async () => {
  ({ t, clerk } = await startClerkRoster());
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const tag = `${Date.now().toString(36)}`;
const unique = (prefix: string) => `${prefix}-${tag}-${++n}@example.com`;
const PASSWORD = 'a long and unusual passphrase 42';

async function updatesOf(userId: string): Promise<number> {
  const log = await (await t.bapi('GET', '/v1/audit_log?type=user.updated&actor=secret_key&limit=100')).json();
  return (log.data as { data?: { id?: string }; subject_id?: string }[]).filter((e) =>
    JSON.stringify(e).includes(userId),
  ).length;
}

describe('clerkClient.emailAddresses', () => {
  it('creates verified and unverified addresses, verifies, makes primary, gets and deletes them', async () => {
    const first = unique('first');
    const user = await clerk.users.createUser({ emailAddress: [first], password: PASSWORD });

    const second = unique('second');
    const verified = await clerk.emailAddresses.createEmailAddress({
      userId: user.id,
      emailAddress: second,
      verified: true,
    });
    expect(verified.emailAddress).toBe(second);
    expect(verified.verification?.status).toBe('verified');

    const third = unique('third');
    const unverified = await clerk.emailAddresses.createEmailAddress({ userId: user.id, emailAddress: third });
    expect(unverified.verification).toBeNull();
    expect((await clerk.emailAddresses.getEmailAddress(unverified.id)).emailAddress).toBe(third);
    // Not an identity yet: the user's addresses are the two verified ones.
    expect((await clerk.users.getUser(user.id)).emailAddresses.map((e) => e.emailAddress)).toEqual([first, second]);

    const proven = await clerk.emailAddresses.updateEmailAddress(unverified.id, { verified: true, primary: true });
    expect(proven.verification?.status).toBe('verified');
    const after = await clerk.users.getUser(user.id);
    expect(after.primaryEmailAddressId).toBe(unverified.id);
    expect(after.emailAddresses.map((e) => e.emailAddress).sort()).toEqual([first, second, third].sort());

    // The primary address cannot be deleted; another one can.
    const primary = await apiError(() => clerk.emailAddresses.deleteEmailAddress(unverified.id));
    expect(primary.status).toBe(422);
    expect(primary.errors[0]?.code).toBe('identification_deletion_failed');
    const deleted = await clerk.emailAddresses.deleteEmailAddress(verified.id);
    expect(deleted).toMatchObject({ id: verified.id, deleted: true });
    const gone = await apiError(() => clerk.emailAddresses.getEmailAddress(verified.id));
    expect(gone.status).toBe(404);
    expect((await clerk.users.getUser(user.id)).emailAddresses).toHaveLength(2);

    // Each change is a user.updated, in the audit log.
    expect(await updatesOf(user.id)).toBeGreaterThanOrEqual(4);
  });

  it('refuses a taken address, an unknown user, a primary unverified address and bad input', async () => {
    const email = unique('taken');
    const owner = await clerk.users.createUser({ emailAddress: [email], password: PASSWORD });
    const other = await clerk.users.createUser({ emailAddress: [unique('other')], password: PASSWORD });

    const taken = await apiError(() =>
      clerk.emailAddresses.createEmailAddress({ userId: other.id, emailAddress: email.toUpperCase() }),
    );
    expect(taken.status).toBe(422);
    expect(taken.errors[0]?.code).toBe('form_identifier_exists');
    const own = await apiError(() =>
      clerk.emailAddresses.createEmailAddress({ userId: owner.id, emailAddress: email }),
    );
    expect(own.errors[0]?.code).toBe('form_identifier_exists');

    const noUser = await apiError(() =>
      clerk.emailAddresses.createEmailAddress({ userId: 'user_nope', emailAddress: unique('x') }),
    );
    expect(noUser.status).toBe(404);

    const unproven = await apiError(() =>
      clerk.emailAddresses.createEmailAddress({ userId: owner.id, emailAddress: unique('p'), primary: true }),
    );
    expect(unproven.errors[0]?.code).toBe('email_address_not_verified');

    const bad = await t.bapi('POST', '/v1/email_addresses', { user_id: owner.id, email_address: 'not an address' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors[0].meta.param_name).toBe('email_address');

    const unknown = await apiError(() => clerk.emailAddresses.updateEmailAddress('idn_nope', { primary: true }));
    expect(unknown.status).toBe(404);

    // Nothing half-written: the other user still has one address.
    expect((await clerk.users.getUser(other.id)).emailAddresses).toHaveLength(1);
  });
});

describe('clerkClient.users.replaceUserEmailAddress (PUT /v1/users/{id}/email_address)', () => {
  const replace = (userId: string, body: Record<string, unknown>) =>
    t.bapi('PUT', `/v1/users/${userId}/email_address`, body);
  const addressesOf = async (userId: string) =>
    (await clerk.users.getUser(userId)).emailAddresses.map((e) => e.emailAddress);

  it('replaces every address (verified and added) with one, verified by the secret key and primary', async () => {
    const first = unique('first');
    const user = await clerk.users.createUser({ emailAddress: [first, unique('second')], password: PASSWORD });
    await clerk.emailAddresses.createEmailAddress({ userId: user.id, emailAddress: unique('added') });
    const before = await updatesOf(user.id);

    const fresh = unique('fresh');
    const replaced = await clerk.users.replaceUserEmailAddress(user.id, { emailAddress: fresh });
    expect(replaced.emailAddress).toBe(fresh);
    expect(replaced.verification).toMatchObject({ status: 'verified', strategy: 'admin' });
    const after = await clerk.users.getUser(user.id);
    expect(after.emailAddresses.map((e) => e.emailAddress)).toEqual([fresh]);
    expect(after.primaryEmailAddressId).toBe(replaced.id);
    expect(await updatesOf(user.id)).toBe(before + 1);
    // The old address names nobody now; the new one signs in and finds the user.
    expect((await clerk.users.getUserList({ emailAddress: [first] })).totalCount).toBe(0);
    expect((await clerk.users.getUserList({ emailAddress: [fresh] })).data.map((u) => u.id)).toEqual([user.id]);
    const signIn = (identifier: string) =>
      t.browser().post('/fapi/v1/client/sign_ins', { identifier, password: PASSWORD });
    expect((await signIn(fresh)).status).toBe(200);
    expect((await signIn(first)).status).not.toBe(200);
  });

  it('keeps an address the user already has (same id, now primary) and proves an added one', async () => {
    const [first, second] = [unique('first'), unique('second')];
    const user = await clerk.users.createUser({ emailAddress: [first, second], password: PASSWORD });
    const secondId = (await clerk.users.getUser(user.id)).emailAddresses.find((e) => e.emailAddress === second)!.id;
    const kept = await clerk.users.replaceUserEmailAddress(user.id, { emailAddress: second.toUpperCase() });
    expect(kept.id).toBe(secondId);
    expect(await addressesOf(user.id)).toEqual([second]);

    const added = unique('added');
    await clerk.emailAddresses.createEmailAddress({ userId: user.id, emailAddress: added });
    const proven = await clerk.users.replaceUserEmailAddress(user.id, { emailAddress: added });
    expect(proven.verification?.status).toBe('verified');
    expect(await addressesOf(user.id)).toEqual([added]);
  });

  it('notify_primary_email_address_changed mails the previous primary address, not when it is kept', async () => {
    const first = unique('notified');
    const user = await clerk.users.createUser({ emailAddress: [first], password: PASSWORD });
    const res = await replace(user.id, { email_address: unique('next'), notify_primary_email_address_changed: true });
    expect(res.status).toBe(200);
    const mail = await t.smtp.waitFor(first);
    expect(mail.subject).toBe('Your primary email address was changed');
    expect(mail.text).not.toContain('next-');

    const current = (await res.json()).email_address as string;
    const again = await replace(user.id, { email_address: current, notify_primary_email_address_changed: true });
    expect(again.status).toBe(200);
    const queued = await t.roster.database.db
      .selectFrom('outbox')
      .select('to_address')
      .where('kind', '=', 'primary_email_address_changed')
      .where('to_address', 'in', [first, current])
      .execute();
    expect(queued.map((m) => m.to_address)).toEqual([first]);

    // In the account's language (decision 039).
    const french = unique('francais');
    const fr = await t.bapi('POST', '/v1/users', { email_address: [french], password: PASSWORD, locale: 'fr-FR' });
    const frId = (await fr.json()).id as string;
    const changed = await replace(frId, { email_address: unique('suite'), notify_primary_email_address_changed: true });
    expect(changed.status).toBe(200);
    expect((await t.smtp.waitFor(french)).subject).toBe('Votre adresse e-mail principale a été changée');
  });

  it('refuses a taken address, an unknown user, reserved and unverified, and bad input, changing nothing', async () => {
    const taken = unique('taken');
    await clerk.users.createUser({ emailAddress: [taken], password: PASSWORD });
    const mine = unique('mine');
    const user = await clerk.users.createUser({ emailAddress: [mine], password: PASSWORD });
    const before = await updatesOf(user.id);

    const error = await apiError(() => clerk.users.replaceUserEmailAddress(user.id, { emailAddress: taken }));
    expect(error.status).toBe(422);
    expect(error.errors[0]).toMatchObject({ code: 'form_identifier_exists', meta: { paramName: 'email_address' } });
    const noUser = await apiError(() =>
      clerk.users.replaceUserEmailAddress('user_nope', { emailAddress: unique('x') }),
    );
    expect(noUser.status).toBe(404);
    expect(noUser.errors[0]?.code).toBe('user_not_found');

    const codeOf = async (body: Record<string, unknown>) => {
      const res = await replace(user.id, body);
      return [res.status, (await res.json()).errors[0].code];
    };
    expect(await codeOf({ email_address: unique('r'), identification_status: 'reserved' })).toEqual([
      422,
      'form_param_value_invalid',
    ]);
    expect(await codeOf({ email_address: unique('u'), identification_status: 'unverified' })).toEqual([
      422,
      'identification_deletion_failed',
    ]);
    expect(await codeOf({ email_address: 'not an address' })).toEqual([422, 'form_param_format_invalid']);
    expect(await codeOf({})).toEqual([422, 'form_param_missing']);
    expect(await codeOf({ email_address: unique('k'), primary: true })).toEqual([422, 'form_param_unknown']);
    expect(await codeOf({ email_address: unique('s'), identification_status: 'locked' })).toEqual([
      422,
      'form_param_format_invalid',
    ]);
    expect(await addressesOf(user.id)).toEqual([mine]);
    expect(await updatesOf(user.id)).toBe(before);
    // identification_status: verified (the default, said explicitly) is the ordinary replacement.
    const ok = await replace(user.id, { email_address: unique('ok'), identification_status: 'verified' });
    expect(ok.status).toBe(200);
  });
});
