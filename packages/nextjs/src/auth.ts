import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { type AuthCheck, type AuthObject, SESSION_COOKIE } from './claims.js';
import { readCookie } from './cookies.js';
import { authenticateToken, type RosterServerOptions } from './verify.js';

/**
 * Headers to read from: `Headers`, or Next's read-only ones.
 *
 * @example
 * ```ts
 * const reader: HeaderReader = new Headers({ cookie: '__session=…' });
 * ```
 */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Anything with a request's headers: a `Request`, a `NextRequest`.
 *
 * @example
 * ```ts
 * const { userId } = await auth(request satisfies RequestLike);
 * ```
 */
export interface RequestLike {
  headers: HeaderReader;
}

/**
 * The session token of a request: `Authorization: Bearer …` first, then the `__session` cookie.
 *
 * @example
 * ```ts
 * const token = sessionTokenOf(request.headers); // forward it to another service
 * ```
 */
export function sessionTokenOf(requestHeaders: HeaderReader): string | null {
  const authorization = requestHeaders.get('authorization');
  const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (bearer && bearer.split('.').length === 3) return bearer;
  return readCookie(requestHeaders.get('cookie'), SESSION_COOKIE);
}

/**
 * Who is making the current request, verified locally from the short-lived session token that
 * `<RosterProvider>` keeps in the `__session` cookie (or an `Authorization: Bearer` token): no
 * call to Roster, except to fetch its public keys once. Works in server components, route
 * handlers, server actions and middleware/proxy (pass the request there). All `null`s when
 * signed out.
 *
 * @example
 * ```ts
 * // app/api/projects/route.ts
 * import { auth } from '@roster/nextjs/server';
 * export async function GET() {
 *   const { userId, orgId, has } = await auth();
 *   if (!userId) return new Response('Unauthorized', { status: 401 });
 *   return Response.json({ orgId, canManage: has({ role: 'org:admin' }) });
 * }
 * ```
 */
async function authOf(request?: RequestLike, options?: RosterServerOptions): Promise<AuthObject> {
  const requestHeaders = request ? request.headers : await headers();
  return authenticateToken(sessionTokenOf(requestHeaders), options);
}

/**
 * Options of `auth.protect()`: where to send who fails (a 404 page by default, as Clerk's), and the
 * request when there is one (route handlers).
 *
 * @example
 * ```ts
 * const options: ProtectOptions = { unauthenticatedUrl: '/sign-in', unauthorizedUrl: '/no-access' };
 * ```
 */
export interface ProtectOptions extends RosterServerOptions {
  /** Redirects a signed-out visitor here instead of showing the not-found page. */
  unauthenticatedUrl?: string;
  /** Redirects a signed-in user who fails the check here instead of showing the not-found page. */
  unauthorizedUrl?: string;
  request?: RequestLike;
}

/** A signed-in `AuthObject`, what `auth.protect()` hands back. */
export type SignedInAuthObject = Extract<AuthObject, { userId: string }>;

/**
 * Lets through only a signed-in user who passes the check (a role, a permission, or a function
 * over `has()`), as Clerk's `auth.protect()`: anyone else gets Next's not-found page (or the
 * redirect you name), so a protected page never tells an outsider it exists.
 *
 * @example
 * ```ts
 * // app/billing/page.tsx
 * const { userId, orgId } = await auth.protect({ permission: 'org:invoices:create' });
 * ```
 */
async function protect(
  check?: AuthCheck | ((has: AuthObject['has']) => boolean),
  options: ProtectOptions = {},
): Promise<SignedInAuthObject> {
  const { request, unauthenticatedUrl, unauthorizedUrl, ...server } = options;
  const who = await authOf(request, server);
  if (who.userId === null) return unauthenticatedUrl ? redirect(unauthenticatedUrl) : notFound();
  const passes = check === undefined || (typeof check === 'function' ? check(who.has) : who.has(check));
  if (!passes) return unauthorizedUrl ? redirect(unauthorizedUrl) : notFound();
  return who;
}

export const auth: typeof authOf & { protect: typeof protect } = Object.assign(authOf, { protect });
