import { type NextRequest, NextResponse } from 'next/server';
import { sessionTokenOf } from './auth.js';
import type { AuthObject } from './claims.js';
import { cookieHeaderWith, type RefreshedToken, refreshSessionToken, sessionCookieHeader } from './refresh.js';
import { authenticateToken, type RosterServerOptions } from './verify.js';

/** A path pattern: a string is a regular expression matched against the whole path (`'/sign-in(.*)'`). */
export type RoutePattern = string | RegExp;

/**
 * A predicate for request paths, from patterns (Clerk's `createRouteMatcher`).
 *
 * @example
 * ```ts
 * const isPublic = createRouteMatcher(['/', '/sign-in(.*)', '/sign-up(.*)']);
 * isPublic('/sign-in'); // true
 * ```
 */
export function createRouteMatcher(patterns: readonly RoutePattern[]): (pathname: string) => boolean {
  const regexes = patterns.map((p) => (typeof p === 'string' ? new RegExp(`^${p}$`) : p));
  return (pathname) => regexes.some((r) => r.test(pathname));
}

/**
 * Options of `rosterMiddleware`.
 *
 * - `publicRoutes`: paths anyone may open (patterns, or a predicate). The sign-in and sign-up
 *   pages are always public.
 * - `signInUrl`: where signed-out visitors of other pages go, with `?redirect_url=` (default `/sign-in`).
 * - `signUpUrl`: default `/sign-up`.
 * - `apiRoutes`: paths answered with 401 JSON instead of a redirect (default `/api(.*)`).
 * - `afterAuth`: runs for every matched request with the verified `auth`; return a response to
 *   replace the default one (a refreshed token's cookie is added to it).
 * - `refreshFromSession`: when the token is missing or expired but the request carries Roster's
 *   session cookie, mint a fresh token from it (one request to Roster), set the cookie and let the
 *   request through (default `true`; decision 024). `false` always sends such visitors to sign in.
 *
 * @example
 * ```ts
 * const options: RosterMiddlewareOptions = { publicRoutes: ['/', '/about'] };
 * ```
 */
export interface RosterMiddlewareOptions extends RosterServerOptions {
  publicRoutes?: readonly RoutePattern[] | ((request: NextRequest) => boolean);
  signInUrl?: string;
  signUpUrl?: string;
  apiRoutes?: readonly RoutePattern[];
  afterAuth?: (
    auth: AuthObject,
    request: NextRequest,
  ) => Response | NextResponse | undefined | Promise<Response | NextResponse | undefined>;
  refreshFromSession?: boolean;
}

/**
 * Next.js middleware (`proxy.ts` in Next 16, `middleware.ts` before): pages other than
 * `publicRoutes` need a signed-in user. A signed-out visitor is redirected to the sign-in page
 * with `redirect_url` set to where they were going; an API route answers 401. A visitor whose
 * token merely expired while away goes straight through: when the request carries Roster's session
 * cookie (the app and Roster share its host or parent domain), the middleware mints a fresh token
 * from it with one request to Roster, sets the `__session` cookie on the response and hands the
 * token to the render behind it. Where it cannot (no shared cookie, Roster unreachable), the
 * sign-in page does it and returns to `redirect_url`.
 *
 * @example
 * ```ts
 * // proxy.ts
 * import { rosterMiddleware } from '@roster/nextjs/server';
 * export const proxy = rosterMiddleware({ publicRoutes: ['/', '/accept-invitation'] });
 * export const config = { matcher: ['/((?!_next|.*\\..*).*)'] };
 * ```
 */
export function rosterMiddleware(options: RosterMiddlewareOptions = {}) {
  const signInUrl = options.signInUrl ?? '/sign-in';
  const signUpUrl = options.signUpUrl ?? '/sign-up';
  const always = createRouteMatcher([`${escapeRegExp(signInUrl)}(/.*)?`, `${escapeRegExp(signUpUrl)}(/.*)?`]);
  const publicRoutes = options.publicRoutes;
  const isPublic =
    typeof publicRoutes === 'function'
      ? publicRoutes
      : (
          (m) => (request: NextRequest) =>
            m(request.nextUrl.pathname)
        )(createRouteMatcher(publicRoutes ?? []));
  const isApi = createRouteMatcher(options.apiRoutes ?? ['/api(/.*)?']);

  const refresh = options.refreshFromSession ?? true;

  return async function middleware(request: NextRequest): Promise<Response> {
    let auth = await authenticateToken(sessionTokenOf(request.headers), options);
    // A caller that sent its own Bearer token is answered for that token, not for its cookies.
    const bearer = /^Bearer\s/i.test(request.headers.get('authorization') ?? '');
    const refreshed =
      auth.userId === null && refresh && !bearer ? await refreshSessionToken(request.headers, options) : null;
    if (refreshed) auth = refreshed.auth;
    const custom = await options.afterAuth?.(auth, request);
    if (custom) return refreshed ? withTokenCookie(custom, request, refreshed) : custom;
    const { pathname, search } = request.nextUrl;
    if (auth.userId !== null || always(pathname) || isPublic(request)) {
      if (!refreshed) return NextResponse.next();
      // The render behind the middleware (auth() in server components) reads the fresh token too.
      const headers = new Headers(request.headers);
      headers.set('cookie', cookieHeaderWith(request.headers, refreshed));
      return withTokenCookie(NextResponse.next({ request: { headers } }), request, refreshed);
    }
    if (isApi(pathname)) {
      return NextResponse.json(
        {
          errors: [
            { code: 'session_invalid', message: 'Sign in first', long_message: 'This route needs a signed-in user.' },
          ],
        },
        { status: 401 },
      );
    }
    const target = new URL(signInUrl, request.url);
    target.searchParams.set('redirect_url', `${pathname}${search}`);
    return NextResponse.redirect(target, 307);
  };
}

/**
 * Adds the refreshed token's cookie to a response. It is marked private: a shared cache must
 * never hand one visitor's token to another.
 */
function withTokenCookie(response: Response, request: NextRequest, refreshed: RefreshedToken): Response {
  const secure =
    request.nextUrl.protocol === 'https:' ||
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  try {
    response.headers.append('set-cookie', sessionCookieHeader(refreshed, secure));
    response.headers.set('cache-control', 'private, no-store');
  } catch {
    // An immutable response (Response.redirect from afterAuth): it goes out as it is, and the page refreshes the cookie.
  }
  return response;
}

function escapeRegExp(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
