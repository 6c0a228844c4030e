import { describe, expect, it } from 'vitest';
import { codeIn } from '../../server/test/support/smtp.js';
import { liveRosterForEachTest, PASSWORD, uniqueEmail } from './support.js';

const live = liveRosterForEachTest();

describe('password reset, password change and added addresses through the client', () => {
  it('signIn reset steps, user.updatePassword, user.createEmailAddress → verify → primary → destroy', async () => {
    const email = uniqueEmail('reset');
    const signUp = live.client();
    await signUp.signUp.create({ emailAddress: email, password: PASSWORD });
    await signUp.signUp.verify({ code: codeIn(await live.t.smtp.waitFor(email)) });

    const client = live.client();
    const step = await client.signIn.create({ identifier: email, strategy: 'reset_password_email_code' });
    expect(step).toEqual({ status: 'needs_first_factor', emailAddress: email });
    const code = codeIn(await live.t.smtp.waitFor(email, { match: (m) => m.subject === 'Your password reset code' }));
    expect((await client.signIn.attemptFirstFactor({ strategy: 'reset_password_email_code', code })).status).toBe(
      'needs_new_password',
    );
    const done = await client.signIn.resetPassword({ password: 'a reset client passphrase' });
    expect(done.status).toBe('complete');

    const { user } = await client.getMe();
    const changed = await user.updatePassword({
      currentPassword: 'a reset client passphrase',
      newPassword: 'a changed client passphrase',
    });
    expect(changed.passwordEnabled).toBe(true);

    const second = uniqueEmail('second');
    const added = await user.createEmailAddress({ email: second });
    expect(added.verified).toBe(false);
    await added.prepareVerification({ strategy: 'email_code' });
    const verified = await added.attemptVerification({ code: codeIn(await live.t.smtp.waitFor(second)) });
    expect(verified.verified).toBe(true);
    const updated = await user.update({ primaryEmailAddressId: verified.id });
    expect(updated.primaryEmailAddress?.emailAddress).toBe(second);
    const first = updated.emailAddresses.find((e) => e.emailAddress === email)!;
    const { user: fresh } = await client.getMe();
    expect(fresh.emailAddresses.map((e) => e.id)).toContain(first.id);
  });
});
