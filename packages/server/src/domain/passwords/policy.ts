import { dictionary } from '@zxcvbn-ts/language-common';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';

/**
 * The password policy (ASVS 5.0 6.2.1/6.2.4/6.2.12, NIST 800-63B 3.1.1.2): at least 8 characters,
 * no composition rules, and never a password from the list of common or leaked ones: the offline
 * list of ~49,000 that @zxcvbn-ts/language-common ships (compared case-insensitively), plus, when
 * configured, a k-anonymity range lookup against a HIBP-compatible service.
 */

export const MIN_PASSWORD_LENGTH = 8;

let common: Set<string> | null = null;

/** True when `password` is on the offline list of common passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => String(p).toLowerCase()));
  return common.has(password.toLowerCase());
}

export type PasswordVerdict = 'ok' | 'too_short' | 'pwned';

/** Judges a new password: too short, common or known breached (`pwned`), or acceptable. */
export async function checkPassword(deps: Pick<Deps, 'breachedPasswords'>, password: string): Promise<PasswordVerdict> {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (isCommonPassword(password)) return 'pwned';
  if (deps.breachedPasswords && (await deps.breachedPasswords.isBreached(password))) return 'pwned';
  return 'ok';
}

/**
 * Throws `form_password_length_too_short` or `form_password_pwned` (naming `paramName`) unless
 * `password` is acceptable. Every place a password is chosen calls this: sign-up, sign-up from an
 * invitation link, reset, change, and the Backend API's user create and update.
 */
export async function requireAcceptablePassword(
  deps: Pick<Deps, 'breachedPasswords'>,
  password: string,
  paramName = 'password',
): Promise<void> {
  const verdict = await checkPassword(deps, password);
  if (verdict === 'too_short')
    throw new AppError('form_password_length_too_short', { meta: { param_name: paramName } });
  if (verdict === 'pwned') throw new AppError('form_password_pwned', { meta: { param_name: paramName } });
}
