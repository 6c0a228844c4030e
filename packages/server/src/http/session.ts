import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sameSecret } from '../domain/crypto.js';
import { AppError } from '../domain/errors.js';
import type { Session } from '../domain/records.js';
import { endSession, resolveSession } from '../domain/sessions/sessions.js';
import { isUnexpired, secretKeyId } from '../secret-keys.js';
import type { AppEnv } from './env.js';
import { SIGN_IN_COOKIE } from './sign-in-cookie.js';
import { SIGN_UP_COOKIE } from './sign-up-cookie.js';

/** The session cookie: HttpOnly, SameSite=Lax, Secure when the public URL is https. */
export const SESSION_COOKIE = '__roster_session';

function bearer(c: Context<AppEnv>): string | null {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Backend API guard: the secret key as a Bearer token, compared in constant time. A previous key
 * still in its grace period is accepted too, with a warning naming it (by id, never the key) so
 * the operator sees which clients still have to move to the new one.
 */
export const requireSecretKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearer(c);
  if (!token) throw new AppError('authentication_invalid');
  if (!sameSecret(token, c.var.secretKey)) {
    const now = c.var.deps.now();
    const previous = c.var.previousSecretKeys.find((k) => sameSecret(token, k.key) && isUnexpired(k, now));
    if (!previous) throw new AppError('clerk_key_invalid');
    c.var.log.warn(
      {
        key_id: secretKeyId(previous.key),
        key_expires_at: previous.expiresAt === null ? null : new Date(previous.expiresAt).toISOString(),
      },
      'Backend API call authenticated with a previous secret key; switch the caller to the current key',
    );
  }
  c.set('actor', { kind: 'secret_key' });
  await next();
};

/** Frontend API and pages: resolves the session from the cookie or a Bearer token, if any. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE) ?? bearer(c);
  c.set('session', null);
  c.set('user', null);
  if (token) {
    const { session, user } = (await resolveSession(c.var.deps, token)) ?? {};
    if (session && user) {
      c.set('session', session);
      c.set('user', user);
      c.set('actor', { kind: 'user', userId: user.id, user });
    } else if (getCookie(c, SESSION_COOKIE)) {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
    }
  }
  await next();
};

/** Sets the session cookie (and, for non-browser clients, a header with the token). */
export function setSession(c: Context<AppEnv>, token: string, session: Session): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.settings.publicUrl.startsWith('https://'),
    expires: new Date(session.expiresAt),
  });
  c.header('X-Roster-Session-Token', token);
}

/** Ends the current session, if any, and clears the cookie. Signing in again starts a fresh one. */
export async function clearSession(c: Context<AppEnv>): Promise<void> {
  if (c.var.session) await endSession(c.var.deps, c.var.session);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  c.set('session', null);
  c.set('user', null);
}

/**
 * CSRF guard for writes (decision 004). A browser always sends `Origin` on a cross-site POST, so a
 * write whose Origin is not the public URL or a configured origin is refused. A write that carries
 * a Roster cookie (the session or the sign-up id) must also say where it came from: with neither
 * `Origin` nor `Sec-Fetch-Site` nothing proves it is not forged, so it is refused too. Requests
 * without those cookies (a Bearer token from a server, a first sign-in from a script) cannot ride
 * on a browser's cookies and need neither header.
 */
export const requireSameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    const origin = c.req.header('origin') || undefined;
    const fetchSite = c.req.header('sec-fetch-site') || undefined;
    if (!originAccepted(c, origin, fetchSite)) {
      throw new AppError('origin_invalid', { meta: { origin: origin?.slice(0, 256) ?? null } });
    }
  }
  await next();
};

function originAccepted(c: Context<AppEnv>, origin: string | undefined, fetchSite: string | undefined): boolean {
  // The hosted pages send `Referrer-Policy: no-referrer`, under which Chromium posts their own
  // forms with `Origin: null`; `Sec-Fetch-Site: same-origin` (set by the browser, not by pages)
  // says the form was ours. An opaque origin from anywhere else is still refused.
  if (origin === 'null') return fetchSite === 'same-origin';
  if (origin) return allowedOrigins(c).includes(origin);
  if (fetchSite === 'cross-site') return false;
  // Any cookie of ours makes the request one a forger could ride: the session, a sign-up's or a
  // password reset's id.
  const withCookie = [SESSION_COOKIE, SIGN_UP_COOKIE, SIGN_IN_COOKIE].some((name) => getCookie(c, name) !== undefined);
  // No Origin: only a browser's own word that the request is same-origin (or typed by the user) will do.
  return !withCookie || fetchSite === 'same-origin' || fetchSite === 'none';
}

export function allowedOrigins(c: Context<AppEnv>): string[] {
  return [new URL(c.var.deps.settings.publicUrl).origin, ...c.var.deps.settings.allowedOrigins];
}
