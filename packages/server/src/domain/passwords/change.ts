import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { UserWithEmails } from '../records.js';
import { requireAcceptablePassword } from './policy.js';

/**
 * Changes the signed-in user's password. The current password is required when the account has
 * one (an account made without a password sets its first one). Other sessions end unless
 * `signOutOfOtherSessions` is false; the session making the change stays, and any password reset
 * in progress for the account is void.
 */
export async function changePassword(
  deps: Deps,
  input: {
    user: UserWithEmails;
    sessionId: string;
    currentPassword?: string | null;
    newPassword: string;
    signOutOfOtherSessions?: boolean | null;
  },
): Promise<UserWithEmails> {
  const { user } = input;
  if (user.passwordHash) {
    const ok = await deps.passwords.verify(user.passwordHash, input.currentPassword ?? '');
    if (!ok) throw new AppError('form_password_incorrect', { meta: { param_name: 'current_password' } });
  }
  await requireAcceptablePassword(deps, input.newPassword, 'new_password');
  const passwordHash = await deps.passwords.hash(input.newPassword);
  await deps.store.transaction(async (tx) => {
    await tx.updateUserPassword(user.id, passwordHash, deps.now());
    if (input.signOutOfOtherSessions !== false) await tx.deleteOtherSessions(user.id, input.sessionId);
    await tx.deleteSignInAttemptsOfUser(user.id);
  });
  return (await deps.store.findUser(user.id))!;
}
