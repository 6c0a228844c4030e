/**
 * `@roster/nextjs`: everything from `@roster/react` (hooks, prebuilt components, the client),
 * with a `<RosterProvider>` for the App Router that also keeps the session token cookie the
 * server reads. Server helpers (`auth()`, `rosterMiddleware`) are in `@roster/nextjs/server`.
 *
 * @example
 * ```tsx
 * import { RosterProvider, useOrganization, OrganizationSwitcher } from '@roster/nextjs';
 * import { auth } from '@roster/nextjs/server';
 * ```
 */
export * from '@roster/react';
export { SESSION_COOKIE } from './claims.js';
export { RosterProvider, type RosterProviderProps } from './provider.js';
export { SessionCookieSync, type TokenIdentity } from './session-cookie.js';
