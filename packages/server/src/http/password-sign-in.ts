import type { Context } from 'hono';
import type { Session, UserWithEmails } from '../domain/records.js';
import { type PasswordSignInInput, signInWithPassword } from '../domain/sessions/sign-in.js';
import type { AppEnv } from './env.js';
import { consume } from './rate-limits.js';
import { clearSession, setSession } from './session.js';

/**
 * The password sign-in every HTTP entry point uses (Frontend API, /account, invitation links):
 * the per-IP and per-account limits, the domain's `signInWithPassword`, then the old session (if
 * any) ended and the new one set as the cookie.
 *
 * @example
 * const { user, session } = await passwordSignIn(c, { identifier, password, ip: options.ip(c) });
 */
export async function passwordSignIn(
  c: Context<AppEnv>,
  input: Omit<PasswordSignInInput, 'throttle'> & { ip: string },
): Promise<{ user: UserWithEmails; session: Session; token: string }> {
  const limits = c.var.limits;
  await consume(limits, limits.signInPerIp, input.ip);
  const { ip: _ip, ...rest } = input;
  const result = await signInWithPassword(c.var.deps, {
    ...rest,
    throttle: (accountKey) => consume(limits, limits.signInPerAccount, accountKey),
  });
  await clearSession(c);
  setSession(c, result.token, result.session);
  return result;
}
