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
