import { newCode, newToken, normalizeEmail, sameSecret, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { queuedMail } from '../mail.js';
import type { Session, SignInAttempt, UserWithEmails } from '../records.js';
import { startSession } from '../sessions/sessions.js';
import { requireAcceptablePassword } from './policy.js';

/**
 * Forgot password, in Clerk's steps: a sign-in for an identifier, `prepare_first_factor` with
 * `reset_password_email_code` (a six-digit code mailed, valid 10 minutes, 5 tries), the code back
 * (`attempt_first_factor`), then `reset_password`. Every step answers the same whether or not the
 * address has an account: an attempt is stored either way, a code is made and hashed either way,
 * and only the mail is left out (and a code for no account never matches).
 * The sign-in id is the client's secret, as the sign-up id is (decision 006): only its holder can
 * go on, and the database keeps only its hash.
 */

export const MAX_RESET_CODE_ATTEMPTS = 5;

const codeHashOf = (signInId: string, code: string) => sha256(`${signInId}:${code.trim()}`);

async function liveAttempt(deps: Deps, signInId: string): Promise<SignInAttempt> {
  const attempt = signInId.length <= 128 ? await deps.store.findSignInAttempt(sha256(signInId)) : null;
  if (!attempt) throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
  if (attempt.expiresAt <= deps.now()) throw new AppError('verification_expired', { meta: { param_name: 'code' } });
  return attempt;
}

/** The address a started sign-in is for (to go on with `strategy: 'password'`). */
export async function signInAttemptIdentifier(deps: Deps, signInId: string): Promise<string> {
  const attempt = await liveAttempt(deps, signInId);
  return attempt.email;
}

/** Starts a sign-in for an address (no password yet). Answers alike for every address. */
export async function startSignIn(
  deps: Deps,
  input: { identifier: string },
): Promise<{ signInId: string; emailAddress: string; expiresAt: number }> {
  const email = input.identifier.trim();
  const emailNormalized = normalizeEmail(email);
  const user = await deps.store.findUserByEmail(emailNormalized);
  const now = deps.now();
  const signInId = `sia_${newToken()}`;
  const expiresAt = now + deps.settings.signUpCodeTtlMs;
  await deps.store.saveSignInAttempt({
    id: sha256(signInId),
    emailNormalized,
    email,
    userId: user?.id ?? null,
    status: 'needs_first_factor',
    codeHash: null,
    attempts: 0,
    expiresAt,
    createdAt: now,
  });
  return { signInId, emailAddress: email, expiresAt };
}

/**
 * Mails a fresh reset code for a sign-in (`reset_password_email_code`), replacing any earlier one
 * and giving back five tries. With no account behind the address the same work is done but
 * nothing is mailed.
 */
export async function prepareResetPassword(
  deps: Deps,
  input: { signInId: string; throttle?: (addressKey: string) => Promise<void> },
): Promise<{ emailAddress: string; expiresAt: number }> {
  const attempt = await liveAttempt(deps, input.signInId);
  if (attempt.status !== 'needs_first_factor') {
    throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
  }
  // Counted for every address, with or without an account, so the limit reveals nothing either.
  await input.throttle?.(attempt.emailNormalized);
  const now = deps.now();
  const code = newCode();
  const expiresAt = now + deps.settings.signUpCodeTtlMs;
  const sealed = deps.secrets.seal(code);
  await deps.store.transaction(async (tx) => {
    await tx.updateSignInAttemptCode(attempt.id, { codeHash: codeHashOf(input.signInId, code), expiresAt });
    if (attempt.userId) {
      // In the account's language when it has one (decision 039).
      const locale = (await tx.findUser(attempt.userId))?.locale ?? null;
      await tx.enqueueMail(
        queuedMail(
          {
            kind: 'password_reset_code',
            toAddress: attempt.email,
            payload: { code: sealed, expiresAt, ...(locale && { locale }) },
            invitationId: null,
          },
          now,
        ),
      );
    }
  });
  if (attempt.userId) deps.mailQueued();
  return { emailAddress: attempt.email, expiresAt };
}

/**
 * Checks the mailed code (one of five tries taken first, atomically). A right code moves the
 * sign-in to `needs_new_password`; a code for an address with no account is always wrong.
 */
export async function attemptResetPasswordCode(
  deps: Deps,
  input: { signInId: string; code: string },
): Promise<{ emailAddress: string }> {
  const attempt = await liveAttempt(deps, input.signInId);
  if (attempt.status !== 'needs_first_factor') {
    throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
  }
  const taken = await deps.store.takeSignInAttempt(attempt.id, {
    now: deps.now(),
    maxAttempts: MAX_RESET_CODE_ATTEMPTS,
  });
  if (!taken?.codeHash) throw new AppError('verification_expired', { meta: { param_name: 'code' } });
  const matches = sameSecret(codeHashOf(input.signInId, input.code), taken.codeHash);
  if (!matches || !taken.userId) {
    throw new AppError('form_code_incorrect', {
      meta: { param_name: 'code', attempts_remaining: MAX_RESET_CODE_ATTEMPTS - taken.attempts },
    });
  }
  const moved = await deps.store.transitionSignInAttempt(attempt.id, {
    from: 'needs_first_factor',
    to: 'needs_new_password',
    now: deps.now(),
  });
  if (!moved) throw new AppError('verification_expired', { meta: { param_name: 'code' } });
  return { emailAddress: taken.email };
}

/**
 * Sets the new password of a sign-in whose code came back, once: ends every session of the user,
 * drops their other reset attempts, and starts the session of the client that reset it.
 */
export async function resetPassword(
  deps: Deps,
  input: { signInId: string; password: string },
): Promise<{ user: UserWithEmails; session: Session; token: string }> {
  const attempt = await liveAttempt(deps, input.signInId);
  if (attempt.status !== 'needs_new_password' || !attempt.userId) {
    throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
  }
  await requireAcceptablePassword(deps, input.password);
  const passwordHash = await deps.passwords.hash(input.password);
  const userId = attempt.userId;
  return deps.store.transaction(async (tx) => {
    if (!(await tx.deleteSignInAttempt(attempt.id))) {
      throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
    }
    const found = await tx.findUser(userId);
    if (!found) throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
    await tx.updateUserPassword(userId, passwordHash, deps.now());
    await tx.deleteSessionsOfUser(userId);
    await tx.deleteSignInAttemptsOfUser(userId);
    const user = { ...found, passwordHash };
    const issued = await startSession(deps, tx, user);
    return { user, ...issued };
  });
}
