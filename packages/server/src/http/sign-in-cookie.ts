import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../domain/errors.js';
import type { AppEnv } from './env.js';

/**
 * The sign-in id of a started sign-in (password reset) binds its steps to the client that
 * started it, as the sign-up id does. Browsers keep it in an HttpOnly cookie for the 10 minutes a
 * code lives; API clients send it back as `sign_in_id`.
 */
export const SIGN_IN_COOKIE = '__roster_sign_in';

export function keepSignInId(c: Context<AppEnv>, signInId: string): void {
  setCookie(c, SIGN_IN_COOKIE, signInId, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.settings.publicUrl.startsWith('https://'),
    maxAge: Math.ceil(c.var.deps.settings.signUpCodeTtlMs / 1000),
  });
}

/** The sign-in id from the body, else from the cookie, else `verification_not_found`. */
export function signInIdOf(c: Context<AppEnv>, given?: string | undefined): string {
  const signInId = given || getCookie(c, SIGN_IN_COOKIE);
  if (!signInId) throw new AppError('verification_not_found', { meta: { param_name: 'sign_in_id' } });
  return signInId;
}

export function forgetSignInId(c: Context<AppEnv>): void {
  deleteCookie(c, SIGN_IN_COOKIE, { path: '/' });
}
