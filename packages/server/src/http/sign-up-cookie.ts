import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../domain/errors.js';
import { completeTicketSignUp } from '../domain/invitations/accept.js';
import type { UserWithEmails } from '../domain/records.js';
import { startSignUp, verifySignUp } from '../domain/users/users.js';
import type { AppEnv } from './env.js';

/**
 * The sign-up id binds a code to the client that started the sign-up (decision 006). Browsers
 * keep it in an HttpOnly cookie for the 10 minutes the code lives; API clients send it back as
 * `sign_up_id`.
 */
export const SIGN_UP_COOKIE = '__roster_sign_up';

/** Keeps a started sign-up's id in the browser, for the code that finishes it. */
export function keepSignUpId(c: Context<AppEnv>, signUpId: string): void {
  setCookie(c, SIGN_UP_COOKIE, signUpId, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.settings.publicUrl.startsWith('https://'),
    maxAge: Math.ceil(c.var.deps.settings.signUpCodeTtlMs / 1000),
  });
}

/** The sign-up id the request names, or the one its browser keeps; `verification_not_found` if neither. */
function signUpIdOf(c: Context<AppEnv>, given: string | undefined): string {
  const signUpId = given || getCookie(c, SIGN_UP_COOKIE);
  if (!signUpId) throw new AppError('verification_not_found', { meta: { param_name: 'sign_up_id' } });
  return signUpId;
}

export async function startSignUpWithCookie(c: Context<AppEnv>, input: Parameters<typeof startSignUp>[1]) {
  const started = await startSignUp(c.var.deps, input);
  keepSignUpId(c, started.signUpId);
  return started;
}

export async function verifySignUpFromCookie(
  c: Context<AppEnv>,
  input: { signUpId?: string | undefined; code: string },
): Promise<UserWithEmails> {
  const { user } = await verifySignUp(c.var.deps, { signUpId: signUpIdOf(c, input.signUpId), code: input.code });
  deleteCookie(c, SIGN_UP_COOKIE, { path: '/' });
  return user;
}

/** Finishes a sign-up from a shown invitation link with its code: the account, then the join (decision 021). */
export async function completeTicketSignUpFromCookie(
  c: Context<AppEnv>,
  input: { signUpId?: string | undefined; code: string },
) {
  const result = await completeTicketSignUp(c.var.deps, {
    signUpId: signUpIdOf(c, input.signUpId),
    code: input.code,
  });
  deleteCookie(c, SIGN_UP_COOKIE, { path: '/' });
  return result;
}
