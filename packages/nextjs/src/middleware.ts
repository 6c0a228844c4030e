import { type NextRequest, NextResponse } from 'next/server';
import { sessionTokenOf } from './auth.js';
import type { AuthObject } from './claims.js';
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
 *   replace the default one.
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
}

/**
 * Next.js middleware (`proxy.ts` in Next 16, `middleware.ts` before): pages other than
 * `publicRoutes` need a signed-in user. A signed-out visitor is redirected to the sign-in page
 * with `redirect_url` set to where they were going; an API route answers 401. A visitor whose
 * token merely expired while away is sent back at once: the sign-in page sees the Roster session,
 * refreshes the cookie and returns to `redirect_url`.
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

  return async function middleware(request: NextRequest): Promise<Response> {
    const auth = await authenticateToken(sessionTokenOf(request.headers), options);
    const custom = await options.afterAuth?.(auth, request);
    if (custom) return custom;
    const { pathname, search } = request.nextUrl;
    if (auth.userId !== null || always(pathname) || isPublic(request)) return NextResponse.next();
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

function escapeRegExp(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
