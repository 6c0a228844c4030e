import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sameSecret } from '../../domain/crypto.js';
import type { AppEnv } from '../env.js';

/**
 * The operator console's sign-in (decision 030): an HMAC-sealed token in an HttpOnly,
 * SameSite=Strict cookie scoped to `/console`. The secret key itself is never stored in the
 * cookie; the token is `<expiry ms>.<HMAC-SHA256(secret key, "roster-console:" + expiry)>`, so
 * rotating the secret key signs every operator out.
 */
export const CONSOLE_COOKIE = '__roster_console';
const CONSOLE_TTL_MS = 8 * 60 * 60 * 1000;

function seal(secretKey: string, expiresAt: number): string {
  return createHmac('sha256', secretKey).update(`roster-console:${expiresAt}`).digest('base64url');
}

/** Whether the request carries a console token sealed with the current secret key and not expired. */
export function consoleSignedIn(c: Context<AppEnv>): boolean {
  const token = getCookie(c, CONSOLE_COOKIE);
  const match = token ? /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
  if (!match) return false;
  const expiresAt = Number(match[1]);
  if (expiresAt <= c.var.deps.now()) return false;
  return sameSecret(match[2] ?? '', seal(c.var.secretKey, expiresAt));
}

/** Signs the operator in: sets the sealed cookie. */
export function startConsoleSession(c: Context<AppEnv>): void {
  const expiresAt = c.var.deps.now() + CONSOLE_TTL_MS;
  setCookie(c, CONSOLE_COOKIE, `${expiresAt}.${seal(c.var.secretKey, expiresAt)}`, {
    path: '/console',
    httpOnly: true,
    sameSite: 'Strict',
    secure: c.var.deps.settings.publicUrl.startsWith('https://'),
    expires: new Date(expiresAt),
  });
}

export function endConsoleSession(c: Context<AppEnv>): void {
  deleteCookie(c, CONSOLE_COOKIE, { path: '/console' });
}
