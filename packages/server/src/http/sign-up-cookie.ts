import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../domain/errors.js';
import type { UserWithEmails } from '../domain/records.js';
import { startSignUp, verifySignUp } from '../domain/users/users.js';
import type { AppEnv } from './env.js';

/**
 * The sign-up id binds a code to the client that started the sign-up (decision 006). Browsers
 * keep it in an HttpOnly cookie for the 10 minutes the code lives; API clients send it back as
 * `sign_up_id`.
 */
export const SIGN_UP_COOKIE = '__roster_sign_up';

export async function startSignUpWithCookie(c: Context<AppEnv>, input: Parameters<typeof startSignUp>[1]) {
  const started = await startSignUp(c.var.deps, input);
  setCookie(c, SIGN_UP_COOKIE, started.signUpId, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.settings.publicUrl.startsWith('https://'),
    maxAge: Math.ceil(c.var.deps.settings.signUpCodeTtlMs / 1000),
  });
  return started;
}

export async function verifySignUpFromCookie(
  c: Context<AppEnv>,
  input: { signUpId?: string | undefined; code: string },
): Promise<UserWithEmails> {
  const signUpId = input.signUpId || getCookie(c, SIGN_UP_COOKIE);
  if (!signUpId) throw new AppError('verification_not_found', { meta: { param_name: 'sign_up_id' } });
  const user = await verifySignUp(c.var.deps, { signUpId, code: input.code });
  deleteCookie(c, SIGN_UP_COOKIE, { path: '/' });
  return user;
}
