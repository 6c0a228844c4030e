import type { HeaderReader } from './auth.js';
import { type AuthObject, decodeClaims, SESSION_COOKIE } from './claims.js';
import { readCookie, withCookie } from './cookies.js';
import { authenticateToken, type RosterServerOptions, rosterUrlOf } from './verify.js';

/**
 * The name of Roster's own session cookie (HttpOnly, set by Roster). The app's server receives it
 * when the app and Roster share the cookie's host (cookies ignore ports: `localhost:3000` and
 * `localhost:3100`), or when Roster scopes it to a parent domain both sit under.
 */
export const ROSTER_SESSION_COOKIE = '__roster_session';

/** How long the middleware waits for Roster before falling back to the sign-in page. */
export const REFRESH_TIMEOUT_MS = 3_000;

/**
 * A fresh token minted from the Roster session a request carried, already verified.
 *
 * @example
 * ```ts
 * const refreshed: RefreshedToken | null = await refreshSessionToken(request.headers);
 * refreshed?.auth.userId; // 'user_…'
 * ```
 */
export interface RefreshedToken {
  token: string;
  auth: AuthObject & { userId: string };
  /** The token's remaining life, for the cookie's Max-Age. */
  maxAgeSeconds: number;
}

/**
 * Mints a fresh session token with the Roster session cookie the request carries: one
 * server-to-server `POST {rosterUrl}/fapi/v1/client/sessions/current/tokens` with the session's
 * credential as a Bearer token (never as a cookie, never to a host taken from the request), then
 * verifies the answer like any other token. `null` when there is no Roster session cookie, the
 * session has ended, or Roster does not answer in time: the caller falls back to the sign-in page.
 * `rosterMiddleware` calls it; call it yourself only in a middleware of your own.
 *
 * @example
 * ```ts
 * const refreshed = await refreshSessionToken(request.headers, { rosterUrl: 'http://localhost:3000' });
 * if (refreshed) response.headers.append('set-cookie', `__session=${refreshed.token}; Path=/; Max-Age=${refreshed.maxAgeSeconds}; SameSite=Lax`);
 * ```
 */
export async function refreshSessionToken(
  requestHeaders: HeaderReader,
  options: RosterServerOptions & { timeoutMs?: number } = {},
): Promise<RefreshedToken | null> {
  const credential = readCookie(requestHeaders.get('cookie'), ROSTER_SESSION_COOKIE);
  // Roster's credentials are short printable strings; anything else is not worth a request.
  if (!credential || credential.length > 256 || !/^[\x21-\x7e]+$/.test(credential)) return null;
  const url = new URL('/fapi/v1/client/sessions/current/tokens', rosterUrlOf(options));
  let jwt: unknown;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, accept: 'application/json' },
      // A redirect would be Roster misconfigured, or someone else answering: follow none.
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? REFRESH_TIMEOUT_MS),
    });
    if (res.status !== 200) {
      // 401: the session ended (signed out, expired, revoked); an ordinary signed-out visit.
      if (res.status !== 401)
        console.warn(`@roster/nextjs: refreshing the session token: Roster answered ${res.status}`);
      await res.body?.cancel();
      return null;
    }
    jwt = ((await res.json()) as { jwt?: unknown } | null)?.jwt;
  } catch (error) {
    console.warn(`@roster/nextjs: refreshing the session token: ${String(error)}`);
    return null;
  }
  if (typeof jwt !== 'string') return null;
  const auth = await authenticateToken(jwt, options);
  if (auth.userId === null) return null;
  const claims = decodeClaims(jwt);
  const lifetime = (claims?.exp ?? 0) - (claims?.iat ?? 0);
  let left = (claims?.exp ?? 0) - Math.floor(Date.now() / 1000);
  // The app's clock disagrees with Roster's: trust the token's own lifetime (as the provider does).
  if (left <= 0 || left > lifetime) left = lifetime;
  return { token: jwt, auth, maxAgeSeconds: Math.max(1, left) };
}

/**
 * The `Set-Cookie` value for a refreshed token: the attributes `<RosterProvider>` writes
 * (decision 012), so the page can overwrite it: `Path=/`, `SameSite=Lax`, the token's remaining
 * life, `Secure` on https, not HttpOnly.
 */
export function sessionCookieHeader(refreshed: RefreshedToken, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(refreshed.token)}; Path=/; Max-Age=${refreshed.maxAgeSeconds}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The request's `Cookie` header with the refreshed token in place of the expired one, for the render behind the middleware. */
export function cookieHeaderWith(requestHeaders: HeaderReader, refreshed: RefreshedToken): string {
  return withCookie(requestHeaders.get('cookie'), SESSION_COOKIE, refreshed.token);
}
