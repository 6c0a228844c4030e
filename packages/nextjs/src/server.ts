/**
 * `@roster/nextjs/server`: what a Next.js server needs, kept apart from the main entry because it
 * imports `next/headers`, which client components may not. `auth()` verifies the short-lived
 * session token locally (signature, issuer, expiry) with Roster's published keys.
 *
 * @example
 * ```ts
 * import { auth, rosterMiddleware } from '@roster/nextjs/server';
 * ```
 */
export { auth, type ProtectOptions, type RequestLike, type SignedInAuthObject, sessionTokenOf } from './auth.js';
export { type AuthCheck, type AuthObject, organizationOf, SESSION_COOKIE, type SessionClaims } from './claims.js';
export {
  createRouteMatcher,
  type RosterMiddlewareOptions,
  type RoutePattern,
  rosterMiddleware,
} from './middleware.js';
export { type RefreshedToken, refreshSessionToken } from './refresh.js';
export { authenticateToken, type RosterServerOptions, verifySessionToken } from './verify.js';
